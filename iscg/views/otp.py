"""Second factor pages: TOTP enrolment, verification, recovery codes (shown once)."""

import base64

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from iscg.audit import access_log_record
from iscg.forms import DsfrForm, apply_service_errors
from iscg.models import AccessAction
from iscg.second_factor import (
    authenticator_confirm,
    authenticator_pending,
    is_enrolled,
    recovery_codes_renew,
)

RECOVERY_SESSION_KEY = "iscg_recovery_codes_to_show"


class OTPCodeForm(DsfrForm):
    code = forms.CharField(
        label="Code de vérification",
        help_text="Les 6 chiffres affichés par votre application d'authentification, "
        "ou l'un de vos codes de secours.",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "").strip()


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _with_next(url_name: str, target: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': target})}"


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    svg = image.to_string(encoding="unicode")
    return svg.replace(
        "<svg ",
        '<svg role="img" aria-label="QR code à scanner avec votre application" '
        'class="iscg-qrcode" ',
        1,
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        # Enrolling a new device needs the current one: a stolen password is not enough.
        return redirect(_with_next("otp_verify", _next_url(request)))
    try:
        device = authenticator_pending(acting_user=user)
    except ValidationError as refusal:
        messages.info(request, refusal.messages[0])
        return redirect("home")
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = authenticator_confirm(acting_user=user, code=form.cleaned_data["code"])
        except ValidationError as refusal:
            access_log_record(
                user=user, action=AccessAction.OTP_FAILED, request=request, detail="activation"
            )
            apply_service_errors(form, refusal)
        else:
            request.session[RECOVERY_SESSION_KEY] = codes
            otp_login(request, device)
            request.session.cycle_key()
            messages.success(request, "La double authentification est activée.")
            return redirect(_with_next("otp_recovery_codes", _next_url(request)))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": _grouped(secret),
            "next": _next_url(request),
        },
    )


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(user, confirmed=True):
        return redirect(_with_next("otp_setup", _next_url(request)))
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"Vous avez utilisé un code de secours : il vous en reste {left}. "
                    "Générez-en de nouveaux depuis la page des codes de secours.",
                )
            return redirect(_next_url(request))
        access_log_record(
            user=user, action=AccessAction.OTP_FAILED, request=request, detail="vérification"
        )
        form.add_error("code", "Ce code n'est pas valide ou a déjà été utilisé. Réessayez.")
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}
    )


@require_http_methods(["GET", "POST"])
def otp_recovery_codes(request):
    """Recovery codes are shown once, right after they are generated."""
    user = request.user
    if not is_enrolled(user):
        return redirect("otp_setup")
    if not user.is_verified():
        return redirect(_with_next("otp_verify", reverse("otp_recovery_codes")))
    if request.method == "POST":
        request.session[RECOVERY_SESSION_KEY] = recovery_codes_renew(acting_user=user)
        return redirect("otp_recovery_codes")
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    remaining = StaticToken.objects.filter(device__user=user).count()
    return render(
        request,
        "registration/otp_recovery_codes.html",
        {"codes": codes, "remaining": remaining, "next": _next_url(request)},
    )
