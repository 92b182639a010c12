from django.urls import path

from iscg.views import accounts, organisation_pages, posts, reference_lists

app_name = "administration"

urlpatterns = [
    path("comptes/", accounts.user_list, name="user_list"),
    path("comptes/inviter/", accounts.user_invite, name="user_invite"),
    path("comptes/<int:pk>/", accounts.user_detail, name="user_detail"),
    path("comptes/<int:pk>/modifier/", accounts.user_edit, name="user_edit"),
    path("comptes/<int:pk>/roles/ajouter/", accounts.membership_add, name="membership_add"),
    path("comptes/<int:pk>/roles/<int:item>/fin/", accounts.membership_end, name="membership_end"),
    path("unites/", organisation_pages.unit_list, name="unit_list"),
    path("unites/nouvelle/", organisation_pages.unit_form, name="unit_create"),
    path("unites/<int:pk>/modifier/", organisation_pages.unit_form, name="unit_edit"),
    path("lieux/", organisation_pages.site_list, name="site_list"),
    path("lieux/nouveau/", organisation_pages.site_form, name="site_create"),
    path("lieux/<int:pk>/modifier/", organisation_pages.site_form, name="site_edit"),
    path("postes/", posts.post_list, name="post_list"),
    path("postes/nouveau/", posts.post_create, name="post_create"),
    path("postes/<int:pk>/", posts.post_detail, name="post_detail"),
    path("postes/<int:pk>/modifier/", posts.post_edit, name="post_edit"),
    path("postes/<int:pk>/affectations/ajouter/", posts.holding_add, name="holding_add"),
    path("postes/<int:pk>/affectations/<int:item>/fin/", posts.holding_end, name="holding_end"),
    path("listes/", reference_lists.reference_lists, name="reference_lists"),
    path("listes/<slug:kind>/", reference_lists.reference_list, name="reference_list"),
    path(
        "listes/<slug:kind>/ajouter/",
        reference_lists.reference_entry_form,
        name="reference_entry_create",
    ),
    path(
        "listes/<slug:kind>/<int:pk>/modifier/",
        reference_lists.reference_entry_form,
        name="reference_entry_edit",
    ),
    path(
        "listes/<slug:kind>/<int:pk>/usage/",
        reference_lists.reference_entry_switch_view,
        name="reference_entry_switch",
    ),
    path(
        "comptes/<int:pk>/<str:action>/",
        accounts.user_action,
        name="user_action",
    ),
]
