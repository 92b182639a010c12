"""Second factor: who must use one, and the middleware that holds them at the OTP pages.

``settings.OTP_REQUIRED_ROLES`` lists the roles that need a verified TOTP device
(production: worker, admin, prefecture, employer_manager); ``"*"`` extends it to every
authenticated user. Whoever enrolled a device gives a code at every login, whatever
their role. A user who must use one and has not verified it in this session
reaches only the enrolment and verification pages, logout, the public pages and static
files.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from iscg import access

# URL names reachable before the second factor (besides static files).
OTP_EXEMPT_URL_NAMES = {
    "otp_setup",
    "otp_verify",
    "logout",
    "login",
    "accessibility",
    "legal_notice",
    "personal_data",
    "health",
}


# Whether the account had a confirmed device when this session logged in: read once at
# login rather than on every request.
ENROLLED_SESSION_KEY = "iscg_otp_enrolled"


def otp_required_for(user, session=None) -> bool:
    """The roles of ``OTP_REQUIRED_ROLES``, and anyone who enrolled a device (whatever
    their role: a password alone must not open an account its owner protected)."""
    if not user.is_authenticated:
        return False
    if session is not None and session.get(ENROLLED_SESSION_KEY):
        return True
    required = set(getattr(settings, "OTP_REQUIRED_ROLES", []))
    if not required:
        return False
    if "*" in required:
        return True
    return user.is_superuser or access.has_role(user, *required)


@receiver(user_logged_in, dispatch_uid="iscg_otp_enrolled_at_login")
def remember_enrolment(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_SESSION_KEY] = user_has_device(user, confirmed=True)


class OTPRequiredMiddleware:
    """After password login, enrol (no device) or verify (device) before any other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and otp_required_for(user, request.session)
            and not self._exempt(request)
        ):
            target = "otp_verify" if user_has_device(user, confirmed=True) else "otp_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        if request.path.startswith(settings.STATIC_URL):
            return True

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in OTP_EXEMPT_URL_NAMES
