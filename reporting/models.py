"""The bilan: a frozen snapshot of the indicators for a period and a scope, its PDF."""

import operator
from functools import reduce

from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from iscg import access
from iscg.enums import Role
from iscg.gate import GatedQuerySet
from reporting.fields import JSONTextField
from reporting.periods import Period
from reporting.scope import Scope, ScopeKind


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", "Mensuel"
    QUARTERLY = "quarterly", "Trimestriel"
    ANNUAL = "annual", "Annuel"
    ON_DEMAND = "on_demand", "Ponctuel"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    VALIDATED = "validated", "Validé"
    SENT = "sent", "Envoyé"


class GenerationState(models.TextChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"


class ReportQuerySet(GatedQuerySet):
    SUPERUSER_READS_ALL = True

    def readable_by(self, user):
        """The one read gate of the bilans.

        Admin and préfecture: the sent bilans of their département (a draft or a bilan
        validated but not sent belongs to its authors: sending is what makes it theirs).
        Worker: the bilans of the posts they work on. Employer manager: every bilan of
        their employer. Funder users and unit leads: the sent bilans they receive (object
        grants).
        """
        # Only the conditions of the roles the user holds today (their memberships are
        # read once per request): the others match nothing, and each still cost its
        # subqueries' construction on every page that reads a bilan.
        reached = []
        steered = access.department_ids(user, roles=[Role.ADMIN, Role.PREFECTURE])
        if steered:
            reached.append(Q(department_id__in=steered, status=ReportStatus.SENT))
        worked = access.worked_post_ids(user)
        if worked:
            reached.append(Q(scope_post__in=worked))
        if access.manages_employers(user):
            reached.append(Q(employer_id__in=access.managed_employer_ids(user)))
        if access.receives_reports(user):
            reached.append(Q(pk__in=access.received_report_ids(user)))
        if not reached:
            return self.none()
        return self.filter(reduce(operator.or_, reached))

    def latest_versions(self):
        return self.filter(next_versions__isnull=True)

    def with_replacement(self):
        """``replaced_by``: the number of the version that supersedes each, if any."""
        newer = Report.objects.filter(previous_version=models.OuterRef("pk")).values("version")
        return self.annotate(replaced_by=models.Subquery(newer[:1]))

    def of_series(self, *, department_id, kind, period_start, period_end, scope):
        """The versions of one bilan: one département, kind, period and scope."""
        return self.filter(
            department_id=department_id, kind=kind, period_start=period_start
        ).of_period_and_scope(
            period_end=period_end,
            scope_kind=scope.kind,
            employer_id=scope.employer_id,
            post_id=scope.post_id,
            unit_id=scope.unit_id,
        )

    def of_period_and_scope(self, *, period_end, scope_kind, employer_id, post_id, unit_id):
        """Bilans ending that day of one scope (its kind, employer, post and unit)."""
        return self.filter(
            period_end=period_end,
            scope_kind=scope_kind,
            employer_id=employer_id,
            scope_post_id=post_id,
            scope_unit_id=unit_id,
        )

    def summaries(self):
        """Bilans to list, without their figures nor their frozen rows: JSON documents of
        up to a few hundred kilobytes each, which a list does not show."""
        return self.defer("figures", "sources")


def report_upload_to(instance, filename):
    return f"bilans/{instance.period_start:%Y}/bilan-{instance.pk}-v{instance.version}.pdf"


class Report(models.Model):
    department = models.ForeignKey(
        "iscg.Department", verbose_name="département", on_delete=models.PROTECT
    )
    kind = models.CharField("type de bilan", max_length=10, choices=ReportKind.choices)
    period_start = models.DateField("début de la période")
    period_end = models.DateField("fin de la période")
    scope_kind = models.CharField("périmètre", max_length=12, choices=ScopeKind.CHOICES)
    employer = models.ForeignKey(
        "iscg.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    scope_post = models.ForeignKey(
        "iscg.Post",
        verbose_name="poste",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    scope_unit = models.ForeignKey(
        "iscg.Unit",
        verbose_name="unité",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    scope_label = models.CharField("libellé du périmètre", max_length=300, blank=True)
    version = models.PositiveSmallIntegerField("version", default=1)
    previous_version = models.ForeignKey(
        "self",
        verbose_name="version précédente",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
    )
    status = models.CharField(
        "statut", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    figures = models.JSONField("chiffres figés", default=dict, editable=False)
    # The grouped rows the figures were built from (attributes and counts, never a name),
    # frozen with them: bilans of the same period are consolidated from them, reading
    # the rows of every département's bilan at once (hence text, see JSONTextField).
    sources = JSONTextField("lignes des indicateurs", default=dict, editable=False)
    # {post id: digest of the post's grouped rows} as the figures were computed
    # (reporting.indicators.states): the secrecy tells from it which bilans of the same
    # period counted a post's same rows. Empty for a bilan frozen before it was recorded.
    post_states = models.JSONField(
        "états des données des postes", default=dict, blank=True, editable=False
    )
    computed_at = models.DateTimeField("chiffres calculés le", null=True, blank=True)
    # The statistical secrecy decided with the figures (reporting.secrecy): the cells
    # masked for every recipient ([table key, row, column]) and what the audit found.
    masked_cells = models.JSONField("cases masquées (secret statistique)", default=list)
    audit_passed = models.BooleanField(
        "audit du secret statistique réussi", null=True, blank=True, default=None
    )
    audit_report = models.JSONField("résultat de l'audit du secret statistique", default=dict)
    # The answers to the evaluation questions of the cahier des charges, by question key
    # (reporting.evaluation), and each part's other observations as free text.
    worker_answers = models.JSONField(
        "réponses de l'intervenant·e aux questions d'évaluation", default=dict, blank=True
    )
    employer_answers = models.JSONField(
        "réponses de l'employeur aux questions d'évaluation", default=dict, blank=True
    )
    worker_evaluation = models.TextField("autres observations de l'intervenant·e", blank=True)
    employer_evaluation = models.TextField("autres observations de l'employeur", blank=True)
    created_by = models.ForeignKey(
        "iscg.User", verbose_name="créé par", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    validated_by = models.ForeignKey(
        "iscg.User",
        verbose_name="validé par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    to_prefecture = models.BooleanField("destinataire : préfecture", default=True)
    recipient_funders = models.ManyToManyField(
        "iscg.Funder", verbose_name="financeurs destinataires", blank=True, related_name="reports"
    )
    recipient_units = models.ManyToManyField(
        "iscg.Unit",
        verbose_name="unités destinataires (bilans mensuels)",
        blank=True,
        related_name="received_reports",
    )
    pdf = models.FileField("PDF", upload_to=report_upload_to, blank=True)
    generation_state = models.CharField(
        "génération du PDF",
        max_length=10,
        choices=GenerationState.choices,
        default=GenerationState.PENDING,
    )
    generation_error = models.CharField("erreur de génération", max_length=300, blank=True)
    # When the PDF was last asked for: the sweeper hands over again what no worker took.
    generation_requested_at = models.DateTimeField(
        "PDF demandé le", default=timezone.now, null=True, editable=False
    )
    # Each delivery of the task counts one attempt; a PDF that kills its worker every time
    # is stopped after PDF_MAX_ATTEMPTS and marked failed, to be started again by hand.
    generation_attempts = models.PositiveSmallIntegerField(
        "tentatives de génération", default=0, editable=False
    )
    # The Celery worker rendering it: when that worker starts again, a PDF it left
    # "en cours" died with it and is handed over at once (reporting.signals).
    generation_worker = models.CharField(
        "processus de génération", max_length=150, blank=True, editable=False
    )

    objects = ReportQuerySet.as_manager()
    # The grouped rows are only ever written with the figures (a new version of a bilan is
    # a new row): the history keeps the figures, not a second copy of the rows.
    history = HistoricalRecords(
        m2m_fields=[recipient_funders, recipient_units], excluded_fields=["sources", "post_states"]
    )

    class Meta:
        verbose_name = "bilan"
        ordering = ["-period_end", "-pk"]
        indexes = [
            models.Index(fields=["department", "period_end"]),
            models.Index(fields=["employer", "period_end"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_ordered",
                violation_error_message="La fin de la période précède son début.",
            )
        ]

    def __str__(self):
        return f"Bilan {self.get_kind_display().lower()} {self.period.short_label()}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)

    @property
    def scope(self) -> Scope:
        return Scope(
            self.scope_kind,
            self.department_id,
            self.employer_id,
            self.scope_post_id,
            self.scope_unit_id,
        )

    @property
    def is_latest(self) -> bool:
        return not self.next_versions.exists()

    @property
    def is_provisional(self) -> bool:
        """Computed before its period ended: its figures may still change, so it is a
        working document only (never validated nor sent, see reporting.periods)."""
        if self.computed_at is None:
            return False
        return timezone.localdate(self.computed_at) <= self.period_end

    @property
    def title(self) -> str:
        provisional = ", provisoire" if self.is_provisional else ""
        return f"{self} — {self.scope_label} (version {self.version}{provisional})"


class ReportUserObjectPermission(UserObjectPermissionBase):
    """Recipients' users may view a sent bilan (granted by reporting.grant_sources)."""

    content_object = models.ForeignKey(Report, on_delete=models.CASCADE)


class RetainedCounts(models.Model):
    """What anonymised people and files leave: their contribution to the grouped rows the
    indicators read (``reporting.indicators.base.SOURCES``), for one post and one calendar
    month, quarter or year, in the role of that period's own figures. Counts only: the
    individual rows are deleted (``reporting.retained``; docs/rgpd.md says why)."""

    post = models.ForeignKey(
        "iscg.Post", verbose_name="poste", on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField("début de la période")
    period_end = models.DateField("fin de la période")
    # {source name: packed rows (reporting.indicators.base.pack)}
    sources = JSONTextField("effectifs", default=dict)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "effectifs conservés après anonymisation"
        verbose_name_plural = "effectifs conservés après anonymisation"
        indexes = [models.Index(fields=["period_start", "period_end", "post"])]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class FrozenLiveAnswer(models.Model):
    """A post's perturbed answer to the live statistics for a calendar quarter whose
    entries are closed (``reporting.periods.entries_closed_on``), computed once and kept
    (``reporting.frozen``): an entry made later into the quarter would otherwise draw a
    second noise for nearly the same people. Counts only, as the page shows them; never
    shown but through the page, after its form has checked the viewer's scope."""

    post = models.ForeignKey(
        "iscg.Post", verbose_name="poste", on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField("début du trimestre")
    period_end = models.DateField("fin du trimestre")
    # The indicators' layout the answer was computed with (reporting.indicators.LAYOUT).
    layout = models.PositiveSmallIntegerField("version des tableaux")
    figures = JSONTextField("chiffres perturbés", default=dict)
    frozen_at = models.DateTimeField("arrêtés le", default=timezone.now)

    class Meta:
        verbose_name = "statistiques en direct arrêtées d'un poste"
        verbose_name_plural = "statistiques en direct arrêtées des postes"
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end", "layout", "post"],
                name="frozen_live_answer_once",
            )
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"
