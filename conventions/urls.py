from django.urls import path

from conventions import dashboard_views, document_views, views

app_name = "conventions"

urlpatterns = [
    path("", views.convention_list, name="list"),
    path("nouvelle/", views.convention_create, name="create"),
    path("tableau-de-bord/", dashboard_views.dashboard, name="dashboard"),
    path("tableau-de-bord/export.xlsx", dashboard_views.dashboard_export, name="dashboard_export"),
    path("<int:pk>/", views.convention_detail, name="detail"),
    path("<int:pk>/modifier/", views.convention_edit, name="edit"),
    path("<int:pk>/plan-de-financement.xlsx", document_views.plan_export, name="plan_export"),
    path("<int:pk>/parties/ajouter/", views.party_add, name="party_add"),
    path("<int:pk>/postes/ajouter/", views.post_add, name="post_add"),
    path("<int:pk>/budget/", views.budget_set, name="budget_set"),
    path("<int:pk>/financements/ajouter/", views.funding_add, name="funding_add"),
    path("<int:pk>/financements/<int:item>/modifier/", views.funding_edit, name="funding_edit"),
    path(
        "<int:pk>/financements/<int:item>/versements/ajouter/",
        views.payment_add,
        name="payment_add",
    ),
    path("<int:pk>/avenants/ajouter/", views.amendment_add, name="amendment_add"),
    path(
        "<int:pk>/avenants/<int:item>/document/",
        document_views.amendment_document,
        name="amendment_document",
    ),
    path("<int:pk>/documents/ajouter/", views.document_add, name="document_add"),
    path(
        "<int:pk>/documents/<int:item>/", document_views.document_download, name="document_download"
    ),
    path("<int:pk>/<str:kind>/<int:item>/supprimer/", views.item_delete, name="item_delete"),
]
