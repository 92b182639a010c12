"""Second factor: enrolment with a server-drawn QR code, recovery codes, verification."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from iscg.models import AccessLog
from tests.iscg.factories import PASSWORD, UserFactory

T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def otp_for_workers(settings):
    settings.OTP_REQUIRED_ROLES = ["worker", "admin", "prefecture", "employer_manager"]


def _password_login(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(response["Location"])


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrol(client, user):
    response = _password_login(client, user)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_setup"))
    client.get(response["Location"])
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("otp_setup"), {"code": _code(device), "next": "/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_recovery_codes"))
    return device, client.get(response["Location"])


def test_a_worker_without_device_must_enrol_before_any_page(client, otp_for_workers):
    user = UserFactory(worker=True)
    response = _password_login(client, user)
    assert response["Location"].startswith(reverse("otp_setup"))
    for name in ("home",):
        blocked = client.get(reverse(name))
        assert blocked.status_code == 302
        assert blocked["Location"].startswith(reverse("otp_setup"))
    assert client.get("/admin/").status_code == 302
    page = client.get(reverse("otp_setup"))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Activer la double authentification" in content
    assert "<svg " in content and "<path" in content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'iscg-recovery-codes">([A-Z2-7 ]+)<', content).group(1).replace(" ", "")
    import base64

    assert base64.b32decode(secret) == device.bin_key
    # Logout and public pages stay reachable.
    assert client.get(reverse("legal_notice")).status_code == 200


def test_a_wrong_enrolment_code_says_so_in_french(client, otp_for_workers):
    user = UserFactory(worker=True)
    _password_login(client, user)
    client.get(reverse("otp_setup"))
    response = client.post(reverse("otp_setup"), {"code": "000000"})
    assert response.status_code == 200
    assert "Ce code n'est pas valide" in html.unescape(response.content.decode())
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert AccessLog.objects.filter(user=user, action="otp_failed").exists()


def test_enrolment_gives_ten_recovery_codes_shown_once(client, otp_for_workers):
    user = UserFactory(worker=True)
    with time_machine.travel(T0, tick=False):
        device, page = _enrol(client, user)
        codes = re.findall(r"<li>([a-z0-9]+)</li>", page.content.decode())
        assert len(codes) == 10
        assert set(codes) == set(
            StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
        )
        again = client.get(reverse("otp_recovery_codes")).content.decode()
        assert not any(code in again for code in codes)
        assert "Il vous reste 10 codes" in again
        assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_worker_with_a_device_gives_a_code_at_each_login(client, otp_for_workers):
    user = UserFactory(worker=True)
    with time_machine.travel(T0, tick=False):
        device, _ = _enrol(client, user)
        client.post(reverse("logout"))
    with time_machine.travel(T0 + datetime.timedelta(minutes=5), tick=False):
        response = _password_login(client, user)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("otp_verify"))
        assert client.get(reverse("home"))["Location"].startswith(reverse("otp_verify"))
        # Enrolling again would let a stolen password replace the device: refused.
        assert client.get(reverse("otp_setup"))["Location"].startswith(reverse("otp_verify"))
        wrong = client.post(reverse("otp_verify"), {"code": "123456"})
        assert "Ce code n'est pas valide" in html.unescape(wrong.content.decode())
    # django-otp throttles after a failure: the next try waits a few seconds.
    with time_machine.travel(T0 + datetime.timedelta(minutes=6), tick=False):
        device.refresh_from_db()
        before = client.session.session_key
        response = client.post(reverse("otp_verify"), {"code": _code(device), "next": "/"})
        assert response.status_code == 302
        assert client.session.session_key != before  # renewed once the second factor is given
        assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_works_once(client, otp_for_workers):
    user = UserFactory(worker=True)
    with time_machine.travel(T0, tick=False):
        _, page = _enrol(client, user)
        code = re.findall(r"<li>([a-z0-9]+)</li>", page.content.decode())[0]
        client.post(reverse("logout"))
        _password_login(client, user)
        response = client.post(reverse("otp_verify"), {"code": code}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("home")
        assert "il vous en reste 9" in response.content.decode()
        client.post(reverse("logout"))
        _password_login(client, user)
        response = client.post(reverse("otp_verify"), {"code": code})
        assert response.status_code == 200
        assert "Ce code n'est pas valide" in html.unescape(response.content.decode())


def test_roles_outside_the_setting_log_in_with_a_password_only(client, otp_for_workers):
    user = UserFactory(unit_agent=True)
    response = _password_login(client, user)
    assert response.status_code == 200


def test_the_setting_can_extend_the_second_factor_to_every_role(client, settings):
    settings.OTP_REQUIRED_ROLES = ["*"]
    user = UserFactory(unit_agent=True)
    response = _password_login(client, user)
    assert response["Location"].startswith(reverse("otp_setup"))


def test_no_second_factor_when_the_setting_is_empty(client, settings):
    settings.OTP_REQUIRED_ROLES = []
    assert _password_login(client, UserFactory(worker=True)).status_code == 200


def test_next_never_leaves_the_site(client, otp_for_workers):
    user = UserFactory(worker=True)
    _password_login(client, user)
    device = TOTPDevice.objects.create(user=user, name="x", confirmed=False)
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(
        reverse("otp_setup"), {"code": _code(device), "next": "https://evil.example.com/"}
    )
    assert "evil" not in response["Location"]


def test_the_admin_resets_a_lost_second_factor(client, otp_for_workers, settings):
    from iscg import services

    settings.OTP_REQUIRED_ROLES = ["worker"]
    user = UserFactory(worker=True)
    with time_machine.travel(T0, tick=False):
        _enrol(client, user)
    assert TOTPDevice.objects.filter(user=user).exists()
    admin_user = UserFactory(admin=True)
    assert services.user_otp_reset(user=user, acting_user=admin_user) == 2
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert services.user_otp_reset(user=user, acting_user=None) == 0
    other = type(client)()
    assert _password_login(other, user)["Location"].startswith(reverse("otp_setup"))


def test_anyone_with_an_enrolled_device_gives_a_code_at_every_login(client, settings):
    """A unit agent (a role that needs no second factor) enrolled an authenticator: the
    next login asked for no code."""
    settings.OTP_REQUIRED_ROLES = ["worker"]
    user = UserFactory(unit_agent=True)
    with time_machine.travel(T0, tick=False):
        assert _password_login(client, user).status_code == 200
        client.get(reverse("otp_setup"))
        device = TOTPDevice.objects.get(user=user)
        client.post(reverse("otp_setup"), {"code": _code(device), "next": "/"})
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        client.post(reverse("logout"))
    with time_machine.travel(T0 + datetime.timedelta(minutes=5), tick=False):
        response = _password_login(client, user)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("otp_verify"))
        device.refresh_from_db()
        client.post(reverse("otp_verify"), {"code": _code(device), "next": "/"})
        assert client.get(reverse("home")).status_code == 200
