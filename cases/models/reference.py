"""Reference lists an admin can extend: problems and kinds of actes."""

from django.db import models
from simple_history.models import HistoricalRecords

from cases.enums import LegalReport
from partners.models import DepartmentalReference, ReferenceQuerySet


class Problem(DepartmentalReference):
    """A problématique of the départemental reference list (violences conjugales…)."""

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=150)
    order = models.PositiveSmallIntegerField("ordre", default=100)
    is_active = models.BooleanField("en usage", default=True)

    objects = ReferenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "problématique"
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class ActionKind(DepartmentalReference):
    """A kind of acte: entretien, visite, démarche… and the legal reports."""

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=150)
    legal_report = models.CharField(
        "signalement légal", max_length=12, choices=LegalReport.choices, blank=True, default=""
    )
    is_contact = models.BooleanField(
        "contact avec la personne",
        default=True,
        help_text="Compte comme un contact pour la durée de conservation et les retours.",
    )
    order = models.PositiveSmallIntegerField("ordre", default=100)
    is_active = models.BooleanField("en usage", default=True)

    objects = ReferenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "type d'acte"
        verbose_name_plural = "types d'actes"
        ordering = ["order", "label"]

    def __str__(self):
        return self.label
