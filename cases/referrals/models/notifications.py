"""The outbox of e-mail notifications: written in the same transaction as the event.

A row is created with the referral or the feedback it announces; a Celery task sends it
and marks it sent under a row lock, so a lost broker delays a notification but never
loses it, and a task run twice never sends two e-mails.
"""

from django.db import models


class NotificationEvent(models.TextChoices):
    NEW_REFERRAL = "new_referral", "Nouvelle saisine"
    REMINDER = "reminder", "Relance d'une saisine non prise en compte"
    FEEDBACK_POSTED = "feedback_posted", "Retour envoyé à l'unité"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "À envoyer"
    SENT = "sent", "Envoyée"
    SKIPPED = "skipped", "Sans destinataire"


class NotificationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=NotificationStatus.PENDING)


class Notification(models.Model):
    # One row per event: "new_referral:12", "reminder:12", "feedback_posted:34".
    key = models.CharField("clé", max_length=60, unique=True)
    event = models.CharField("événement", max_length=20, choices=NotificationEvent.choices)
    referral = models.ForeignKey(
        "cases.Referral",
        verbose_name="saisine",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    feedback = models.ForeignKey(
        "cases.UnitFeedback",
        verbose_name="retour",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    status = models.CharField(
        "état",
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    recipient_count = models.PositiveSmallIntegerField("destinataires", default=0)
    last_error = models.CharField("dernière erreur", max_length=300, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.get_event_display()} ({self.key})"
