"""One submission, one record (iscg/submissions.py).

Reproduced before: a double click on "Transmettre la saisine" created S2026-000088 and
S2026-000089.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from cases.models import Referral
from iscg import submissions
from iscg.models import Submission
from iscg.tasks import purge_submissions
from tests.cases.referral_world import world_fixture  # noqa: F401
from tests.cases.referrals.test_unit_referrals import _data

URL = reverse("referrals:unit_create")
TOKEN = "7f1c2a9e-4b1d-4c55-9a7e-0d5b3e2f8a61"


def test_the_same_form_sent_twice_creates_one_saisine(client, world):
    client.force_login(world["agent"])
    first = client.post(URL, {**_data(world), "_submission": TOKEN})
    second = client.post(URL, {**_data(world), "_submission": TOKEN}, follow=True)
    assert Referral.objects.count() == 1
    referral = Referral.objects.get()
    assert first["Location"] == reverse("referrals:unit_confirmation", args=[referral.pk])
    assert second.redirect_chain[0][0] == first["Location"]
    text = second.content.decode().replace("&#x27;", "'")
    assert submissions.ALREADY_SENT in text and referral.number in text


def test_a_form_back_with_its_errors_can_be_sent_again(client, world):
    client.force_login(world["agent"])
    refused = client.post(URL, {**_data(world, main_problem=None), "_submission": TOKEN})
    assert refused.status_code == 200 and not Referral.objects.exists()
    assert not Submission.objects.exists()
    accepted = client.post(URL, {**_data(world), "_submission": TOKEN})
    assert accepted.status_code == 302 and Referral.objects.count() == 1


def test_two_forms_two_tokens_two_saisines(client, world):
    client.force_login(world["agent"])
    client.post(URL, {**_data(world), "_submission": TOKEN})
    client.post(URL, {**_data(world), "_submission": TOKEN.replace("7f", "8e")})
    assert Referral.objects.count() == 2


def test_a_token_is_the_users_own(client, world):
    client.force_login(world["agent"])
    client.post(URL, {**_data(world), "_submission": TOKEN})
    client.force_login(world["other_agent"])
    data = _data(world, unit=world["other_brigade"].pk)
    assert client.post(URL, {**data, "_submission": TOKEN}).status_code == 302
    assert Referral.objects.count() == 2


def test_a_second_click_while_the_first_is_on_its_way_is_not_acted_on(client, world, monkeypatch):
    """The first request has recorded its token and not answered yet."""
    monkeypatch.setattr(submissions, "WAIT_SECONDS", 0.3)
    Submission.objects.create(token=TOKEN, user=world["agent"], path=URL)
    client.force_login(world["agent"])
    response = client.post(URL, {**_data(world), "_submission": TOKEN})
    assert response.status_code == 409
    assert "déjà en cours d'envoi" in response.content.decode().replace("&#x27;", "'")
    assert not Referral.objects.exists()


def test_a_malformed_token_is_ignored_not_an_error(client, world):
    client.force_login(world["agent"])
    assert client.post(URL, {**_data(world), "_submission": "<script>"}).status_code == 302
    assert not Submission.objects.exists()


def test_every_page_loads_the_script_that_adds_the_token(client, world):
    client.force_login(world["agent"])
    assert "iscg/one-submission" in client.get(URL).content.decode()


def test_tokens_are_forgotten_after_a_day(world):
    old = Submission.objects.create(token=TOKEN, user=world["agent"], path=URL)
    Submission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    Submission.objects.create(token=TOKEN + "x", user=world["agent"], path=URL)
    assert purge_submissions() == 1
    assert Submission.objects.count() == 1
