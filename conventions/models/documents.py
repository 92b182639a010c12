"""A convention's amendments and signed documents."""

from django.db import models
from simple_history.models import HistoricalRecords

from conventions.models.conventions import (
    Convention,
    ConventionChildQuerySet,
    validate_pdf,
)


class Amendment(models.Model):
    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="amendments"
    )
    number = models.PositiveSmallIntegerField("numéro", default=1)
    date = models.DateField("date de l'avenant")
    summary = models.TextField("ce que l'avenant modifie")
    document = models.FileField(
        "avenant signé (PDF)",
        upload_to="conventions/avenants/%Y/",
        blank=True,
        validators=[validate_pdf],
    )

    objects = ConventionChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "avenant"
        ordering = ["date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="amendment_number_once_per_convention"
            )
        ]

    def __str__(self):
        return f"Avenant n° {self.number} du {self.date:%d/%m/%Y}"


class ConventionDocument(models.Model):
    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField("titre", max_length=200)
    file = models.FileField(
        "fichier PDF", upload_to="conventions/documents/%Y/", validators=[validate_pdf]
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "iscg.User", verbose_name="déposé par", on_delete=models.SET_NULL, null=True, blank=True
    )

    objects = ConventionChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "document signé"
        verbose_name_plural = "documents signés"
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title
