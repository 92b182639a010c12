"""A weekly activity summary a worker uploads to record auto-saisines.

The file is read by a Celery worker, never in the web request; its lines, as typed,
wait here for the uploader's confirmation and are cleared once it is given.
"""

from django.db import models
from django.utils import timezone

from iscg.gate import GatedQuerySet


class SummaryStatus(models.TextChoices):
    ANALYSING = "analysing", "Analyse en cours"
    PREVIEW = "preview", "Vérifié, en attente de confirmation"
    FAILED = "failed", "Fichier illisible"
    DONE = "done", "Importé"


class WeeklySummaryUploadQuerySet(GatedQuerySet):
    def readable_by(self, user):
        """The uploader's own: the lines hold people's names as the unit typed them."""
        return self.filter(created_by_id=user.pk)


class WeeklySummaryUpload(models.Model):
    created_by = models.ForeignKey(
        "iscg.User", verbose_name="déposé par", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "statut", max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.ANALYSING
    )
    file = models.FileField("fichier", upload_to="auto-saisines/%Y/%m/", blank=True)
    file_kind = models.CharField("format", max_length=4)  # "csv" or "xlsx"
    # The lines as {column: text}, kept between the analysis and the confirmation.
    rows = models.JSONField("lignes", default=list, blank=True, editable=False)
    # {"total": n, "errors": [{"line", "errors"}], "duplicates": [{"line", "reason"}],
    #  "importable": n} or {"failure": message}
    report = models.JSONField("rapport", default=dict, blank=True, editable=False)
    created_numbers = models.JSONField("saisines créées", default=list, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    created_at = models.DateTimeField("déposé le", default=timezone.now)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    imported_at = models.DateTimeField("importé le", null=True, blank=True)

    objects = WeeklySummaryUploadQuerySet.as_manager()

    class Meta:
        verbose_name = "résumé hebdomadaire déposé"
        verbose_name_plural = "résumés hebdomadaires déposés"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        # Never the file's name, which may hold a person's.
        return f"Résumé hebdomadaire n° {self.pk}"

    @property
    def in_progress(self) -> bool:
        return self.status == SummaryStatus.ANALYSING
