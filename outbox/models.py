"""The outbox: every e-mail the application sends, one row per (event, recipient).

A row is written in the transaction of the event it announces (a referral, a sent
bilan, a password reset…). It is sent outside any transaction, recorded as sent or
failed with its attempt count, and retried with backoff. The unique (event, recipient)
pair is what makes "never twice to the same recipient for the same event" hold.
"""

from django.db import models
from django.db.models import Q


class EmailStatus(models.TextChoices):
    PENDING = "pending", "À envoyer"
    SENDING = "sending", "Envoi en cours"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Abandonné"


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status=EmailStatus.PENDING).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )

    def for_event(self, event_key: str):
        return self.filter(event_key=event_key)


class OutgoingEmail(models.Model):
    # "new_referral:12", "report_sent:5", "convention_alert:7", "password_reset:<uuid>"…
    event_key = models.CharField("événement", max_length=120)
    recipient = models.EmailField("destinataire", max_length=254)
    subject = models.CharField("objet", max_length=300)
    # Emptied once sent: the message (a link, sometimes a password-reset token) is not kept.
    body = models.TextField("message", blank=True)
    status = models.CharField(
        "état", max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", null=True, blank=True)
    claimed_at = models.DateTimeField("pris en charge le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    last_error = models.CharField("dernière erreur", max_length=300, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "courriel sortant"
        verbose_name_plural = "courriels sortants"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient"], name="outbox_once_per_event_and_recipient"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event_key} → {self.recipient} ({self.get_status_display()})"
