"""Rights of the people concerned: export (JSON, PDF), rectify, erase; who may."""

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.lifecycle.services import retention
from cases.models import Beneficiary, DataProtectionAction, DataProtectionEvent
from tests.cases.lifecycle_helpers import (
    CANARY,
    CANARY_PHONE,
    person_with_everything,
    tables_containing,
)
from tests.iscg.factories import CommuneFactory, UserFactory

OTHER = "Autrepersonne"


@pytest.fixture
def world():
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    CommuneFactory(code="01053", name="Bourg-en-Bresse")
    person = person_with_everything(worker=worker, post=post)
    other = person_with_everything(worker=worker, post=post, name=OTHER, phone="0799887766")
    return {"worker": worker, "post": post, "person": person, "other": other}


def _export(client, person, fmt, reason="Demande d'accès reçue le 12/11/2026"):
    return client.post(
        reverse("lifecycle:rights_export", args=[person.pk]), {"format": fmt, "reason": reason}
    )


def test_the_json_export_holds_everything_about_the_person_and_nothing_of_another(client, world):
    client.force_login(world["worker"])
    response = _export(client, world["person"], "json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    text = response.content.decode()
    person = data["personne"]
    assert person["nom"] == CANARY.upper() and person["prenom"] == "Zoé-Marie"
    assert person["telephone"] == CANARY_PHONE and person["date_de_naissance"] == "1990-05-05"
    case = data["accompagnements"][0]
    assert case["actes"][0]["note"] == f"Note sur {CANARY} : à rappeler."
    assert case["orientations"][0]["motif"] == f"Orientation de {CANARY} vers le CIDFF"
    assert case["orientations"][0]["reponse_du_partenaire"] == f"{CANARY} reçue le lendemain"
    referral = data["saisines"][0]
    assert referral["contexte"] == f"{CANARY} a appelé le 17 après une dispute."
    assert referral["reference_de_la_procedure"] == f"PV-{CANARY}"
    assert referral["retours_a_l_unite"][0]["message"] == f"{CANARY} a été reçue."
    # Nothing of the other person, not even an identifier.
    other = world["other"]
    assert OTHER not in text and "0799887766" not in text
    assert other.referrals.get().number not in text
    assert f'"numero": {other.cases.get().pk}' not in text
    event = DataProtectionEvent.objects.get(action=DataProtectionAction.EXPORT)
    assert event.object_id == world["person"].pk and event.actor == world["worker"]
    assert event.reason == "Demande d'accès reçue le 12/11/2026"
    assert event.details == {"format": "json"}


def test_the_pdf_export_is_readable_by_the_person(client, world):
    client.force_login(world["worker"])
    response = _export(client, world["person"], "pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert CANARY.upper() in text and "Vos données personnelles" in text
    assert "Violences conjugales" in text
    assert OTHER not in text


def test_an_export_needs_a_reason(client, world):
    client.force_login(world["worker"])
    response = _export(client, world["person"], "json", reason="")
    assert response.status_code == 400
    assert "Indiquez le motif" in response.content.decode()
    assert not DataProtectionEvent.objects.exists()


def test_rectify_identity_fields_is_logged(client, world):
    client.force_login(world["worker"])
    person = world["person"]
    url = reverse("lifecycle:rights_rectify", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "last_name": "CANARDINO-DUPONT",
            "first_name": "Zoé",
            "sex": "F",
            "birth_date": "1990-05-06",
            "birth_year": "1990",
            "age_band": "unknown",
            "family_situation": "unknown",
            "children_count": "",
            "commune": "01053",
            "phone": CANARY_PHONE,
            "email": "",
            "reason": "Erreur de saisie signalée par la personne",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "CANARDINO-DUPONT" and person.birth_date.day == 6
    assert person.commune.code == "01053"
    # The rectified name is what the search now finds, hyphen or not.
    from cases.files.selectors import beneficiary_search

    assert person in beneficiary_search(world["worker"], "canardino-dupont")
    assert person in beneficiary_search(world["worker"], "Canardino Dupont")
    event = DataProtectionEvent.objects.get(action=DataProtectionAction.RECTIFY)
    assert set(event.details["fields"]) >= {"last_name", "first_name", "birth_date", "email"}
    assert person.history.first().history_change_reason == "Rectification (droits de la personne)"


def test_a_rectification_form_with_errors_keeps_what_was_typed(client, world):
    client.force_login(world["worker"])
    url = reverse("lifecycle:rights_rectify", args=[world["person"].pk])
    response = client.post(url, {"last_name": "NOUVEAU", "sex": "F", "reason": ""})
    page = response.content.decode()
    assert response.status_code == 200 and 'value="NOUVEAU"' in page
    assert "Indiquez le motif" in page


def test_erase_on_request_anonymises_at_once(client, world):
    client.force_login(world["worker"])
    person = world["person"]
    url = reverse("lifecycle:rights_erase", args=[person.pk])
    response = client.post(url, {"reason": "Demande d'effacement"})
    assert "Confirmez l&#x27;effacement" in response.content.decode()
    assert tables_containing(CANARY)
    response = client.post(
        url, {"reason": "Demande d'effacement écrite du 2/11", "confirm": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert "Les données identifiantes ont été effacées" in response.content.decode()
    # Replaced by counts: no row of the person is left, history included.
    assert not Beneficiary.objects.filter(pk=person.pk).exists()
    assert not Beneficiary.history.filter(id=person.pk).exists()
    assert tables_containing(CANARY) == []
    assert tables_containing(CANARY_PHONE) == []
    assert tables_containing(OTHER)  # the other person is untouched
    event = DataProtectionEvent.objects.get(action=DataProtectionAction.ERASE)
    assert event.reason == "Demande d'effacement écrite du 2/11"
    assert event.actor == world["worker"]


@pytest.mark.parametrize(
    "role", ["unit_agent", "unit_lead", "employer_manager", "prefecture", "funder_user"]
)
def test_other_roles_get_403(client, world, role):
    user = UserFactory(**{role: True}, department=world["post"].employer.department)
    client.force_login(user)
    pk = world["person"].pk
    for name in ("rights", "rights_export", "rights_rectify", "rights_erase", "archive_open"):
        assert client.get(reverse(f"lifecycle:{name}", args=[pk])).status_code == 403, name
    assert client.get(reverse("lifecycle:archive_list")).status_code == 403
    assert client.get(reverse("lifecycle:register")).status_code == 403
    assert _export(client, world["person"], "json").status_code == 403


def test_a_worker_of_another_post_gets_404(client, world):
    client.force_login(UserFactory(worker=True))
    pk = world["person"].pk
    for name in ("rights", "rights_export", "rights_rectify", "rights_erase"):
        assert client.get(reverse(f"lifecycle:{name}", args=[pk])).status_code == 404, name
    assert _export(client, world["person"], "json").status_code == 404


def test_the_admin_as_dpo_exercises_rights_even_on_an_archived_file(client, world):
    admin = UserFactory(admin=True, department=world["post"].employer.department)
    retention.archive_beneficiaries(beneficiary_ids=[world["person"].pk])
    client.force_login(world["worker"])
    assert client.get(reverse("lifecycle:rights", args=[world["person"].pk])).status_code == 404
    client.force_login(admin)
    assert client.get(reverse("lifecycle:rights", args=[world["person"].pk])).status_code == 200
    data = json.loads(_export(client, world["person"], "json").content)
    assert data["personne"]["nom"] == CANARY.upper()
    register = client.get(reverse("lifecycle:register")).content.decode()
    assert "Export des données d&#x27;une personne" in register
    assert Beneficiary.objects.get(pk=world["person"].pk).archived_at is not None


@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_the_dpo_export_holds_no_confidential_note(client, world, fmt):
    """The administrator reads everything but the confidential notes (DESIGN.md)."""
    admin = UserFactory(admin=True, department=world["post"].employer.department)
    client.force_login(admin)
    response = _export(client, world["person"], fmt)
    assert response.status_code == 200
    if fmt == "json":
        text = response.content.decode()
        data = json.loads(text)
        assert data["personne"]["nom"] == CANARY.upper()
        assert all("note" not in acte for acte in data["accompagnements"][0]["actes"])
    else:
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(page.extract_text() for page in reader.pages)
        assert CANARY.upper() in text
    assert "à rappeler" not in text


def test_an_unknown_commune_code_is_refused_in_french(client, world):
    client.force_login(world["worker"])
    url = reverse("lifecycle:rights_rectify", args=[world["person"].pk])
    response = client.post(
        url, {"sex": "F", "age_band": "unknown", "family_situation": "unknown", "commune": "99999"}
    )
    assert "Aucune commune ne correspond à « 99999 »" in response.content.decode()
    assert 'value="99999"' in response.content.decode()
