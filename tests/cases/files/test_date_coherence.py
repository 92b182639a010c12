"""Dates coherent with what they date, refused on the field in French, nothing typed lost.

Reproduced before: an acte and an orientation dated 01/01/2020 were saved on a case
opened on 02/12/2026; an anonymous contact dated 1990 was saved, and so was a saisine of
another origin.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.files.services.orientations import orientation_update
from cases.models import Action, AnonymousContact, Orientation, Referral
from tests.cases.factories import action_kind, problem
from tests.cases.files.test_worker_views import world  # noqa: F401 - fixture

OLD = "2020-01-01"


def _text(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").split())


def test_an_acte_before_the_case_opened_is_refused(client, world):  # noqa: F811
    client.force_login(world["worker"])
    before = Action.objects.count()
    response = client.post(
        reverse("cases:action_create", args=[world["case"].pk]),
        {
            "kind": action_kind().pk,
            "occurred_at": f"{OLD}T10:00",
            "duration_minutes": "30",
            "site": world["site"].pk,
            "confidential_note": "Note gardée",
        },
    )
    text = _text(response)
    opened = world["case"].opened_on
    assert (
        f"Un acte ne peut pas être daté d'avant l'ouverture de l'accompagnement, le "
        f"{opened:%d/%m/%Y}." in text
    )
    assert "Note gardée" in text
    assert Action.objects.count() == before


def test_an_orientation_outside_the_case_is_refused(client, world):  # noqa: F811
    client.force_login(world["worker"])
    before = Orientation.objects.count()
    response = client.post(
        reverse("cases:orientation_create", args=[world["case"].pk]),
        {
            "partner": world["partner"].pk,
            "oriented_on": OLD,
            "reason": "Motif gardé",
            "status": "proposed",
        },
    )
    text = _text(response)
    assert "Une orientation ne peut pas être datée d'avant l'ouverture" in text
    assert "Motif gardé" in text
    assert Orientation.objects.count() == before


def test_an_orientation_cannot_be_moved_after_the_closure(world):  # noqa: F811
    case = world["case"]
    case.closed_on, case.closing_reason = timezone.localdate(), "goals_met"
    case.save()
    orientation = world["orientation"]
    with pytest.raises(ValidationError) as error:
        orientation_update(
            orientation=orientation,
            oriented_on=timezone.localdate() + datetime.timedelta(days=1),
            acting_user=world["worker"],
        )
    assert "oriented_on" in error.value.message_dict


def test_an_anonymous_contact_more_than_a_year_back_is_refused(client, world):  # noqa: F811
    client.force_login(world["worker"])
    response = client.post(
        reverse("cases:contact_create"),
        {
            "post": world["post"].pk,
            "occurred_on": "1990-06-01",
            "mode": "phone",
            "problem": problem().pk,
            "sex": "F",
            "age_band": "25-34",
        },
    )
    earliest = timezone.localdate() - datetime.timedelta(days=366)
    assert f"La date doit être comprise entre le {earliest:%d/%m/%Y} et aujourd'hui" in _text(
        response
    )
    assert AnonymousContact.objects.count() == 1  # the world's own


def test_a_saisine_of_another_origin_more_than_a_year_back_is_refused(client, world):  # noqa: F811
    client.force_login(world["worker"])
    response = client.post(
        reverse("cases:referral_record"),
        {
            "post": world["post"].pk,
            "received_on": "1995-03-02",
            "origin": "self",
            "main_problem": problem().pk,
            "urgency": "normal",
            "consent_to_contact": "True",
            "person_last_name": "Moreau",
            "person_sex": "F",
        },
    )
    text = _text(response)
    assert "vérifiez l'année saisie" in text and 'value="Moreau"' in text
    assert not Referral.objects.filter(person_last_name="Moreau").exists()


def test_dates_within_the_case_are_accepted(client, world):  # noqa: F811
    client.force_login(world["worker"])
    today = timezone.localdate()
    response = client.post(
        reverse("cases:orientation_create", args=[world["case"].pk]),
        {
            "partner": world["partner"].pk,
            "oriented_on": today.isoformat(),
            "reason": "Écoute",
            "status": "proposed",
        },
    )
    assert response.status_code == 302


def test_what_the_police_wrote_carries_over_into_the_file(client, world):  # noqa: F811
    """Reproduced before: the police gave the person's age (34); the file created from
    the saisine said "âge inconnu" and the bilan counted one more unknown age."""
    from iscg.models import Commune

    commune = Commune.objects.filter(department=world["post"].employer.department).first()
    if commune is None:
        from tests.iscg.factories import CommuneFactory

        commune = CommuneFactory(department=world["post"].employer.department)
    referral = world["referral"]
    referral.person_age, referral.person_birth_year = 34, None
    referral.person_phone, referral.person_commune = "06 12 34 56 78", commune
    referral.save()
    client.force_login(world["worker"])
    page = client.get(reverse("cases:beneficiary_create") + f"?saisine={referral.pk}")
    text = _text(page)
    year = timezone.localtime(referral.received_at).year - 34
    assert f'name="birth_year" value="{year}"' in text
    assert "estimée d'après l'âge indiqué dans la saisine (34 ans)" in text
    assert 'value="06 12 34 56 78"' in text
    assert f'value="{commune.name} ({commune.code})"' in text


def test_a_case_cannot_be_closed_before_its_last_acte(client, world):  # noqa: F811
    """Reproduced by the property test of every form: a closure dated the day before the
    case's acte of today was saved, leaving an acte after the closure."""
    case = world["case"]
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    case.opened_on = today - datetime.timedelta(days=10)
    case.save()
    client.force_login(world["worker"])
    response = client.post(
        reverse("cases:case_close", args=[case.pk]),
        {"reason": "goals_met", "closed_on": yesterday.isoformat()},
    )
    assert response.status_code == 400
    assert (
        f"Cet accompagnement a un acte ou une orientation daté du {today:%d/%m/%Y} : la "
        "clôture ne peut pas le précéder" in _text(response)
    )
    case.refresh_from_db()
    assert case.closed_on is None
    response = client.post(
        reverse("cases:case_close", args=[case.pk]),
        {"reason": "goals_met", "closed_on": today.isoformat()},
    )
    assert response.status_code == 302
