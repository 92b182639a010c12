"""« Mon compte »: password, authenticator, recovery codes, recent logins, other sessions."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken

from iscg.forms import DsfrForm
from iscg.otp import otp_required_for
from iscg.second_factor import is_enrolled
from iscg.services.own_account import (
    own_authenticator_remove,
    own_sessions_count,
    own_sessions_end_others,
    recent_logins,
)


class OwnPasswordChangeForm(DsfrForm, PasswordChangeForm):
    pass


def account(request):
    user = request.user
    session_key = request.session.session_key
    return render(
        request,
        "registration/account.html",
        {
            "has_authenticator": is_enrolled(user),
            "recovery_left": StaticToken.objects.filter(device__user=user).count(),
            "second_factor_required": otp_required_for(user),
            "logins": recent_logins(user),
            "other_sessions": own_sessions_count(user, session_key),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view keeps this session and ends the others (their hash no longer matches)."""

    form_class = OwnPasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        messages.success(self.request, "Votre mot de passe a été changé.")
        return super().form_valid(form)


@require_POST
def authenticator_remove(request):
    if not request.user.is_verified():
        # A password alone must not remove the second factor.
        target = f"{reverse('otp_verify')}?{urlencode({'next': reverse('account')})}"
        return redirect(target)
    own_authenticator_remove(user=request.user, acting_user=request.user, request=request)
    if otp_required_for(request.user):
        messages.warning(
            request, "Application retirée : votre rôle exige d'en enregistrer une nouvelle."
        )
    else:
        messages.success(request, "L'application d'authentification a été retirée.")
    return redirect("account")


@require_POST
def sessions_end_others(request):
    ended = own_sessions_end_others(
        user=request.user, keep_session_key=request.session.session_key, acting_user=request.user
    )
    messages.success(
        request,
        f"{ended} autre{'s' if ended > 1 else ''} session{'s' if ended > 1 else ''} "
        f"terminée{'s' if ended > 1 else ''}.",
    )
    return redirect("account")
