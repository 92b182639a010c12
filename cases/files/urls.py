"""URLs of the files (namespace ``cases``): beneficiaries, cases, actes, orientations,
anonymous contacts, saisines taken into a file."""

from django.urls import path

from cases.files.views import (
    action_corrections,
    beneficiaries,
    case_files,
    contacts,
    dashboard_lists,
    orientations,
    referral_intake,
)

app_name = "cases"

urlpatterns = [
    path("beneficiaires/", beneficiaries.beneficiary_list, name="beneficiary_list"),
    path(
        "beneficiaires/nouveau/", beneficiaries.beneficiary_create_view, name="beneficiary_create"
    ),
    path("beneficiaires/<int:pk>/", beneficiaries.beneficiary_detail, name="beneficiary_detail"),
    path(
        "beneficiaires/<int:pk>/modifier/",
        beneficiaries.beneficiary_update_view,
        name="beneficiary_update",
    ),
    path(
        "beneficiaires/<int:pk>/ouvrir-accompagnement/",
        case_files.case_open_view,
        name="case_open",
    ),
    path("actes-du-jour/", dashboard_lists.todays_action_list, name="todays_action_list"),
    path("dossiers/sans-acte-recent/", dashboard_lists.stale_case_list, name="stale_case_list"),
    path("dossiers/<int:pk>/", case_files.case_detail, name="case_detail"),
    path("dossiers/<int:pk>/actes/nouveau/", case_files.action_create, name="action_create"),
    path("actes/<int:pk>/corriger/", action_corrections.action_correct_view, name="action_correct"),
    path(
        "actes/<int:pk>/retirer/", action_corrections.action_withdraw_view, name="action_withdraw"
    ),
    path("dossiers/<int:pk>/cloturer/", case_files.case_close_view, name="case_close"),
    path("dossiers/<int:pk>/rouvrir/", case_files.case_reopen_view, name="case_reopen"),
    path(
        "dossiers/<int:pk>/orientations/nouvelle/",
        orientations.orientation_create_view,
        name="orientation_create",
    ),
    path(
        "dossiers/<int:pk>/partenaires/nouveau/",
        orientations.partner_quick_create,
        name="partner_quick_create",
    ),
    path(
        "orientations/<int:pk>/modifier/",
        orientations.orientation_update_view,
        name="orientation_update",
    ),
    path("partenaires/recherche/", orientations.partner_search, name="partner_search"),
    path("saisines/nouvelle/", referral_intake.referral_record_view, name="referral_record"),
    path("saisines/<int:pk>/prendre/", referral_intake.referral_take_view, name="referral_take"),
    path("contacts-anonymes/", contacts.contact_list, name="contact_list"),
    path("contacts-anonymes/nouveau/", contacts.contact_create, name="contact_create"),
]
