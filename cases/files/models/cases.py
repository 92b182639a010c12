"""The accompaniment (Case), its actes and its orientations to partners."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.enums import ClosingReason, OrientationStatus
from cases.models.scope import CaseChildQuerySet, PostScopedQuerySet
from iscg.loaded_relations import TrustLoadedRelations


class CaseQuerySet(PostScopedQuerySet):
    archive_path = "beneficiary__archived_at"

    def open(self):
        return self.filter(closed_on__isnull=True)

    def overlapping(self, start, end):
        """Cases open at some point between two dates (both included)."""
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start), opened_on__lte=end)


class Case(TrustLoadedRelations, models.Model):
    beneficiary = models.ForeignKey(
        "cases.Beneficiary",
        verbose_name="bénéficiaire",
        on_delete=models.PROTECT,
        related_name="cases",
    )
    post = models.ForeignKey(
        "iscg.Post", verbose_name="poste", on_delete=models.PROTECT, related_name="cases"
    )
    opened_on = models.DateField("ouvert le", default=timezone.localdate)
    closed_on = models.DateField("clôturé le", null=True, blank=True)
    closing_reason = models.CharField(
        "motif de clôture", max_length=15, choices=ClosingReason.choices, blank=True
    )
    created_by = models.ForeignKey(
        "iscg.User", verbose_name="ouvert par", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    import_batch = models.ForeignKey(
        "cases.ImportBatch",
        verbose_name="import d'origine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The person's record belongs to another post (a worker of two posts, a stand-in).
    # Fixed at creation, since neither a case's person nor a record's post ever changes:
    # it keeps those few people in reach of ``Beneficiary.objects.visible_to`` without
    # rereading every person accompanied on the post.
    beneficiary_elsewhere = models.BooleanField(default=False, editable=False)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["beneficiary_elsewhere"])

    class Meta:
        verbose_name = "accompagnement"
        ordering = ["-opened_on", "-pk"]
        indexes = [
            # Covering on PostgreSQL: bilans read the files of their posts from the index.
            models.Index(
                fields=["post", "opened_on"],
                include=["closed_on", "beneficiary", "id"],
                name="case_post_opened",
            ),
            # Covering too: the open cases of a post (dashboard) come from the index alone.
            models.Index(
                fields=["post", "closed_on"],
                include=["opened_on", "beneficiary", "id"],
                name="case_post_closed",
            ),
            models.Index(
                fields=["post", "beneficiary"],
                condition=Q(beneficiary_elsewhere=True),
                name="case_post_elsewhere",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closed_after_opened",
                violation_error_message="La clôture ne peut pas précéder l'ouverture.",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(closing_reason=""),
                name="case_closed_with_reason",
                violation_error_message="Indiquez le motif de clôture.",
            ),
        ]

    def __str__(self):
        return f"Accompagnement n° {self.pk}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.beneficiary_elsewhere = self.beneficiary.post_id != self.post_id
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def duration_days(self) -> int | None:
        """Duration of the accompaniment: closed − opened (to today while open)."""
        end = self.closed_on or timezone.localdate()
        return (end - self.opened_on).days


class Action(TrustLoadedRelations, models.Model):
    """An acte: entretien, visite, démarche, contact partenaire, signalement…"""

    case = models.ForeignKey(
        Case, verbose_name="accompagnement", on_delete=models.CASCADE, related_name="actions"
    )
    # The case's post, copied on save: lists, visibility and bilans filter actes by post and
    # date through one index instead of joining every acte to its case.
    post = models.ForeignKey(
        "iscg.Post",
        verbose_name="poste",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    kind = models.ForeignKey(
        "cases.ActionKind", verbose_name="type d'acte", on_delete=models.PROTECT
    )
    occurred_at = models.DateTimeField("date et heure", default=timezone.now)
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=30)
    site = models.ForeignKey(
        "iscg.Site",
        verbose_name="lieu",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    author = models.ForeignKey(
        "iscg.User", verbose_name="auteur", on_delete=models.PROTECT, related_name="+"
    )
    confidential_note = models.TextField(
        "note confidentielle",
        blank=True,
        help_text="Lisible par vous et les intervenant·es du même poste uniquement.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    import_batch = models.ForeignKey(
        "cases.ImportBatch",
        verbose_name="import d'origine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CaseChildQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["post"])

    class Meta:
        verbose_name = "acte"
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["case", "occurred_at"]),
            models.Index(fields=["occurred_at"]),
            # Covering on PostgreSQL: bilans count actes by kind and site from the index alone.
            models.Index(
                fields=["post", "occurred_at"],
                include=["kind", "site", "case"],
                name="action_post_date",
            ),
        ]

    def __str__(self):
        return f"{self.kind} du {timezone.localtime(self.occurred_at):%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.post_id = self.case.post_id
        super().save(*args, **kwargs)


class Orientation(TrustLoadedRelations, models.Model):
    case = models.ForeignKey(
        Case, verbose_name="accompagnement", on_delete=models.CASCADE, related_name="orientations"
    )
    post = models.ForeignKey(  # the case's post, copied on save (as for actes)
        "iscg.Post",
        verbose_name="poste",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name="partenaire",
        on_delete=models.PROTECT,
        related_name="orientations",
    )
    oriented_on = models.DateField("date", default=timezone.localdate)
    reason = models.CharField("motif", max_length=300)
    status = models.CharField(
        "statut",
        max_length=15,
        choices=OrientationStatus.choices,
        default=OrientationStatus.PROPOSED,
    )
    partner_answer = models.TextField("réponse du partenaire", blank=True)
    author = models.ForeignKey(
        "iscg.User", verbose_name="auteur", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    import_batch = models.ForeignKey(
        "cases.ImportBatch",
        verbose_name="import d'origine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CaseChildQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["post"])

    class Meta:
        verbose_name = "orientation"
        ordering = ["-oriented_on", "-pk"]
        # Covering: the bilan counts a post's orientations of a period by partner and
        # outcome from the index alone (PostgreSQL; other databases ignore ``include``).
        indexes = [
            models.Index(
                fields=["post", "oriented_on"],
                include=["status", "partner", "id"],
                name="orientation_post_date_cover",
            )
        ]

    def __str__(self):
        return f"Orientation vers {self.partner}"

    def save(self, *args, **kwargs):
        self.post_id = self.case.post_id
        super().save(*args, **kwargs)
