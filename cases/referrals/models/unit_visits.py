"""When a unit's user last looked at their saisines: what arrived since is marked new."""

from django.conf import settings
from django.db import models


class ReferralListVisit(models.Model):
    """One row per unit user, moved forward each time they open their saisines list.

    It holds no personal data beyond the user and a time, and no case information: it only
    tells which feedback arrived since that user last looked.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="referral_list_visit",
    )
    seen_at = models.DateTimeField("dernière consultation")

    class Meta:
        verbose_name = "consultation des saisines"
        verbose_name_plural = "consultations des saisines"

    def __str__(self):
        return f"{self.user} — {self.seen_at:%d/%m/%Y %H:%M}"
