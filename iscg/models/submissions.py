"""Form submissions already received: a form sent twice (a double click, a replayed POST)
is answered with the first answer instead of being acted on twice."""

from django.conf import settings
from django.db import models


class Submission(models.Model):
    """One row per token a page gave a form (``static/iscg/one-submission.js``).

    Kept a day (``iscg.tasks.purge_submissions``): long enough for a resent form, short
    enough to hold nothing but a token, a user, a time and the address answered.
    """

    token = models.CharField("jeton", max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE
    )
    path = models.CharField("adresse du formulaire", max_length=500)
    location = models.CharField("réponse (redirection)", max_length=1000, blank=True)
    created_at = models.DateTimeField("reçu le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "envoi de formulaire"
        verbose_name_plural = "envois de formulaires"
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="submission_once_per_user")
        ]

    def __str__(self):
        return f"{self.path} ({self.created_at:%d/%m/%Y %H:%M})"
