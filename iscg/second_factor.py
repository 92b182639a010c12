"""The second factor's writes: an authenticator enrolled, recovery codes drawn again.

The pages (``iscg.views.otp``) read a code and show what happened; every device is written
here, each step atomic and checked against the account's state, so that two tabs or a
replayed form cannot leave two authenticators or codes without their device.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES_COUNT = 10
ALREADY_ENROLLED = "La double authentification est déjà activée sur votre compte."
WRONG_CODE = (
    "Ce code n'est pas valide. Vérifiez l'heure de votre téléphone et saisissez le code "
    "affiché en ce moment."
)


def _lock(user) -> None:
    """The user's row serialises two requests of the same account (two tabs, a replay)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def authenticator_pending(*, acting_user) -> TOTPDevice:
    """The authenticator being enrolled: drawn on the first visit, the same one after
    (the QR code shown in a second tab is the one the code will be checked against)."""
    _lock(acting_user)
    if is_enrolled(acting_user):
        raise ValidationError(ALREADY_ENROLLED)
    device = TOTPDevice.objects.filter(user=acting_user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=acting_user, name="Application TOTP", confirmed=False
        )
    return device


def authenticator_confirm(*, acting_user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms the pending authenticator with a code it shows, and draws the recovery
    codes, together: the device and its codes, or neither. A wrong code is refused after
    the transaction commits: the device's count of failed attempts (django-otp's
    throttling, which spaces out guesses) must survive the refusal."""
    with transaction.atomic():
        _lock(acting_user)
        if is_enrolled(acting_user):
            raise ValidationError(ALREADY_ENROLLED)
        device = TOTPDevice.objects.filter(user=acting_user, confirmed=False).order_by("pk").first()
        if device is not None and device.verify_token(code):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            return device, recovery_codes_renew(acting_user=acting_user)
    raise ValidationError({"code": WRONG_CODE})


@transaction.atomic
def recovery_codes_renew(*, acting_user) -> list[str]:
    """New recovery codes for an enrolled account; the old ones stop working."""
    if not is_enrolled(acting_user):
        raise ValidationError("Activez d'abord la double authentification.")
    device, _ = StaticDevice.objects.get_or_create(
        user=acting_user, name="Codes de secours", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
