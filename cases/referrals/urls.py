"""URLs of the referrals (namespace ``referrals``): the unit's side, the worker's side,
feedback and auto-saisines."""

from django.urls import path

from cases.referrals.views import auto_referrals, feedback, unit_referrals, worker_referrals

app_name = "referrals"

urlpatterns = [
    # Unit side (unit_agent, unit_lead)
    path("nouvelle/", unit_referrals.unit_referral_create, name="unit_create"),
    path("unite/", unit_referrals.unit_referral_list, name="unit_list"),
    path("unite/<int:pk>/", unit_referrals.unit_referral_detail, name="unit_detail"),
    path(
        "unite/<int:pk>/confirmation/",
        unit_referrals.unit_referral_confirmation,
        name="unit_confirmation",
    ),
    # Worker side (worker of the routed post)
    path("recues/", worker_referrals.worker_referral_list, name="worker_list"),
    path("<int:pk>/", worker_referrals.worker_referral_detail, name="worker_detail"),
    path("<int:pk>/prise-en-compte/", worker_referrals.worker_referral_take, name="take"),
    path("<int:pk>/retour/", feedback.feedback_send, name="feedback"),
    path("auto-saisines/", auto_referrals.auto_referral_bulk, name="auto_bulk"),
    path("auto-saisines/import/", auto_referrals.auto_referral_upload, name="auto_upload"),
    path(
        "auto-saisines/import/<int:pk>/",
        auto_referrals.auto_referral_upload_detail,
        name="auto_upload_detail",
    ),
    path("auto-saisines/modele/", auto_referrals.auto_referral_template, name="auto_template"),
]
