"""The data lifecycle: import batches of past activity and the DPO's register of events."""

from django.db import models
from django.utils import timezone

from iscg import access
from iscg.enums import Role
from iscg.gate import GatedQuerySet


class ImportStatus(models.TextChoices):
    ANALYSING = "analysing", "Analyse en cours"
    PREVIEW = "preview", "Aperçu, en attente de confirmation"
    IMPORTING = "importing", "Import en cours"
    FAILED = "failed", "Échec de l'analyse"
    DONE = "done", "Importé"
    UNDONE = "undone", "Annulé"


class ImportTemplate(models.TextChoices):
    ACTIONS = "actes", "Une ligne par acte"
    PEOPLE = "personnes", "Une ligne par personne, avec le nombre d'actes"


class ImportBatchQuerySet(GatedQuerySet):
    def readable_by(self, user):
        """Batches the user uploaded, and those of the posts they work on: the file, its
        messages and its name hold the people's names as typed."""
        return self.filter(
            models.Q(post__in=access.worked_post_ids(user))
            | models.Q(created_by_id=user.pk, post__employer__in=access.managed_employer_ids(user))
        )


class ImportBatch(models.Model):
    """One uploaded file of past activity; every object it creates points back to it."""

    post = models.ForeignKey(
        "iscg.Post", verbose_name="poste", on_delete=models.PROTECT, related_name="import_batches"
    )
    template = models.CharField("modèle", max_length=10, choices=ImportTemplate.choices)
    status = models.CharField(
        "statut", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    file = models.FileField("fichier", upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField("nom du fichier", max_length=255)
    # The file's SHA-256: the same file imported twice doubled every figure of the bilans.
    content_sha256 = models.CharField("empreinte du fichier", max_length=64, blank=True)
    row_count = models.PositiveIntegerField("lignes", default=0)
    # What the file will create (or created): {"beneficiaries": n, "cases": n, ...}
    counts = models.JSONField("objets", default=dict, blank=True)
    created_by = models.ForeignKey(
        "iscg.User", verbose_name="déposé par", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("déposé le", default=timezone.now)
    imported_at = models.DateTimeField("importé le", null=True, blank=True)
    undone_at = models.DateTimeField("annulé le", null=True, blank=True)
    # The file is read by a Celery worker, never in the web request: what the preview
    # shows (errors with and without the cells' values, warnings, sample) is kept here
    # until the import is confirmed, and goes with the batch when an unconfirmed
    # preview is purged.
    report = models.JSONField("rapport d'analyse", default=dict, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        "iscg.User",
        verbose_name="confirmé par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Times the sweeper handed the analysis or the import to a worker again.
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    undone_by = models.ForeignKey(
        "iscg.User",
        verbose_name="annulé par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "import d'activité"
        verbose_name_plural = "imports d'activité"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["post", "content_sha256"], name="import_post_content")]

    def __str__(self):
        # Never the file's name, which may hold a person's: this is what registers show.
        return f"Import n° {self.pk}"


class DataProtectionAction(models.TextChoices):
    IMPORT = "import", "Import d'activité"
    IMPORT_UNDO = "import_undo", "Annulation d'un import"
    ARCHIVE = "archive", "Archivage (fin de la durée active)"
    ANONYMISE = "anonymise", "Anonymisation (fin de l'archive intermédiaire)"
    ARCHIVE_OPEN = "archive_open", "Consultation d'un dossier archivé"
    EXPORT = "export", "Export des données d'une personne (droit d'accès)"
    RECTIFY = "rectify", "Rectification"
    ERASE = "erase", "Effacement sur demande"
    LOG_PURGE = "log_purge", "Purge des journaux d'accès"


class DataProtectionEventQuerySet(GatedQuerySet):
    def readable_by(self, user):
        """The register is read by the departmental administrator acting as DPO."""
        departments = access.department_ids(user, roles=[Role.ADMIN])
        return (
            self.filter(
                models.Q(post__employer__department_id__in=departments)
                | models.Q(post__isnull=True)
            )
            if departments
            else self.none()
        )


class DataProtectionEvent(models.Model):
    """The DPO's register: who did what to personal data, when, and why. Kept, never purged."""

    occurred_at = models.DateTimeField("date", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "iscg.User",
        verbose_name="par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Vide pour un traitement automatique (durées de conservation).",
    )
    action = models.CharField("action", max_length=15, choices=DataProtectionAction.choices)
    object_type = models.CharField("type d'objet", max_length=50, blank=True)
    object_id = models.PositiveBigIntegerField("numéro de l'objet", null=True, blank=True)
    post = models.ForeignKey(
        "iscg.Post",
        verbose_name="poste",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField("motif", blank=True)
    # Counts and field names only: never the personal data itself.
    details = models.JSONField("détails", default=dict, blank=True)

    objects = DataProtectionEventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement du registre RGPD"
        verbose_name_plural = "registre RGPD"
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} — {self.object_type} {self.object_id or ''}".strip()
