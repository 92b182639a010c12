"""Account security rules, each with its test: lockout, sessions, passwords, headers."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from iscg import services
from iscg.models import AccessLog, User
from iscg.models import AccountSession as Session
from iscg.session_store import SessionStore
from tests.iscg.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def _login(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


# --- django-axes -----------------------------------------------------------------


def test_five_failures_lock_the_account_for_thirty_minutes_with_a_french_page(client):
    user = UserFactory(email="bloque@example.gouv.fr", worker=True)
    with time_machine.travel(T0, tick=False):
        for _ in range(4):
            response = _login(client, user.email, "mauvais-mot-de-passe")
            assert response.status_code == 200
            assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()
        response = _login(client, user.email, "mauvais-mot-de-passe")
        assert response.status_code == 429
        content = response.content.decode()
        assert "Compte temporairement bloqué" in content
        assert "bloquée pendant 30 minutes" in content
        # Even the right password is refused while locked.
        response = _login(client, user.email)
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
    with time_machine.travel(T0 + datetime.timedelta(minutes=29), tick=False):
        assert _login(client, user.email).status_code == 429
    with time_machine.travel(T0 + datetime.timedelta(minutes=31), tick=False):
        response = _login(client, user.email)
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
    assert AccessLog.objects.filter(action="login_failed", username=user.email).count() >= 5


# --- sessions --------------------------------------------------------------------


def test_session_expires_after_thirty_idle_minutes(client):
    user = UserFactory(worker=True)
    with time_machine.travel(T0, tick=False):
        _login(client, user.email)
    with time_machine.travel(T0 + datetime.timedelta(minutes=29), tick=False):
        assert client.get(reverse("home")).status_code == 200
    # Activity renewed the idle window: 29 more minutes are fine, 31 are not.
    with time_machine.travel(T0 + datetime.timedelta(minutes=58), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(T0 + datetime.timedelta(minutes=90), tick=False):
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_active_session_is_written_at_most_once_a_minute(client):
    user = UserFactory(worker=True)
    with time_machine.travel(T0, tick=False):
        _login(client, user.email)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert client.get(reverse("home")).status_code == 200
    first = Session.objects.get(session_key=key).expire_date
    with time_machine.travel(T0 + datetime.timedelta(seconds=40), tick=False):
        assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == first
    with time_machine.travel(T0 + datetime.timedelta(seconds=70), tick=False):
        assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == T0 + datetime.timedelta(
        seconds=70, minutes=30
    )


def test_a_visitor_without_session_is_not_given_one(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


def test_session_ends_twelve_hours_after_login_however_active(client):
    user = UserFactory(worker=True)
    with time_machine.travel(T0, tick=False):
        _login(client, user.email)
    moment = T0
    while moment < T0 + datetime.timedelta(hours=12) - datetime.timedelta(minutes=20):
        moment += datetime.timedelta(minutes=20)
        with time_machine.travel(moment, tick=False):
            assert client.get(reverse("home")).status_code == 200, moment
    with time_machine.travel(T0 + datetime.timedelta(hours=12, minutes=1), tick=False):
        response = client.get(reverse("home"), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("login"))
        assert "Votre session a expiré" in response.content.decode()


def test_login_renews_the_session_key_and_logout_destroys_it(client):
    user = UserFactory(worker=True)
    before = SessionStore()
    before["panier"] = "avant connexion"
    before.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key
    assert _login(client, user.email).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before.session_key
    assert not Session.objects.filter(session_key=before.session_key).exists()
    assert Session.objects.filter(session_key=after).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=after).exists()
    assert client.get(reverse("home")).status_code == 302


def test_deactivation_ends_sessions_and_access_at_the_next_request(client):
    user = UserFactory(worker=True)
    _login(client, user.email)
    assert client.get(reverse("home")).status_code == 200
    services.user_deactivate(user=user, acting_user=None)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = _login(client, user.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- passwords -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Court-2026", "trop court"),
        ("password1234", "trop courant"),
        ("123456789012", "entièrement numérique"),
    ],
)
def test_weak_passwords_are_refused_in_french(password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(message in text for text in error.value.messages)


def test_a_password_close_to_the_email_is_refused():
    user = User(email="dominique.martinez@example.gouv.fr")
    with pytest.raises(ValidationError):
        validate_password("dominique.martinez@example.gouv", user=user)


def test_a_long_uncommon_password_is_accepted():
    validate_password("Trois-chevaux-verts-dans-Bourg")


def test_password_settings_require_twelve_characters():
    lengths = [
        v["OPTIONS"]["min_length"]
        for v in settings.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths == [12]


# --- headers ---------------------------------------------------------------------


def test_authenticated_pages_are_never_cached_and_never_framed(client):
    client.force_login(UserFactory(worker=True))
    response = client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_public_pages_send_csp_and_frame_headers(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_nonce_used_by_a_page_is_announced_in_the_policy():
    from csp.middleware import CSPMiddleware

    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda req: HttpResponse(f'<script nonce="{req.csp_nonce}">'))
    response = middleware(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def _is_pdf_template(path) -> bool:
    """Templates rendered by WeasyPrint into a PDF, never served to a browser (no CSP):
    under a ``pdf/`` folder or named ``*_pdf.html``."""
    return "pdf" in path.parts or path.name.endswith("_pdf.html")


def _template_files():
    dirs = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates")]
    return sorted(
        {
            p
            for d in dirs
            for p in d.rglob("*.html")
            if ".venv" not in p.parts and not _is_pdf_template(p)
        }
    )


def test_no_template_has_inline_script_without_nonce_or_inline_style():
    problems = []
    files = _template_files()
    assert files
    for path in files:
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
            if "src=" not in tag and "csp_nonce" not in tag:
                problems.append(f"{path.relative_to(ROOT)}: script en ligne sans nonce : {tag}")
        if re.search(r"<style\b", text, flags=re.IGNORECASE):
            problems.append(f"{path.relative_to(ROOT)}: balise <style>")
        if re.search(r"\sstyle\s*=", text, flags=re.IGNORECASE):
            problems.append(f"{path.relative_to(ROOT)}: attribut style=")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text, flags=re.IGNORECASE):
            problems.append(f"{path.relative_to(ROOT)}: gestionnaire d'événement en ligne")
        if re.search(r"href\s*=\s*[\"']javascript:", text, flags=re.IGNORECASE):
            problems.append(f"{path.relative_to(ROOT)}: lien javascript:")
    assert problems == []
