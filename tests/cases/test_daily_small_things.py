"""What a worker or an agent meets every day: labels that tell the truth, French messages,
links in e-mails on the site's public address."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Referral
from tests.cases.factories import BeneficiaryFactory, CaseFactory, action_kind, problem
from tests.cases.referral_world import world_fixture  # noqa: F401
from tests.iscg.factories import UserFactory


def _label(content: str, field_id: str) -> str:
    match = re.search(rf'<label for="{field_id}"[^>]*>(.*?)</label>', content, re.S)
    assert match, field_id
    return " ".join(re.sub(r"<[^>]+>", " ", match[1]).split())


def test_the_name_of_the_person_is_not_called_optional(client, world):
    client.force_login(world["agent"])
    content = client.get(reverse("referrals:unit_create")).content.decode()
    label = _label(content, "id_person_last_name")
    assert "Optionnel" not in label
    assert label.startswith("Nom Obligatoire, sauf si la personne reste anonyme")
    # And it is indeed required unless anonymous.
    response = client.post(
        reverse("referrals:unit_create"),
        {"unit": world["brigade"].pk, "main_problem": problem().pk, "person_last_name": ""},
    )
    assert "Indiquez le nom de la personne, ou cochez « Personne anonyme »." in (
        response.content.decode()
    )


def _case_of(worker):
    post = worker.holdings.get().post
    beneficiary = BeneficiaryFactory(post=post, created_by=worker)
    return CaseFactory(beneficiary=beneficiary, opened_on=timezone.localdate())


def test_a_negative_duration_is_answered_with_the_allowed_range():
    worker = UserFactory(worker=True)
    case = _case_of(worker)
    client = Client()
    client.force_login(worker)
    for typed in ("-5", "0", "601"):
        response = client.post(
            reverse("cases:action_create", args=[case.pk]),
            {
                "kind": action_kind().pk,
                "occurred_at": "2026-01-01T10:00",
                "duration_minutes": typed,
                "confidential_note": "Gardé",
            },
        )
        content = response.content.decode()
        assert response.status_code == 400
        assert "Indiquez une durée entre 1 et 600 minutes." in content, typed
        assert "supérieure ou égale" not in content and "inférieure ou égale" not in content
        assert "Gardé" in content
    assert case.actions.count() == 0


def test_a_case_opened_today_is_not_open_for_0_days(client):
    worker = UserFactory(worker=True)
    case = _case_of(worker)
    client.force_login(worker)
    content = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "0 jour" not in content
    assert "En cours depuis moins d&#x27;un jour" in content or (
        "En cours depuis moins d'un jour" in content
    )
    case.opened_on = timezone.localdate() - timezone.timedelta(days=1)
    case.save()
    content = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "En cours depuis 1 jour<" in content
    case.opened_on = timezone.localdate() - timezone.timedelta(days=12)
    case.save()
    content = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "En cours depuis 12 jours<" in content


@override_settings(SITE_URL="https://iscg.ain.gouv.fr")
def test_the_password_reset_link_is_on_the_public_address(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(worker=True, email="helene@example.org")
    # The e-mail leaves through the outbox once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": user.email}, HTTP_HOST="127.0.0.1:8000")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "https://iscg.ain.gouv.fr/" in body
    assert "127.0.0.1" not in body


@override_settings(SITE_URL="https://iscg.ain.gouv.fr/")
def test_the_new_referral_e_mail_links_to_the_public_address(client, world):
    from cases.models import Notification
    from cases.referrals.services.notifications import notification_send

    client.force_login(world["agent"])
    client.post(
        reverse("referrals:unit_create"),
        {
            "unit": world["brigade"].pk,
            "main_problem": problem().pk,
            "person_last_name": "Durand",
            "person_sex": "F",
            "circumstance": "intervention",
            "procedure_kind": "none",
            "consent_to_contact": "yes",
            "urgency": "normal",
        },
    )
    referral = Referral.objects.get()
    for notification in Notification.objects.filter(referral=referral):
        notification_send(notification.pk)
    bodies = [message.body for message in mail.outbox]
    assert bodies
    path = reverse("referrals:worker_detail", args=[referral.pk])
    assert all(f"https://iscg.ain.gouv.fr{path}" in body for body in bodies)


@pytest.mark.no_db
def test_production_links_default_to_the_first_allowed_host_over_https(tmp_path):
    from tests.iscg.test_settings import _manage

    env = {
        "SECRET_KEY": "q8ZrT2vLw9pXe4NcB7mYh3KsJ6dGf1uAo5iRt0yWxEzVbQnM-kP3s",
        "ALLOWED_HOSTS": "iscg.ain.gouv.fr,localhost",
        "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
    }
    code = "from django.conf import settings; print(settings.SITE_URL)"
    result = _manage("shell", "--no-imports", "-c", code, env_extra=env)
    assert result.stdout.strip() == "https://iscg.ain.gouv.fr", result.stderr
    result = _manage(
        "shell", "--no-imports", "-c", code, env_extra={**env, "SITE_URL": "https://iscg.fr"}
    )
    assert result.stdout.strip() == "https://iscg.fr", result.stderr


def test_the_other_origin_form_has_a_date_and_chooses_no_origin_for_the_user(client):
    worker = UserFactory(worker=True)
    client.force_login(worker)
    url = reverse("cases:referral_record")
    content = client.get(url).content.decode()
    assert 'name="received_on"' in content
    assert f'value="{timezone.localdate().isoformat()}"' in content
    assert not re.search(r'<option value="(self|partner|other)" selected>', content)
    response = client.post(url, {"person_last_name": "Moreau"})
    content = response.content.decode()
    assert "Indiquez l&#x27;origine de la saisine." in content
    # Nothing the user did not choose is shown as chosen after the failed submit.
    assert not re.search(r'<option value="(self|partner|other)" selected>', content)
    assert 'value="Moreau"' in content
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = client.post(url, {"received_on": tomorrow.isoformat(), "origin": "self"})
    assert "La date de la saisine ne peut pas être dans le futur." in response.content.decode()
    last_week = timezone.localdate() - timezone.timedelta(days=7)
    client.post(
        url,
        {
            "post": worker.holdings.get().post.pk,
            "received_on": last_week.isoformat(),
            "origin": "self",
            "main_problem": problem().pk,
            "urgency": "normal",
            "consent_to_contact": "True",
            "person_last_name": "Moreau",
            "person_sex": "F",
        },
    )
    referral = Referral.objects.get(person_last_name="Moreau")
    assert timezone.localtime(referral.received_at).date() == last_week
