"""ProConnect (OpenID Connect): off by default, on through environment variables."""

import importlib
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.urls import NoReverseMatch, clear_url_caches, reverse

from iscg.models import User
from tests.iscg.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
OIDC_ENV = {
    "OIDC_RP_CLIENT_ID": "iscg-ain",
    "OIDC_RP_CLIENT_SECRET": "secret-de-test",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://proconnect.example.gouv.fr/api/v2/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://proconnect.example.gouv.fr/api/v2/token",
    "OIDC_OP_USER_ENDPOINT": "https://proconnect.example.gouv.fr/api/v2/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://proconnect.example.gouv.fr/api/v2/jwks",
}
PROBE = (
    "from django.conf import settings; from django.urls import reverse;"
    "print('backend', 'iscg.oidc.ProConnectBackend' in settings.AUTHENTICATION_BACKENDS);"
    "print('url', reverse('oidc_authentication_init'))"
)


def _shell(env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    env.update(DJANGO_SETTINGS_MODULE="iscg.settings.test", **env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _reload_urls():
    import iscg.urls

    importlib.reload(iscg.urls)
    clear_url_caches()


@pytest.fixture
def proconnect_on(settings):
    settings.OIDC_ENABLED = True
    for name, value in OIDC_ENV.items():
        setattr(settings, name, value)
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email given_name usual_name"
    settings.OIDC_CREATE_USER = False
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "iscg.oidc.ProConnectBackend",
    ]
    _reload_urls()
    yield
    settings.OIDC_ENABLED = False
    _reload_urls()


@pytest.mark.no_db
def test_off_by_default_no_url_no_backend():
    from django.conf import settings

    assert settings.OIDC_ENABLED is False
    assert "iscg.oidc.ProConnectBackend" not in settings.AUTHENTICATION_BACKENDS
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")


def test_the_login_page_has_no_proconnect_button_when_off(client):
    assert "ProConnect" not in client.get(reverse("login")).content.decode()


@pytest.mark.no_db
def test_environment_variables_switch_it_on():
    off = _shell({})
    assert off.returncode != 0 or "backend False" in off.stdout
    assert "backend True" not in off.stdout
    on = _shell(OIDC_ENV)
    assert on.returncode == 0, on.stderr
    assert "backend True" in on.stdout
    assert "url /compte/proconnect/connexion/" in on.stdout


def test_when_on_the_login_page_offers_proconnect(client, proconnect_on):
    content = client.get(reverse("login")).content.decode()
    assert "S&#x27;identifier avec ProConnect" in content or "S'identifier avec ProConnect" in (
        content
    )
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    assert response["Location"].startswith(OIDC_ENV["OIDC_OP_AUTHORIZATION_ENDPOINT"])
    assert "client_id=iscg-ain" in response["Location"]


def test_proconnect_matches_existing_active_accounts_by_email_only(proconnect_on):
    from iscg.oidc import ProConnectBackend

    agent = UserFactory(email="agent.etat@interieur.gouv.fr", prefecture=True)
    gone = UserFactory(email="parti@interieur.gouv.fr", is_active=False)
    backend = ProConnectBackend()
    claims = {"email": "Agent.Etat@interieur.gouv.fr", "sub": "abc", "email_verified": True}
    with mock.patch.object(ProConnectBackend, "get_userinfo", return_value=claims):
        assert backend.get_or_create_user("a", "i", {}) == agent
    for email in ("inconnu@interieur.gouv.fr", gone.email):
        before = User.objects.count()
        with mock.patch.object(
            ProConnectBackend,
            "get_userinfo",
            return_value={"email": email, "sub": "x", "email_verified": True},
        ):
            assert backend.get_or_create_user("a", "i", {}) is None
        assert User.objects.count() == before
    with (
        mock.patch.object(ProConnectBackend, "get_userinfo", return_value={"sub": "x"}),
        pytest.raises(Exception, match="Claims verification failed"),
    ):
        backend.get_or_create_user("a", "i", {})


def _login_with(claims):
    from iscg.oidc import ProConnectBackend

    with mock.patch.object(ProConnectBackend, "get_userinfo", return_value=claims):
        return ProConnectBackend().get_or_create_user("a", "i", {})


@pytest.mark.parametrize("verified", [None, False, "false"])
def test_proconnect_requires_a_verified_email(proconnect_on, verified):
    UserFactory(email="agent@interieur.gouv.fr", prefecture=True)
    claims = {"email": "agent@interieur.gouv.fr", "sub": "abc"}
    if verified is not None:
        claims["email_verified"] = verified
    with pytest.raises(Exception, match="Claims verification failed"):
        _login_with(claims)


def test_proconnect_pins_the_sub_at_the_first_login_and_follows_it(proconnect_on):
    agent = UserFactory(email="agent@interieur.gouv.fr", prefecture=True)
    first = {"email": "agent@interieur.gouv.fr", "sub": "sub-agent", "email_verified": True}
    assert _login_with(first) == agent
    agent.refresh_from_db()
    assert agent.proconnect_sub == "sub-agent"
    # The same person after an e-mail change at ProConnect: still their account.
    moved = {**first, "email": "agent.nouveau@interieur.gouv.fr"}
    assert _login_with(moved) == agent


def test_proconnect_refuses_an_email_pinned_to_another_identity(proconnect_on):
    """Matching by e-mail alone let whoever held the address at ProConnect in."""
    agent = UserFactory(email="agent@interieur.gouv.fr", prefecture=True)
    claims = {"email": "agent@interieur.gouv.fr", "sub": "sub-agent", "email_verified": True}
    assert _login_with(claims) == agent
    other = {**claims, "sub": "sub-quelqu-un-d-autre"}
    assert _login_with(other) is None
    agent.refresh_from_db()
    assert agent.proconnect_sub == "sub-agent"
