"""A convention, its parties and the posts it covers; the rules of their dates and file."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from conventions.enums import (
    ConventionKind,
    ConventionStatus,
    PartyRole,
)
from conventions.roles import EDIT_ROLES
from iscg import access
from iscg.dates import add_months
from iscg.enums import Role
from iscg.gate import GatedQuerySet

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
PDF_MAX_BYTES = 20 * 1024 * 1024


def term_months(start: datetime.date, end: datetime.date) -> int:
    """Months from ``start`` to ``end`` inclusive, to the nearest month (at least one)."""
    after = end + datetime.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    while months > 0 and add_months(start, months) > after:
        months -= 1
    if (after - add_months(start, months)).days >= 15:
        months += 1
    return max(months, 1)


def validate_pdf(uploaded) -> None:
    """A signed document is a PDF: by its name and by its first bytes."""
    FileExtensionValidator(
        ["pdf"], message="Le document doit être un fichier PDF (extension .pdf)."
    )(uploaded)
    if uploaded.size and uploaded.size > PDF_MAX_BYTES:
        raise ValidationError("Le document dépasse 20 Mo.")
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(5)
    uploaded.seek(position)
    if head != b"%PDF-":
        raise ValidationError("Le fichier n'est pas un PDF valide.")


class ConventionQuerySet(GatedQuerySet):
    SUPERUSER_READS_ALL = True

    def readable_by(self, user):
        return self.filter(
            Q(pk__in=access.granted_convention_ids(user))
            | Q(
                employer__department_id__in=access.department_ids(
                    user, roles=[Role.ADMIN, Role.PREFECTURE]
                )
            )
        )

    def editable_by(self, user):
        return self.gated(
            user,
            lambda user: self.filter(
                employer__department_id__in=access.department_ids(user, roles=EDIT_ROLES)
            ),
        )

    def overlapping(self, start, end):
        return self.filter(start__lte=end, end__gte=start)

    def in_force(self):
        return self.filter(status__in=ConventionStatus.in_force())


class Convention(models.Model):
    kind = models.CharField("nature", max_length=20, choices=ConventionKind.choices)
    title = models.CharField("intitulé", max_length=250)
    reference = models.CharField("référence", max_length=100, blank=True)
    employer = models.ForeignKey(
        "iscg.Employer",
        verbose_name="employeur (opérateur)",
        on_delete=models.PROTECT,
        related_name="conventions",
    )
    start = models.DateField("date de début")
    end = models.DateField("date de fin")
    signed_on = models.DateField("date de signature", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=ConventionStatus.choices, default=ConventionStatus.DRAFT
    )
    tacit_renewal = models.BooleanField("reconduction tacite", default=False)
    notice_months = models.PositiveSmallIntegerField(
        "préavis de dénonciation (mois)",
        default=3,
        help_text="Nombre de mois avant l'échéance pour dénoncer la convention.",
    )
    notice_deadline = models.DateField(
        "date limite de dénonciation", null=True, blank=True, editable=False
    )
    initial_end = models.DateField(
        "fin de la période initiale",
        null=True,
        blank=True,
        editable=False,
        help_text="Renseignée à la première reconduction tacite.",
    )
    notes = models.TextField("observations", blank=True)
    posts = models.ManyToManyField(
        "iscg.Post", through="ConventionPost", related_name="conventions", verbose_name="postes"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = ConventionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "convention"
        ordering = ["-start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="convention_end_after_start",
                violation_error_message="La date de fin précède la date de début.",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def department_id(self):
        return self.employer.department_id

    def compute_notice_deadline(self) -> datetime.date | None:
        if not self.end:
            return None
        return add_months(self.end, -int(self.notice_months or 0))

    @property
    def tacitly_renewed(self) -> bool:
        return bool(self.tacit_renewal and self.initial_end and self.end > self.initial_end)

    def renewal_months(self) -> int:
        """The length of one renewal: the initial term (start to first end), in months."""
        return term_months(self.start, self.initial_end or self.end)

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))


class ConventionChildQuerySet(GatedQuerySet):
    """A convention's parts are read with their convention."""

    SUPERUSER_READS_ALL = True

    def readable_by(self, user):
        return self.filter(convention__in=Convention.objects.readable_by(user))


class ConventionParty(models.Model):
    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField("qualité", max_length=20, choices=PartyRole.choices)
    label = models.CharField(
        "désignation",
        max_length=200,
        blank=True,
        help_text="Par exemple « Préfecture de l'Ain » ; déduite de l'organisation si vide.",
    )
    funder = models.ForeignKey(
        "iscg.Funder",
        verbose_name="financeur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="convention_parties",
    )
    employer = models.ForeignKey(
        "iscg.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="convention_parties",
    )
    unit = models.ForeignKey(
        "iscg.Unit",
        verbose_name="unité",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="convention_parties",
    )
    signed_on = models.DateField("date de signature", null=True, blank=True)

    objects = ConventionChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "partie à la convention"
        verbose_name_plural = "parties à la convention"
        ordering = ["convention", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=PartyRole.FUNDER) | Q(funder__isnull=False),
                name="party_funder_has_funder",
                violation_error_message="Indiquez le financeur.",
            ),
            models.CheckConstraint(
                condition=~Q(role=PartyRole.EMPLOYER) | Q(employer__isnull=False),
                name="party_employer_has_employer",
                violation_error_message="Indiquez l'employeur.",
            ),
            models.UniqueConstraint(
                fields=["convention", "funder"],
                name="party_funder_once",
                violation_error_message="Ce financeur est déjà partie à la convention.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        target = self.funder or self.employer or self.unit
        return str(target) if target else self.get_role_display()


class ConventionPost(models.Model):
    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="covered"
    )
    post = models.ForeignKey(
        "iscg.Post", verbose_name="poste", on_delete=models.PROTECT, related_name="coverings"
    )
    etp = models.DecimalField(
        "ETP financés",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.05"))],
    )

    objects = ConventionChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "poste couvert"
        verbose_name_plural = "postes couverts"
        ordering = ["post__label"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "post"],
                name="convention_post_once",
                violation_error_message="Ce poste est déjà couvert par la convention.",
            )
        ]

    def __str__(self):
        return f"{self.post} ({self.etp} ETP)"
