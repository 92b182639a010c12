"""A convention's money: budget lines, funding lines (co-funding) and payments.

Money is ``Decimal`` everywhere; the rules that keep the sums reconciled live in
``conventions.services``."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from conventions.enums import (
    BudgetCategory,
    ConventionStatus,
)
from conventions.models.conventions import (
    MONEY,
    Convention,
    ConventionChildQuerySet,
)
from iscg.gate import GatedQuerySet


class BudgetLine(models.Model):
    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="budget"
    )
    year = models.PositiveSmallIntegerField("année")
    category = models.CharField("poste de dépense", max_length=20, choices=BudgetCategory.choices)
    amount = models.DecimalField("montant (€)", **MONEY)

    objects = ConventionChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ligne de budget"
        verbose_name_plural = "budget"
        ordering = ["year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "year", "category"],
                name="budget_line_once",
                violation_error_message="Cette dépense est déjà prévue pour cette année.",
            )
        ]

    def __str__(self):
        return f"{self.year} – {self.get_category_display()} : {self.amount} €"


class FundingLineQuerySet(ConventionChildQuerySet):
    def with_paid(self):
        paid = (
            Payment.objects.filter(funding_line=models.OuterRef("pk"))
            .values("funding_line")
            .annotate(total=models.Sum("amount"))
            .values("total")
        )
        return self.annotate(
            paid=models.functions.Coalesce(
                models.Subquery(
                    paid, output_field=models.DecimalField(max_digits=12, decimal_places=2)
                ),
                Decimal("0"),
                output_field=models.DecimalField(max_digits=12, decimal_places=2),
            )
        ).annotate(remaining=models.F("granted") - models.F("paid"))

    def overdue(self, today):
        return (
            self.with_paid()
            .filter(due_date__lt=today, granted__gt=models.F("paid"))
            .exclude(convention__status__in=[ConventionStatus.DRAFT, ConventionStatus.TERMINATED])
        )


class FundingLine(models.Model):
    """What one funder is asked for and grants for one year of a convention."""

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="funding"
    )
    funder = models.ForeignKey(
        "iscg.Funder", verbose_name="financeur", on_delete=models.PROTECT, related_name="funding"
    )
    year = models.PositiveSmallIntegerField("année")
    requested = models.DecimalField("montant demandé (€)", default=Decimal("0"), **MONEY)
    granted = models.DecimalField("montant accordé (€)", default=Decimal("0"), **MONEY)
    decision_reference = models.CharField("référence de la décision", max_length=100, blank=True)
    decision_date = models.DateField("date de la décision", null=True, blank=True)
    due_date = models.DateField(
        "date limite de versement",
        null=True,
        blank=True,
        help_text="Au-delà, le montant accordé non versé est signalé en retard.",
    )

    objects = FundingLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ligne de cofinancement"
        verbose_name_plural = "lignes de cofinancement"
        ordering = ["year", "funder__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "funder", "year"],
                name="funding_line_once",
                violation_error_message="Ce financeur a déjà une ligne pour cette année.",
            )
        ]

    def __str__(self):
        return f"{self.funder} – {self.year}"


class PaymentQuerySet(GatedQuerySet):
    """A payment is read with the convention of its funding line."""

    SUPERUSER_READS_ALL = True

    def readable_by(self, user):
        return self.filter(funding_line__convention__in=Convention.objects.readable_by(user))


class Payment(models.Model):
    funding_line = models.ForeignKey(
        FundingLine,
        verbose_name="ligne de cofinancement",
        on_delete=models.CASCADE,
        related_name="payments",
    )
    date = models.DateField("date du versement")
    amount = models.DecimalField(
        "montant versé (€)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    reference = models.CharField("référence", max_length=100, blank=True)

    objects = PaymentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "versement"
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.amount} € le {self.date:%d/%m/%Y}"
