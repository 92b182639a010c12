"""Accounts pages of the departmental administration: thin views over the services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp import devices_for_user

from iscg import services
from iscg.account_forms import EndForm, IdentityForm, MembershipForm, UserFilter
from iscg.forms import apply_service_errors
from iscg.models import Membership
from iscg.permissions import administrator_required
from iscg.selectors import (
    administered_department_ids,
    administered_users,
    administered_users_listed,
)


def _user(request, pk):
    return get_object_or_404(administered_users(request.user), pk=pk)


@administrator_required
def user_list(request):
    filterset = UserFilter(request.GET or None, queryset=administered_users_listed(request.user))
    # The roles shown are those of her départements, with what each names, read for the
    # page's accounts in one query (two per account before).
    shown = Membership.objects.filter(
        department_id__in=administered_department_ids(request.user)
    ).select_related("unit", "employer", "funder", "department")
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    prefetch_related_objects(
        page.object_list, Prefetch("memberships", shown, to_attr="shown_memberships")
    )
    return render(request, "iscg/admin/user_list.html", {"filter": filterset, "page_obj": page})


@administrator_required
def user_invite(request):
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(**form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Le compte est créé : {user.email} reçoit un lien pour choisir son mot de "
                "passe. Attribuez-lui maintenant son rôle.",
            )
            return redirect("administration:membership_add", pk=user.pk)
    return render(
        request,
        "iscg/admin/form.html",
        {"form": form, "title": "Inviter une personne", "back": "administration:user_list"},
    )


@administrator_required
def user_detail(request, pk):
    user = _user(request, pk)
    department_ids = administered_department_ids(request.user)
    memberships = user.memberships.select_related("department", "unit", "employer", "funder")
    today = timezone.localdate()

    return render(
        request,
        "iscg/admin/user_detail.html",
        {
            "account": user,
            "memberships": [m for m in memberships if m.department_id in department_ids],
            "other_departments": len({m.department_id for m in memberships} - set(department_ids)),
            "holdings": user.holdings.select_related("post", "post__employer"),
            "today": today,
            "is_self": user.pk == request.user.pk,
            "device_count": len(list(devices_for_user(user, confirmed=None))),
        },
    )


@administrator_required
def user_edit(request, pk):
    user = _user(request, pk)
    initial = {f: getattr(user, f) for f in ("first_name", "last_name", "email", "phone")}
    form = IdentityForm(request.POST or None, initial=initial, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=user, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Les informations du compte sont enregistrées.")
            return redirect("administration:user_detail", pk=user.pk)
    return _form(request, form, f"Modifier le compte de {user}", user)


def _form(request, form, title, user):
    return render(
        request,
        "iscg/admin/form.html",
        {"form": form, "title": title, "account": user, "back": "administration:user_detail"},
    )


@administrator_required
def membership_add(request, pk):
    user = _user(request, pk)
    form = MembershipForm(
        request.POST or None, department_ids=administered_department_ids(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_create(user=user, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Le rôle est attribué.")
            return redirect("administration:user_detail", pk=user.pk)
    return _form(request, form, f"Attribuer un rôle à {user}", user)


@administrator_required
def membership_end(request, pk, item):
    user = _user(request, pk)
    membership = get_object_or_404(
        user.memberships.filter(department_id__in=administered_department_ids(request.user)),
        pk=item,
    )
    form = EndForm(request.POST or None, initial={"end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                membership=membership, end=form.cleaned_data["end"], acting_user=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "La fin du rôle est enregistrée.")
            return redirect("administration:user_detail", pk=user.pk)
    return _form(request, form, f"Mettre fin au rôle « {membership} »", user)


_ACTIONS = {
    "deactivate": (
        services.user_deactivate,
        "Le compte est désactivé : ses sessions prennent fin à leur prochaine requête.",
    ),
    "reactivate": (services.user_reactivate, "Le compte est réactivé."),
    "otp_reset": (
        services.user_otp_reset,
        "La double authentification est réinitialisée ; la personne en est prévenue par "
        "courriel et enregistrera un nouvel appareil à sa prochaine connexion.",
    ),
    "reinvite": (services.user_reinvite, "Un nouveau lien a été envoyé."),
}


@require_POST
@administrator_required
def user_action(request, pk, action):
    user = _user(request, pk)
    if action not in _ACTIONS:
        return redirect("administration:user_detail", pk=user.pk)
    service, done = _ACTIONS[action]
    try:
        service(user=user, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("administration:user_detail", pk=user.pk)
