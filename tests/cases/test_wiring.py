"""Across the referral and case branches: the journey of a referral, and the access log
written by every case page, referral page, archive opening and rights export."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enums import ReferralStatus
from cases.models import Beneficiary, Case, DataProtectionEvent, Referral
from iscg.models import AccessLog
from partners.models import PartnerKind
from tests.cases.factories import (
    ActionFactory,
    BeneficiaryFactory,
    CaseFactory,
    ReferralFactory,
    action_kind,
    problem,
)
from tests.cases.referral_world import world_fixture  # noqa: F401
from tests.iscg.factories import UserFactory
from tests.partners.factories import PartnerFactory

PERSON = {"last_name": "Quillardet", "first_name": "Berenice"}
ADDED = {"email": "berenice.secret@example.org", "phone": "06 98 76 54 32"}
NOTE = "Violences depuis 2019, hebergee chez sa soeur"
PARTNER_NAME = "Association Refuge Secret"
CANARIES = [PERSON["last_name"], PERSON["first_name"], ADDED["email"], NOTE, PARTNER_NAME]


def _row_text(row: AccessLog) -> str:
    return " ".join(str(getattr(row, f.attname)) for f in AccessLog._meta.concrete_fields)


def _assert_rows_hold_no_content():
    for row in AccessLog.objects.all():
        text = _row_text(row).lower()
        for canary in CANARIES:
            assert canary.lower() not in text, (row.action, canary)


def _logged(user, action, obj) -> bool:
    return AccessLog.objects.filter(
        user=user,
        action=action,
        content_type__model=obj._meta.model_name,
        object_id=str(obj.pk),
    ).exists()


def test_referral_journey_across_branches(client, world):
    """Unit submits → worker takes it (new file) → acte with a confidential note →
    orientation "effectuée" → feedback. The unit reads the status, the feedback and the
    partner KIND; never the partner's name, the note, the acte, the worker's additions."""
    agent, worker = world["agent"], world["worker"]
    kind = PartnerKind.objects.create(code="hebergement-test", label="Hébergement d'urgence")
    partner = PartnerFactory(department=world["department"], name=PARTNER_NAME, kind=kind)

    # 1. The unit submits (the person's name as the gendarme typed it).
    client.force_login(agent)
    response = client.post(
        reverse("referrals:unit_create"),
        {
            "unit": world["brigade"].pk,
            "main_problem": problem().pk,
            "person_last_name": PERSON["last_name"],
            "person_first_name": PERSON["first_name"],
            "person_sex": "F",
            "person_age": "41",
            "person_commune": "Châtillon-sur-Chalaronne (01093)",
            "circumstance": "intervention",
            "procedure_kind": "complaint",
            "procedure_reference": "2026/000777",
            "consent_to_contact": "yes",
            "urgency": "normal",
            "context": "Intervention au domicile.",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    unit_url = reverse("referrals:unit_detail", args=[referral.pk])

    # 2. The worker reads it and takes it, creating the file from the referral.
    client.force_login(worker)
    detail = client.get(reverse("referrals:worker_detail", args=[referral.pk])).content.decode()
    take_url = reverse("cases:referral_take", args=[referral.pk])
    assert f'href="{take_url}"' in detail
    assert _logged(worker, "view", referral)
    response = client.post(take_url, {"choice": "new"})
    create_url = reverse("cases:beneficiary_create") + f"?saisine={referral.pk}"
    assert response["Location"] == create_url
    response = client.post(
        create_url,
        {
            "post": world["post"].pk,
            "saisine": referral.pk,
            "last_name": PERSON["last_name"],
            "first_name": PERSON["first_name"],
            "sex": "F",
            "birth_date": "1985-02-03",
            "birth_year": "",
            "age_band": "unknown",
            "family_situation": "couple_children",
            "phone": ADDED["phone"],
            "email": ADDED["email"],
            "profile": "victim",
            "known_to_department": "yes",
            "known_to_caf": "no",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    referral.refresh_from_db()
    case = Case.objects.get()
    assert referral.status == ReferralStatus.TAKEN and referral.case == case
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])

    # 3. An acte with a confidential note, 4. an orientation "effectuée".
    response = client.post(
        reverse("cases:action_create", args=[case.pk]),
        {
            "kind": action_kind("entretien-telephonique").pk,
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "45",
            "site": "",
            "confidential_note": NOTE,
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("cases:orientation_create", args=[case.pk]),
        {
            "partner": partner.pk,
            "oriented_on": timezone.localdate().isoformat(),
            "reason": "Mise à l'abri",
            "status": "done",
        },
    )
    assert response.status_code == 302
    # Both carry the case's post: bilans and visibility filter them by post and date.
    assert (
        {case.post_id}
        == {a.post_id for a in case.actions.all()}
        == {o.post_id for o in case.orientations.all()}
    )
    referral.refresh_from_db()
    # An orientation is case data: the unit learns of it only if the feedback says so.
    assert referral.status == ReferralStatus.TAKEN

    # The case page shows the referral with its feedback panel and a link to its page.
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("referrals:feedback", args=[referral.pk]) in page
    assert reverse("referrals:worker_detail", args=[referral.pk]) in page
    assert _logged(worker, "view", case)

    # 5. The feedback, reviewed then sent.
    feedback_url = reverse("referrals:feedback", args=[referral.pk])
    data = {
        "kind": "contact_established",
        "message": "La personne est accompagnée.",
        "partner_kinds": [partner.kind_id],
    }
    assert client.post(feedback_url, {**data, "step": "preview"}).status_code == 200
    assert client.post(feedback_url, {**data, "step": "confirm"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ORIENTED

    # The unit's page: status, feedback, partner kind; nothing of the case.
    client.force_login(agent)
    html = client.get(unit_url).content.decode()
    assert "Orientée vers des partenaires" in html
    assert "Hébergement d&#x27;urgence" in html
    assert "Contact établi et accompagnement en cours" in html
    assert "La personne est accompagnée." in html
    for secret in (PARTNER_NAME, NOTE, "Entretien téléphonique", "Mise à l", *ADDED.values()):
        assert secret not in html, secret
    assert "1985" not in html and "Couple" not in html
    # It still reads what it entered.
    assert PERSON["last_name"] in html and "2026/000777" in html
    assert _logged(agent, "view", referral)
    _assert_rows_hold_no_content()


def test_the_unit_learns_of_an_orientation_only_when_the_feedback_says_so(client, world):
    """The unit's page showed "Santé (hôpital, CMP)" as soon as an orientation was done,
    though the worker never chose to send it."""
    referral = ReferralFactory(
        source_unit=world["brigade"], post=world["post"], submitted_by=world["agent"]
    )
    beneficiary = BeneficiaryFactory(post=world["post"], created_by=world["worker"])
    case = CaseFactory(beneficiary=beneficiary, created_by=world["worker"])
    referral.case, referral.beneficiary, referral.status = case, beneficiary, "taken"
    referral.save()
    proposed = PartnerKind.objects.create(code="kind-proposed", label="Type encore proposé")
    health = PartnerKind.objects.create(
        code="kind-health", label="Soin psychiatrique", is_health_related=True
    )
    other = PartnerKind.objects.create(code="kind-other", label="Aide juridique")
    unit_url = reverse("referrals:unit_detail", args=[referral.pk])
    feedback_url = reverse("referrals:feedback", args=[referral.pk])

    def orient(kind, status):
        client.force_login(world["worker"])
        response = client.post(
            reverse("cases:orientation_create", args=[case.pk]),
            {
                "partner": PartnerFactory(department=world["department"], kind=kind).pk,
                "oriented_on": timezone.localdate().isoformat(),
                "reason": "Conseil",
                "status": status,
            },
        )
        assert response.status_code == 302

    def unit_page():
        client.force_login(world["agent"])
        return client.get(unit_url).content.decode()

    orient(proposed, "proposed")
    orient(health, "done")
    orient(other, "done")
    html = unit_page()
    assert "Soin psychiatrique" not in html and "Orientée vers" not in html
    assert "Prise en compte" in html

    # The feedback form offers the effective orientations' kinds, health ones flagged.
    client.force_login(world["worker"])
    form = client.get(feedback_url).content.decode()
    assert "Soin psychiatrique — information de santé" in form
    assert "Aide juridique" in form and "Type encore proposé" not in form
    # A feedback without a choice tells nothing of the orientation.
    client.post(feedback_url, {"kind": "contact_established", "step": "confirm"})
    assert "Aide juridique" not in unit_page()
    # The worker ticks one kind: the unit reads that one only.
    client.force_login(world["worker"])
    data = {"kind": "contact_established", "partner_kinds": [other.pk]}
    preview = client.post(feedback_url, {**data, "step": "preview"}).content.decode()
    assert "Orientation vers" in preview and "Aide juridique" in preview
    assert client.post(feedback_url, {**data, "step": "confirm"}).status_code == 302
    html = unit_page()
    assert "Orientée vers : Aide juridique." in html
    assert "Soin psychiatrique" not in html and "Type encore proposé" not in html
    # A kind outside the case's effective orientations cannot be announced.
    client.force_login(world["worker"])
    response = client.post(
        feedback_url,
        {"kind": "contact_established", "partner_kinds": [proposed.pk], "step": "confirm"},
    )
    assert response.status_code == 200
    assert "Type encore proposé" not in unit_page()


@pytest.fixture
def file(world):
    worker = world["worker"]
    beneficiary = BeneficiaryFactory(
        post=world["post"], created_by=worker, last_name=PERSON["last_name"]
    )
    case = CaseFactory(beneficiary=beneficiary, created_by=worker)
    ActionFactory(case=case, author=worker, confidential_note=NOTE)
    referral = ReferralFactory(
        source_unit=world["brigade"],
        post=world["post"],
        submitted_by=world["agent"],
        person_last_name=PERSON["last_name"],
    )
    return beneficiary, case, referral


@pytest.mark.parametrize(
    ("url_name", "target"),
    [
        ("cases:beneficiary_detail", "beneficiary"),
        ("cases:case_detail", "case"),
        ("cases:referral_take", "referral"),
        ("referrals:worker_detail", "referral"),
        ("lifecycle:rights", "beneficiary"),
    ],
)
def test_worker_pages_write_the_access_log(client, world, file, url_name, target):
    beneficiary, case, referral = file
    obj = {"beneficiary": beneficiary, "case": case, "referral": referral}[target]
    client.force_login(world["worker"])
    url = reverse(url_name, args=[obj.pk])
    assert client.get(url).status_code == 200
    row = AccessLog.objects.get(action="view")
    assert row.user == world["worker"]
    assert (row.content_type.model, row.object_id) == (obj._meta.model_name, str(obj.pk))
    assert row.path == url
    _assert_rows_hold_no_content()
    # Another worker gets a 404 and no "view" row.
    client.force_login(world["other_worker"])
    assert client.get(url).status_code == 404
    assert AccessLog.objects.filter(action="view").count() == 1


def test_the_prefilled_form_and_a_reshown_case_page_are_logged(client, world, file):
    _, case, referral = file
    client.force_login(world["worker"])
    url = reverse("cases:beneficiary_create") + f"?saisine={referral.pk}"
    assert client.get(url).status_code == 200
    assert _logged(world["worker"], "view", referral)
    # An acte form with errors shows the case page again (400): that read is logged too.
    response = client.post(reverse("cases:action_create", args=[case.pk]), {"kind": ""})
    assert response.status_code == 400
    assert _logged(world["worker"], "view", case)


def test_the_unit_detail_is_logged(client, world, file):
    _, _, referral = file
    client.force_login(world["agent"])
    assert client.get(reverse("referrals:unit_detail", args=[referral.pk])).status_code == 200
    assert _logged(world["agent"], "view", referral)
    _assert_rows_hold_no_content()


@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_rights_exports_are_logged(client, world, file, fmt):
    beneficiary, _, _ = file
    client.force_login(world["worker"])
    response = client.post(
        reverse("lifecycle:rights_export", args=[beneficiary.pk]),
        {"format": fmt, "reason": "Demande écrite de la personne"},
    )
    assert response.status_code == 200
    if fmt == "json":
        assert PERSON["last_name"] in json.dumps(json.loads(response.content), ensure_ascii=False)
    assert _logged(world["worker"], "export", beneficiary)
    _assert_rows_hold_no_content()


def test_opening_an_archive_writes_both_registers(client, world, file):
    beneficiary, _, _ = file
    admin = UserFactory(admin=True, department=world["department"])
    Beneficiary.objects.filter(pk=beneficiary.pk).update(archived_at=timezone.now())
    client.force_login(admin)
    url = reverse("lifecycle:archive_open", args=[beneficiary.pk])
    assert client.get(url).status_code == 200
    assert not AccessLog.objects.filter(action="archive_open").exists()
    response = client.post(url, {"reason": "Réquisition judiciaire n° 12"})
    assert response.status_code == 200
    assert PERSON["last_name"] in response.content.decode()
    assert _logged(admin, "archive_open", beneficiary)
    assert DataProtectionEvent.objects.filter(action="archive_open").exists()
    _assert_rows_hold_no_content()


def test_beneficiary_and_case_pages_link_to_rights_and_history(client, world, file):
    beneficiary, case, referral = file
    referral.case, referral.beneficiary = case, beneficiary
    referral.save()
    client.force_login(world["worker"])
    page = client.get(reverse("cases:beneficiary_detail", args=[beneficiary.pk])).content.decode()
    rights_url = reverse("lifecycle:rights", args=[beneficiary.pk])
    history_url = reverse("history", args=["cases", "beneficiary", beneficiary.pk])
    assert rights_url in page and "Droits de la personne" in page
    assert history_url in page
    assert reverse("referrals:worker_detail", args=[referral.pk]) in page
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    case_history = reverse("history", args=["cases", "case", case.pk])
    assert case_history in page
    for url in (rights_url, history_url, case_history):
        assert client.get(url).status_code == 200, url


def test_the_new_referrals_block_links_to_the_worker_page(client, world):
    referral = ReferralFactory(source_unit=world["brigade"], post=world["post"])
    client.force_login(world["worker"])
    home = client.get(reverse("home")).content.decode()
    assert reverse("referrals:worker_detail", args=[referral.pk]) in home
    assert reverse("cases:referral_take", args=[referral.pk]) in home
