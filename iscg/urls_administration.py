from django.urls import path

from iscg.views import accounts, posts

app_name = "administration"

urlpatterns = [
    path("comptes/", accounts.user_list, name="user_list"),
    path("comptes/inviter/", accounts.user_invite, name="user_invite"),
    path("comptes/<int:pk>/", accounts.user_detail, name="user_detail"),
    path("comptes/<int:pk>/modifier/", accounts.user_edit, name="user_edit"),
    path("comptes/<int:pk>/roles/ajouter/", accounts.membership_add, name="membership_add"),
    path("comptes/<int:pk>/roles/<int:item>/fin/", accounts.membership_end, name="membership_end"),
    path("postes/", posts.post_list, name="post_list"),
    path("postes/nouveau/", posts.post_create, name="post_create"),
    path("postes/<int:pk>/", posts.post_detail, name="post_detail"),
    path("postes/<int:pk>/modifier/", posts.post_edit, name="post_edit"),
    path("postes/<int:pk>/affectations/ajouter/", posts.holding_add, name="holding_add"),
    path("postes/<int:pk>/affectations/<int:item>/fin/", posts.holding_end, name="holding_end"),
    path(
        "comptes/<int:pk>/<str:action>/",
        accounts.user_action,
        name="user_action",
    ),
]
