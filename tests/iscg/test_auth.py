import re

from django.core import mail
from django.urls import reverse

from tests.iscg.factories import PASSWORD, UserFactory


def test_pages_require_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_by_email_is_case_insensitive_and_leads_home(client):
    user = UserFactory(email="camille.morel@example.gouv.fr", worker=True)
    response = client.post(
        reverse("login"),
        {"username": "Camille.Morel@Example.gouv.fr", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.wsgi_request.user == user
    assert "Intervenant·e social·e" in response.content.decode()


def test_wrong_password_says_so_in_french_and_keeps_the_email(client):
    UserFactory(email="a@example.gouv.fr")
    response = client.post(reverse("login"), {"username": "a@example.gouv.fr", "password": "faux"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in content
    assert 'value="a@example.gouv.fr"' in content


def test_logout_destroys_the_session(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_by_email(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="reset@example.gouv.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "reset@example.gouv.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "réinitialisation" in mail.outbox[0].subject
    link = re.search(r"https?://[^/]+(/compte/mot-de-passe/nouveau/\S+)", body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "court", "new_password2": "court"})
    assert "Ce mot de passe est trop court" in response.content.decode()
    new = "Une-phrase-de-passe-neuve-2026"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_for_unknown_email_reveals_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "inconnu@example.gouv.fr"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_public_pages_are_public(client):
    for name in ("accessibility", "legal_notice", "personal_data", "login", "password_reset"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    statement = client.get(reverse("accessibility")).content.decode()
    # No full RGAA audit yet: the RGAA calls that "non conforme", not "partiellement".
    assert "<strong>non conforme</strong>" in statement
    assert "partiellement conforme" not in statement


def test_health_check_is_public_and_checks_database_and_cache(client):
    response = client.get("/health/?format=json")
    assert response.status_code == 200
    payload = response.json()
    assert set(payload) == {"Database", "Cache"} or len(payload) == 2
