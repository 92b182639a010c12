"""Alerts sent about a convention, and its readers' grants (django-guardian)."""

from django.db import models
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from conventions.enums import (
    AlertKind,
)
from conventions.models.conventions import (
    Convention,
    ConventionChildQuerySet,
)


class SentAlert(models.Model):
    """One alert per convention, kind, deadline and object: never sent twice."""

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField("nature", max_length=20, choices=AlertKind.choices)
    deadline = models.DateField("échéance")
    key = models.CharField("objet", max_length=50, blank=True)
    message = models.CharField("message", max_length=300)
    created_at = models.DateTimeField("détectée le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)

    objects = ConventionChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "alerte envoyée"
        verbose_name_plural = "alertes envoyées"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "kind", "deadline", "key"], name="alert_once"
            )
        ]

    def __str__(self):
        return self.message


class ConventionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Convention, on_delete=models.CASCADE)
