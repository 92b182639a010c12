"""The second factor's writes (iscg.second_factor): one pending authenticator, confirmed
with its recovery codes or not at all, refused once enrolled."""

import pytest
from django.core.exceptions import ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from iscg import second_factor
from iscg.second_factor import (
    authenticator_confirm,
    authenticator_pending,
    recovery_codes_renew,
)
from tests.iscg.factories import UserFactory


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_two_tabs_show_the_same_authenticator(db):
    user = UserFactory(worker=True)
    first, second = authenticator_pending(acting_user=user), authenticator_pending(acting_user=user)
    assert first == second and TOTPDevice.objects.filter(user=user).count() == 1


def test_a_wrong_code_is_said_on_the_field_and_confirms_nothing(db):
    user = UserFactory(worker=True)
    device = authenticator_pending(acting_user=user)
    with pytest.raises(ValidationError) as refusal:
        authenticator_confirm(acting_user=user, code="000000" if _code(device) != "000000" else "1")
    assert "Ce code n'est pas valide" in refusal.value.message_dict["code"][0]
    device.refresh_from_db()
    assert not device.confirmed and not StaticToken.objects.filter(device__user=user).exists()


def test_the_device_and_its_recovery_codes_together_or_neither(db, monkeypatch):
    user = UserFactory(worker=True)
    device = authenticator_pending(acting_user=user)

    def broken(**kwargs):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(second_factor, "recovery_codes_renew", broken)
    with pytest.raises(RuntimeError):
        authenticator_confirm(acting_user=user, code=_code(device))
    device.refresh_from_db()
    assert not device.confirmed  # no device confirmed without its recovery codes

    monkeypatch.undo()
    confirmed, codes = authenticator_confirm(acting_user=user, code=_code(device))
    assert confirmed.confirmed and len(codes) == 10
    assert StaticToken.objects.filter(device__user=user).count() == 10


def test_once_enrolled_a_replayed_enrolment_is_refused_and_codes_are_renewed(db):
    user = UserFactory(worker=True)
    device = authenticator_pending(acting_user=user)
    _, first = authenticator_confirm(acting_user=user, code=_code(device))
    with pytest.raises(ValidationError, match="déjà activée"):
        authenticator_confirm(acting_user=user, code=_code(device))
    with pytest.raises(ValidationError, match="déjà activée"):
        authenticator_pending(acting_user=user)
    again = recovery_codes_renew(acting_user=user)
    assert set(again).isdisjoint(first)
    assert sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == sorted(again)
    with pytest.raises(ValidationError, match="Activez d'abord"):
        recovery_codes_renew(acting_user=UserFactory(worker=True))


def test_a_wrong_code_counts_as_a_failed_attempt(db):
    """Refusing inside the transaction rolled back django-otp's count of failed attempts:
    guesses at enrolment were never spaced out."""
    user = UserFactory(worker=True)
    device = authenticator_pending(acting_user=user)
    wrong = "000000" if _code(device) != "000000" else "111111"
    with pytest.raises(ValidationError):
        authenticator_confirm(acting_user=user, code=wrong)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Right after a failure, even the right code waits for the throttle's delay.
    with pytest.raises(ValidationError):
        authenticator_confirm(acting_user=user, code=_code(device))
    device.refresh_from_db()
    assert not device.confirmed
