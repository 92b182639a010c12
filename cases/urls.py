from django.urls import path

from cases.views import files as views

app_name = "cases"

urlpatterns = [
    path("beneficiaires/", views.beneficiary_list, name="beneficiary_list"),
    path("beneficiaires/nouveau/", views.beneficiary_create_view, name="beneficiary_create"),
    path("beneficiaires/<int:pk>/", views.beneficiary_detail, name="beneficiary_detail"),
    path(
        "beneficiaires/<int:pk>/modifier/",
        views.beneficiary_update_view,
        name="beneficiary_update",
    ),
    path(
        "beneficiaires/<int:pk>/ouvrir-accompagnement/",
        views.case_open_view,
        name="case_open",
    ),
    path("dossiers/<int:pk>/", views.case_detail, name="case_detail"),
    path("dossiers/<int:pk>/actes/nouveau/", views.action_create, name="action_create"),
    path("dossiers/<int:pk>/cloturer/", views.case_close_view, name="case_close"),
    path("dossiers/<int:pk>/rouvrir/", views.case_reopen_view, name="case_reopen"),
    path(
        "dossiers/<int:pk>/orientations/nouvelle/",
        views.orientation_create_view,
        name="orientation_create",
    ),
    path(
        "dossiers/<int:pk>/partenaires/nouveau/",
        views.partner_quick_create,
        name="partner_quick_create",
    ),
    path(
        "orientations/<int:pk>/modifier/",
        views.orientation_update_view,
        name="orientation_update",
    ),
    path("partenaires/recherche/", views.partner_search, name="partner_search"),
    path("saisines/nouvelle/", views.referral_record_view, name="referral_record"),
    path("saisines/<int:pk>/prendre/", views.referral_take_view, name="referral_take"),
    path("contacts-anonymes/", views.contact_list, name="contact_list"),
    path("contacts-anonymes/nouveau/", views.contact_create, name="contact_create"),
]
