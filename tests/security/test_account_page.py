"""« Mon compte »: reached from the header; password, authenticator, recovery codes,
recent logins, other sessions. Nothing in the interface led to enrolment before."""

import datetime
import html

import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from iscg.models import AccessLog
from iscg.models import AccountSession as Session
from tests.iscg.factories import PASSWORD, UserFactory

T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
NEW_PASSWORD = "Nouveau-Mot-De-Passe-2026!"


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _login(client, user, password=PASSWORD):
    response = client.post(reverse("login"), {"username": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:300]


def test_the_header_name_leads_to_the_account_page(client):
    user = UserFactory(unit_agent=True, first_name="Camille", last_name="Martin")
    _login(client, user)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("account")}"' in page
    account = html.unescape(client.get(reverse("account")).content.decode())
    assert "Activer la double authentification" in account
    assert "Connexions récentes" in account and "Connexion" in account


def test_enrol_from_the_account_page_then_a_code_at_every_login(client):
    user = UserFactory(unit_agent=True)
    with time_machine.travel(T0, tick=False):
        _login(client, user)
        client.get(reverse("otp_setup"))
        device = TOTPDevice.objects.get(user=user)
        response = client.post(
            reverse("otp_setup"), {"code": _code(device), "next": reverse("account")}
        )
        assert response.status_code == 302
        page = html.unescape(client.get(reverse("account")).content.decode())
        assert "Il vous reste 10 codes de secours" in page
        client.post(reverse("logout"))
    with time_machine.travel(T0 + datetime.timedelta(minutes=5), tick=False):
        _login(client, user)
        response = client.get(reverse("account"))
        assert response["Location"].startswith(reverse("otp_verify"))


def test_removing_the_authenticator_needs_the_second_factor_of_this_session(client):
    user = UserFactory(unit_agent=True)
    with time_machine.travel(T0, tick=False):
        _login(client, user)
        client.get(reverse("otp_setup"))
        device = TOTPDevice.objects.get(user=user)
        client.post(reverse("otp_setup"), {"code": _code(device), "next": "/"})
        client.post(reverse("logout"))
    with time_machine.travel(T0 + datetime.timedelta(minutes=5), tick=False):
        _login(client, user)
        # Password only: the removal is refused (the code is asked first).
        response = client.post(reverse("otp_remove"))
        assert response["Location"].startswith(reverse("otp_verify"))
        assert TOTPDevice.objects.filter(user=user).exists()
        device.refresh_from_db()
        client.post(reverse("otp_verify"), {"code": _code(device), "next": "/"})
        response = client.post(reverse("otp_remove"))
        assert response["Location"] == reverse("account")
        assert not TOTPDevice.objects.filter(user=user).exists()
        assert not StaticDevice.objects.filter(user=user).exists()
        assert AccessLog.objects.filter(user=user, action="otp_reset").exists()


def test_change_the_password_and_end_the_other_sessions(client):
    user = UserFactory(worker=True)
    other = Client()
    _login(other, user)
    _login(client, user)
    page = html.unescape(client.get(reverse("account")).content.decode())
    assert "ouvert dans 1 autre session" in page
    response = client.post(reverse("sessions_end_others"))
    assert response["Location"] == reverse("account")
    assert other.get(reverse("home")).status_code == 302  # logged out
    assert client.get(reverse("home")).status_code == 200
    _login(other, user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("account")
    assert client.get(reverse("home")).status_code == 200  # this session stays
    assert other.get(reverse("home")).status_code == 302  # the other one ends
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "faux", "new_password1": "court", "new_password2": "court"},
    )
    assert wrong.status_code == 200
    assert Session.objects.count() >= 1


def test_an_accounts_sessions_are_its_own_whatever_renews_their_key(client):
    """Each session carries its account (iscg.session_store): « Mon compte » counts and
    ends the holder's other sessions only, and a key renewed by a password change still
    belongs to the account, so that deactivating it ends that session too."""
    from iscg import services

    user, neighbour = UserFactory(worker=True), UserFactory(worker=True)
    theirs, other = Client(), Client()
    _login(theirs, neighbour)
    _login(other, user)
    _login(client, user)
    page = html.unescape(client.get(reverse("account")).content.decode())
    assert "ouvert dans 1 autre session" in page
    client.post(reverse("sessions_end_others"))
    assert theirs.get(reverse("home")).status_code == 200
    assert other.get(reverse("home")).status_code == 302
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(session_key=key).user_id == user.pk
    services.user_deactivate(user=user, acting_user=None)
    assert client.get(reverse("home")).status_code == 302
    assert theirs.get(reverse("home")).status_code == 200


def test_a_session_saved_on_djangos_asynchronous_path_names_its_account_too():
    from asgiref.sync import async_to_sync
    from django.contrib.auth import SESSION_KEY

    from iscg.session_store import SessionStore

    user = UserFactory(worker=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    async_to_sync(session.acreate)()
    assert Session.objects.get(session_key=session.session_key).user_id == user.pk
