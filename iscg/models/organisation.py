"""Who does what where: employers, funders, police and gendarmerie units, sites, posts."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from iscg import access
from iscg.enums import EmployerKind, Force, FunderKind, HoldingKind, Role, SiteKind, UnitKind
from iscg.gate import GatedQuerySet
from iscg.models.schedules import schedule_in_words


class DepartmentScopedQuerySet(GatedQuerySet):
    """Organisation records are public within a département to its members."""

    SUPERUSER_READS_ALL = True

    def readable_by(self, user):
        return self.filter(department_id__in=access.department_ids(user))

    def administered_by(self, user):
        """The records the administration pages show: those of the départements where the
        user is the administrator (every one for the technical operator)."""
        return self.gated(
            user,
            lambda user: self.filter(
                department_id__in=access.department_ids(user, roles=[Role.ADMIN])
            ),
        )


class Employer(models.Model):
    department = models.ForeignKey(
        "iscg.Department", verbose_name="département", on_delete=models.PROTECT
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=20, choices=EmployerKind.choices)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    address = models.TextField("adresse", blank=True)
    email = models.EmailField("courriel de contact", blank=True)

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "employeur"
        ordering = ["name"]
        permissions = [("manage_employer", "Gérer les postes et bilans de cet employeur")]

    def __str__(self):
        return self.name


class Funder(models.Model):
    """A co-funder of the posts (État via the FIPD, département, CAF, EPCI, commune…)."""

    department = models.ForeignKey(
        "iscg.Department", verbose_name="département", on_delete=models.PROTECT
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=20, choices=FunderKind.choices)
    email = models.EmailField("courriel de contact", blank=True)

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "financeur"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_state(self) -> bool:
        return self.kind == FunderKind.FIPD


class UnitQuerySet(DepartmentScopedQuerySet):
    def police(self):
        return self.filter(kind__in=UnitKind.police())

    def gendarmerie(self):
        return self.filter(kind__in=UnitKind.gendarmerie())

    def receiving_referrals(self):
        return self.filter(kind__in=[UnitKind.COMMISSARIAT, UnitKind.BRIGADE])


class Unit(models.Model):
    department = models.ForeignKey(
        "iscg.Department", verbose_name="département", on_delete=models.PROTECT
    )
    kind = models.CharField("nature", max_length=20, choices=UnitKind.choices)
    name = models.CharField("nom", max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name="unité de rattachement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    commune = models.ForeignKey(
        "iscg.Commune", verbose_name="commune", on_delete=models.PROTECT, null=True, blank=True
    )
    email = models.EmailField(
        "messagerie institutionnelle",
        blank=True,
        help_text="Adresse de l'unité à laquelle sont envoyés les avis de retour.",
    )

    objects = UnitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "unité"
        ordering = ["department", "kind", "name"]
        permissions = [("follow_unit", "Suivre les saisines de cette unité")]

    def __str__(self):
        return self.name

    @property
    def force(self) -> str:
        return Force.POLICE if self.kind in UnitKind.police() else Force.GENDARMERIE

    def descendant_ids(self) -> set[int]:
        """This unit and every unit below it (a groupement has compagnies, then brigades),
        in one query (iscg.access.unit_ids_under)."""
        return access.unit_ids_under({self.pk})


class Site(models.Model):
    """A lieu d'accueil or de permanence where the worker receives people."""

    department = models.ForeignKey(
        "iscg.Department", verbose_name="département", on_delete=models.PROTECT
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=20, choices=SiteKind.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name="unité (si locaux d'une unité)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
    )
    commune = models.ForeignKey(
        "iscg.Commune", verbose_name="commune", on_delete=models.PROTECT, null=True, blank=True
    )
    address = models.CharField("adresse", max_length=300, blank=True)
    # The recurring permanences are ``openings`` (iscg.models.schedules); this is what
    # they cannot say ("sur rendez-vous", "sauf en août").
    schedule = models.CharField("précisions sur les permanences", max_length=300, blank=True)
    is_active = models.BooleanField("en service", default=True)

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "lieu d'accueil"
        verbose_name_plural = "lieux d'accueil"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def schedule_in_words(self) -> str:
        return schedule_in_words(self.openings.all(), self.schedule)


class PostQuerySet(GatedQuerySet):
    SUPERUSER_READS_ALL = True

    def readable_by(self, user):
        return self.filter(
            Q(pk__in=access.worked_post_ids(user))
            | Q(employer_id__in=access.managed_employer_ids(user))
            | Q(
                employer__department_id__in=access.department_ids(
                    user, roles=[Role.ADMIN, Role.PREFECTURE]
                )
            )
        )

    def administered_by(self, user):
        """The posts of the départements where the user is the administrator."""
        return self.gated(
            user,
            lambda user: self.filter(
                employer__department_id__in=access.department_ids(user, roles=[Role.ADMIN])
            ),
        )

    def serving_unit(self, unit):
        return self.filter(units=unit, is_active=True)

    def filled(self, on=None):
        return self.filter(pk__in=PostHolding.objects.filling(on).values("post_id"))


class Post(models.Model):
    """A poste of intervenant·e social·e: an ETP share paid by an employer, serving units."""

    employer = models.ForeignKey(
        Employer, verbose_name="employeur", on_delete=models.PROTECT, related_name="posts"
    )
    label = models.CharField("intitulé", max_length=200)
    etp = models.DecimalField(
        "ETP",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1.00"))],
    )
    units = models.ManyToManyField(Unit, verbose_name="unités servies", related_name="posts")
    sites = models.ManyToManyField(
        Site, verbose_name="lieux d'accueil", related_name="posts", blank=True
    )
    main_site = models.ForeignKey(
        Site,
        verbose_name="lieu d'accueil habituel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField("actif", default=True)
    workers = models.ManyToManyField(
        "iscg.User", through="iscg.PostHolding", related_name="posts", verbose_name="intervenants"
    )

    objects = PostQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[units, sites])

    class Meta:
        verbose_name = "poste"
        ordering = ["label"]
        permissions = [("work_on_post", "Travailler sur les dossiers de ce poste")]

    def __str__(self):
        return self.label

    @property
    def department_id(self):
        return self.employer.department_id


class PostHoldingQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))

    def filling(self, on=None):
        """Holdings that make a post filled: current, by an account still active. A post
        without one is vacant, whatever holdings it had or will have."""
        return self.current(on).filter(worker__is_active=True)


class PostHolding(models.Model):
    """A worker holds a post, or stands in for its holder, between two dates."""

    post = models.ForeignKey(Post, verbose_name="poste", on_delete=models.CASCADE)
    worker = models.ForeignKey(
        "iscg.User", verbose_name="intervenant·e", on_delete=models.PROTECT, related_name="holdings"
    )
    kind = models.CharField(
        "nature", max_length=10, choices=HoldingKind.choices, default=HoldingKind.HOLDER
    )
    start = models.DateField("début")
    end = models.DateField("fin", null=True, blank=True)

    objects = PostHoldingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "affectation sur un poste"
        verbose_name_plural = "affectations sur les postes"
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="holding_end_after_start",
                violation_error_message="La fin de l'affectation précède son début.",
            )
        ]

    def __str__(self):
        return f"{self.worker} — {self.post} ({self.get_kind_display()})"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start <= on and (self.end is None or self.end >= on)
