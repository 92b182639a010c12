"""The access log: who opened, exported or was refused what, and when.

A row never holds case content: the object is designated by its content type, its id
and a neutral label ("bénéficiaire n° 12"), never by its ``str()``.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils import timezone


class AccessAction(models.TextChoices):
    VIEW = "view", "Consultation"
    EXPORT = "export", "Export"
    PDF_DOWNLOAD = "pdf_download", "Téléchargement PDF"
    HISTORY_VIEW = "history_view", "Consultation de l'historique"
    ARCHIVE_OPEN = "archive_open", "Ouverture d'une archive"
    LOGIN = "login", "Connexion"
    LOGOUT = "logout", "Déconnexion"
    LOGIN_FAILED = "login_failed", "Échec de connexion"
    OTP_FAILED = "otp_failed", "Échec du second facteur"
    ACCESS_REFUSED = "access_refused", "Accès refusé"
    # Departmental administration: who gave or ended which access (four eyes).
    ACCOUNT_INVITED = "account_invited", "Invitation d'un compte"
    ACCOUNT_DEACTIVATED = "account_deactivated", "Désactivation d'un compte"
    ACCOUNT_REACTIVATED = "account_reactivated", "Réactivation d'un compte"
    OTP_RESET = "otp_reset", "Réinitialisation du second facteur"
    ROLE_GRANTED = "role_granted", "Attribution d'un rôle"
    ROLE_ENDED = "role_ended", "Fin d'un rôle"
    HOLDING_STARTED = "holding_started", "Affectation sur un poste"
    HOLDING_ENDED = "holding_ended", "Fin d'une affectation"


class AccessLog(models.Model):
    created_at = models.DateTimeField("date", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_logs",
        db_index=False,  # accesslog_user_created, without the entries of no user
    )
    # The identifier typed or held at the time (kept if the account is later deleted).
    username = models.CharField("identifiant", max_length=254, blank=True)
    action = models.CharField("action", max_length=20, choices=AccessAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="type d'objet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    object_id = models.CharField("n° de l'objet", max_length=64, blank=True, db_index=True)
    object_label = models.CharField("objet", max_length=200, blank=True)
    path = models.CharField("adresse consultée", max_length=300, blank=True)
    status_code = models.PositiveSmallIntegerField("code de réponse", null=True, blank=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    detail = models.CharField("précision", max_length=200, blank=True)

    class Meta:
        verbose_name = "journal d'accès"
        verbose_name_plural = "journal des accès"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"]),
            # Partial: an index holding the entries without a user was the planner's way
            # to the failed logins, through every one of the table.
            models.Index(
                fields=["user", "created_at"],
                condition=models.Q(user__isnull=False),
                name="accesslog_user_created",
            ),
            # Failed logins, read by the e-mail typed, in any case (the administrator's
            # log, the account page).
            models.Index(
                Upper("username"),
                F("created_at").desc(),
                condition=models.Q(user__isnull=True),
                name="accesslog_failed_login",
            ),
            models.Index(fields=["action", "created_at"]),
            # An account's logins (« Mon compte »), where its page views lie between them.
            models.Index(
                fields=["user", "created_at"],
                condition=models.Q(user__isnull=False, action="login"),
                name="accesslog_user_login",
            ),
        ]
        default_permissions = ("view",)

    def __str__(self):
        when = timezone.localtime(self.created_at)
        return f"{self.get_action_display()} — {self.username or 'anonyme'} — {when:%d/%m/%Y %H:%M}"
