from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, reverse_lazy
from health_check.views import HealthCheckView

from iscg.forms import LoginForm
from iscg.views import access_log, history, home, my_account, otp, pages
from iscg.views.password import PasswordResetConfirmForm, PasswordResetRequestForm

auth_patterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetRequestForm,
            email_template_name="registration/password_reset_body.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=PasswordResetConfirmForm, success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("double-authentification/activer/", otp.otp_setup, name="otp_setup"),
    path("double-authentification/verifier/", otp.otp_verify, name="otp_verify"),
    path(
        "double-authentification/codes-de-secours/",
        otp.otp_recovery_codes,
        name="otp_recovery_codes",
    ),
    path("", my_account.account, name="account"),
    path("mot-de-passe/", my_account.PasswordChangeView.as_view(), name="password_change"),
    path("double-authentification/retirer/", my_account.authenticator_remove, name="otp_remove"),
    path("sessions/fermer/", my_account.sessions_end_others, name="sessions_end_others"),
]

if settings.OIDC_ENABLED:
    from mozilla_django_oidc import views as oidc_views

    auth_patterns += [
        path(
            "proconnect/connexion/",
            login_not_required(oidc_views.OIDCAuthenticationRequestView.as_view()),
            name="oidc_authentication_init",
        ),
        path(
            "proconnect/retour/",
            login_not_required(oidc_views.OIDCAuthenticationCallbackView.as_view()),
            name="oidc_authentication_callback",
        ),
    ]

# The database restarting is a 503 with Retry-After, never a 500 (iscg.unavailable).
handler500 = "iscg.unavailable.server_error"

urlpatterns = [
    path("", home.home, name="home"),
    path("compte/", include(auth_patterns)),
    path("accessibilite/", pages.accessibility, name="accessibility"),
    path("mentions-legales/", pages.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", pages.personal_data, name="personal_data"),
    path(
        "health/",
        login_not_required(
            HealthCheckView.as_view(
                checks=["health_check.checks.Database", "health_check.checks.Cache"]
            )
        ),
        name="health",
    ),
    path("conventions/", include("conventions.urls")),
    path("donnees/", include("cases.lifecycle.urls")),
    path("saisines/", include("cases.referrals.urls")),
    path("bilans/", include("reporting.urls")),
    path(
        "historique/<str:app_label>/<str:model_name>/<int:pk>/",
        history.object_history,
        name="history",
    ),
    path("journal-des-acces/", access_log.access_log, name="access_log"),
    path("administration/", include("iscg.urls_administration")),
    path("accompagnements/", include("cases.files.urls")),
    path("partenaires/", include("partners.urls")),
    path("admin/", admin.site.urls),
]
