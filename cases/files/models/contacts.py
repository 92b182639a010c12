"""Short anonymous contacts that count in the statistics without opening a file."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.enums import AgeBand, ContactMode, Sex
from cases.models.scope import PostScopedQuerySet
from iscg.loaded_relations import TrustLoadedRelations


class AnonymousContact(TrustLoadedRelations, models.Model):
    post = models.ForeignKey(
        "iscg.Post",
        verbose_name="poste",
        on_delete=models.PROTECT,
        related_name="anonymous_contacts",
    )
    occurred_on = models.DateField("date", default=timezone.localdate)
    site = models.ForeignKey(
        "iscg.Site", verbose_name="lieu", on_delete=models.PROTECT, null=True, blank=True
    )
    mode = models.CharField("nature du contact", max_length=10, choices=ContactMode.choices)
    source_unit = models.ForeignKey(
        "iscg.Unit",
        verbose_name="unité à l'origine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    problem = models.ForeignKey(
        "cases.Problem", verbose_name="problématique", on_delete=models.PROTECT
    )
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    age_band = models.CharField(
        "tranche d'âge", max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
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

    objects = PostScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "contact anonyme"
        verbose_name_plural = "contacts anonymes"
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["post", "occurred_on"])]

    def __str__(self):
        return f"Contact anonyme du {self.occurred_on:%d/%m/%Y}"
