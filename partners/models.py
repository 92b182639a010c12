"""The partner directory: where workers orient the people they accompany."""

from django.db import models
from simple_history.models import HistoricalRecords

from iscg.models.organisation import DepartmentScopedQuerySet


class ReferenceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def known_in(self, department_ids):
        """Entries a département's pages may name: the shared list and its own entries."""
        return self.filter(
            models.Q(department__isnull=True) | models.Q(department__in=department_ids)
        )

    def usable_in(self, department_ids):
        """Entries the forms of these départements offer: the shared entries in use and
        switched off in none of them, and their own entries in use. ``department_ids``
        may be a list or a subquery."""
        return (
            self.active()
            .filter(models.Q(department__isnull=True) | models.Q(department__in=department_ids))
            .exclude(disabled_in__in=department_ids)
        )


class DepartmentalReference(models.Model):
    """An entry of a reference list: shared by every département (managed by the
    operator) or a département's own; a département may switch a shared entry off."""

    department = models.ForeignKey(
        "iscg.Department",
        verbose_name="propre au département",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Vide : entrée commune à tous les départements.",
    )
    disabled_in = models.ManyToManyField(
        "iscg.Department", verbose_name="désactivée dans", blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class PartnerKind(DepartmentalReference):
    """Reference list an admin can extend (services sociaux, CAF, CIDFF, 115…)."""

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=150)
    order = models.PositiveSmallIntegerField("ordre", default=100)
    is_active = models.BooleanField("en usage", default=True)
    is_health_related = models.BooleanField(
        "révèle une information de santé",
        default=False,
        help_text="Signalé comme tel quand l'intervenant·e choisit d'en informer l'unité.",
    )

    objects = ReferenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "type de partenaire"
        verbose_name_plural = "types de partenaires"
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class Partner(models.Model):
    department = models.ForeignKey(
        "iscg.Department", verbose_name="département", on_delete=models.PROTECT
    )
    name = models.CharField("nom", max_length=200)
    kind = models.ForeignKey(
        PartnerKind, verbose_name="type", on_delete=models.PROTECT, related_name="partners"
    )
    commune = models.ForeignKey(
        "iscg.Commune", verbose_name="commune", on_delete=models.PROTECT, null=True, blank=True
    )
    address = models.CharField("adresse", max_length=300, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("courriel", blank=True)
    website = models.URLField("site internet", blank=True)
    description = models.TextField("missions et modalités d'accès", blank=True)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "partenaire"
        ordering = ["name"]
        indexes = [models.Index(fields=["department", "kind"])]

    def __str__(self):
        return self.name
