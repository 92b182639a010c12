"""Worker screens: who may reach them, what they show, how they fail in French."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enums import ReferralStatus
from cases.models import Action, Orientation
from tests.cases.factories import (
    ActionFactory,
    AnonymousContactFactory,
    BeneficiaryFactory,
    CaseFactory,
    OrientationFactory,
    ReferralFactory,
    UnitFeedbackFactory,
    action_kind,
    problem,
)
from tests.iscg.factories import SiteFactory, UserFactory
from tests.partners.factories import PartnerFactory

OTHER_ROLES = ["unit_agent", "unit_lead", "employer_manager", "prefecture", "funder_user", "admin"]


@pytest.fixture
def world():
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    site = SiteFactory(department=post.employer.department)
    post.sites.add(site)
    post.main_site = site
    post.save()
    beneficiary = BeneficiaryFactory(
        post=post,
        created_by=worker,
        last_name="Lefèvre",
        first_name="Hélène",
        search_text="lefevre helene",
    )
    case = CaseFactory(beneficiary=beneficiary, opened_on=timezone.localdate())
    partner = PartnerFactory(department=post.employer.department, name="CIDFF de l'Ain")
    return {
        "worker": worker,
        "post": post,
        "site": site,
        "beneficiary": beneficiary,
        "case": case,
        "action": ActionFactory(case=case, confidential_note="Secret de l'entretien"),
        "orientation": OrientationFactory(case=case, partner=partner),
        "referral": ReferralFactory(post=post, person_last_name="Vasseur"),
        "partner": partner,
        "contact": AnonymousContactFactory(post=post),
    }


def url_list(world):
    b, c = world["beneficiary"].pk, world["case"].pk
    return [
        ("cases:beneficiary_list", [], False),
        ("cases:beneficiary_create", [], False),
        ("cases:beneficiary_detail", [b], True),
        ("cases:beneficiary_update", [b], True),
        ("cases:case_open", [b], True),
        ("cases:case_detail", [c], True),
        ("cases:action_create", [c], True),
        ("cases:case_close", [c], True),
        ("cases:case_reopen", [c], True),
        ("cases:orientation_create", [c], True),
        ("cases:partner_quick_create", [c], True),
        ("cases:orientation_update", [world["orientation"].pk], True),
        ("cases:partner_search", [], False),
        ("cases:referral_record", [], False),
        ("cases:referral_take", [world["referral"].pk], True),
        ("cases:contact_list", [], False),
        ("cases:contact_create", [], False),
    ]


CASE_URL_NAMES = [
    "beneficiary_list",
    "beneficiary_create",
    "beneficiary_detail",
    "beneficiary_update",
    "case_open",
    "case_detail",
    "action_create",
    "case_close",
    "case_reopen",
    "orientation_create",
    "partner_quick_create",
    "orientation_update",
    "partner_search",
    "referral_record",
    "referral_take",
    "contact_list",
    "contact_create",
]


POST_ONLY = {"case_open", "case_reopen"}


def _url(world, name):
    for url_name, args, _ in url_list(world):
        if url_name == f"cases:{name}":
            return reverse(url_name, args=args), bool(args)
    raise AssertionError(name)


@pytest.mark.parametrize("name", CASE_URL_NAMES)
def test_the_worker_of_the_post_reaches_every_page(client, world, name):
    url, _ = _url(world, name)
    client.force_login(world["worker"])
    response = client.get(url)
    assert response.status_code in (200, 302, 405)
    if response.status_code == 200:
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", CASE_URL_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_worker_of_another_post_gets_404_and_sees_nothing(client, world, name, method):
    url, has_object = _url(world, name)
    client.force_login(UserFactory(worker=True))
    response = getattr(client, method)(url)
    if has_object and method == "get" and name in POST_ONLY:
        assert response.status_code == 405
    elif has_object:
        assert response.status_code == 404
    else:
        assert response.status_code in (200, 302, 400)
        assert "Lefèvre".upper() not in response.content.decode()
        assert "Vasseur".upper() not in response.content.decode()


@pytest.mark.parametrize("name", CASE_URL_NAMES)
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_403(client, world, name, role):
    url, _ = _url(world, name)
    user = UserFactory(**{role: True}, department=world["post"].employer.department)
    client.force_login(user)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


def test_nothing_changes_when_another_worker_posts(client, world):
    client.force_login(UserFactory(worker=True))
    client.post(
        reverse("cases:case_close", args=[world["case"].pk]),
        {"reason": "other", "closed_on": timezone.localdate().isoformat()},
    )
    client.post(
        reverse("cases:action_create", args=[world["case"].pk]),
        {"kind": action_kind().pk, "occurred_at": "2026-01-01T10:00", "duration_minutes": 30},
    )
    world["case"].refresh_from_db()
    assert world["case"].is_open
    assert Action.objects.count() == 1


# Dashboard ---------------------------------------------------------------------------------


def test_dashboard_shows_referrals_to_take_with_take_link(client, world):
    client.force_login(world["worker"])
    content = client.get("/").content.decode()
    assert "Nouvelles saisines à prendre en compte (1)" in content
    assert reverse("cases:referral_take", args=[world["referral"].pk]) in content
    assert "Actes du jour" in content
    assert "Accompagnements sans acte depuis 30 jours" in content


def test_dashboard_rows_show_the_person_the_unit_the_kind_and_the_place(client, world):
    from django.utils.html import escape

    referral = world["referral"]
    referral.person_first_name = "Inès"
    referral.save()
    stale = CaseFactory(
        beneficiary=BeneficiaryFactory(
            post=world["post"], last_name="Roux", first_name="Léa", created_by=world["worker"]
        ),
        opened_on=timezone.localdate() - datetime.timedelta(days=60),
    )
    now = timezone.localtime()
    acte = ActionFactory(case=world["case"], occurred_at=now, site=world["site"])
    client.force_login(world["worker"])
    content = client.get("/").content.decode()
    problem = referral.main_problem.label if referral.main_problem else "—"

    def section(anchor):
        start = content.index(f'id="{anchor}"')
        return " ".join(content[start : content.index("</section>", start)].split())

    taken = section("saisines-a-prendre")
    assert escape("VASSEUR Inès") in taken and escape(problem) in taken
    assert escape(str(referral.source_unit or referral.get_origin_display())) in taken
    stale_rows = section("sans-acte")
    assert escape(f"ROUX Léa — Accompagnement n° {stale.pk}") in stale_rows
    assert f"ouverture le {stale.opened_on:%d/%m/%Y}" in stale_rows
    today = section("actes-du-jour")
    assert escape(f"{now:%H:%M} — {acte.kind.label} —") in today
    assert escape("LEFÈVRE Hélène") in today and escape(f"({world['site'].name})") in today


def test_dashboard_rows_never_load_a_confidential_note(rf, world):
    """The day's actes show a time, a kind, a person and a place: the note stays in the
    database."""
    from cases import home

    ActionFactory(case=world["case"], occurred_at=timezone.now(), confidential_note="Secret")
    request = rf.get("/")
    request.user = world["worker"]
    actions = home.todays_actions(request)["actions"]
    assert actions
    assert not any("confidential_note" in row or "Secret" in row.values() for row in actions)
    # Every block's rows are the columns it shows, not the objects with all their fields.
    for block in (home.referrals_to_take, home.stale_cases, home.todays_actions):
        for rows in block(request).values():
            if isinstance(rows, list):
                assert all(isinstance(row, dict) for row in rows)


# Beneficiaries -----------------------------------------------------------------------------


def test_case_page_shows_referrals_feedback_actions_orientations(client, world):
    world["referral"].case = world["case"]
    world["referral"].save()
    UnitFeedbackFactory(referral=world["referral"], message="Personne rencontrée.")
    client.force_login(world["worker"])
    content = client.get(reverse("cases:case_detail", args=[world["case"].pk])).content.decode()
    assert "Secret de l&#x27;entretien" in content
    assert "Personne rencontrée." in content
    # The feedback panel of the referrals pages, with its send button, for each referral.
    assert f"Retours à l'unité — saisine {world['referral'].number}" in content
    assert reverse("referrals:feedback", args=[world["referral"].pk]) in content
    assert reverse("referrals:worker_detail", args=[world["referral"].pk]) in content
    assert "Enregistrer un acte" in content
    assert f'value="{world["site"].pk}" selected' in content


def test_quick_acte_form(client, world):
    client.force_login(world["worker"])
    url = reverse("cases:action_create", args=[world["case"].pk])
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "kind": action_kind("entretien-telephonique").pk,
            "occurred_at": now,
            "duration_minutes": "30",
            "site": world["site"].pk,
            "confidential_note": "Appel",
        },
    )
    assert response.status_code == 302
    assert world["case"].actions.count() == 2


def test_quick_acte_form_errors(client, world):
    client.force_login(world["worker"])
    response = client.post(
        reverse("cases:action_create", args=[world["case"].pk]),
        {
            "kind": action_kind().pk,
            "occurred_at": "pas une date",
            "duration_minutes": "0",
            "confidential_note": "À garder",
        },
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "Indiquez une durée entre 1 et 600 minutes." in content
    assert "Saisissez une date et une heure valides." in content
    assert "À garder" in content


def test_close_with_reason_and_reopen(client, world):
    world["referral"].case = world["case"]
    world["referral"].status = ReferralStatus.TAKEN
    world["referral"].save()
    client.force_login(world["worker"])
    url = reverse("cases:case_close", args=[world["case"].pk])
    response = client.post(url, {"reason": "", "closed_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "Indiquez le motif de clôture." in response.content.decode()
    response = client.post(
        url, {"reason": "goals_met", "closed_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    world["case"].refresh_from_db()
    world["referral"].refresh_from_db()
    assert not world["case"].is_open
    assert world["referral"].status == ReferralStatus.CLOSED
    client.post(reverse("cases:case_reopen", args=[world["case"].pk]))
    world["case"].refresh_from_db()
    assert world["case"].is_open


def test_orientation_with_partner_search_and_on_the_fly_partner(client, world):
    client.force_login(world["worker"])
    case_pk = world["case"].pk
    fragment = client.get(
        reverse("cases:partner_search"), {"partner_query": "cidff"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "CIDFF de l&#x27;Ain" in fragment and 'name="partner_pick"' in fragment

    response = client.post(
        reverse("cases:partner_quick_create", args=[case_pk]),
        {"name": "Maison des adolescents", "kind": world["partner"].kind.pk},
    )
    assert response.status_code == 302
    new_partner = world["partner"].__class__.objects.get(name="Maison des adolescents")
    assert response["Location"].endswith(f"?partenaire={new_partner.pk}")
    page = client.get(response["Location"]).content.decode()
    assert f'value="{new_partner.pk}" selected' in page

    response = client.post(
        reverse("cases:orientation_create", args=[case_pk]),
        {
            "partner": "",
            "partner_pick": new_partner.pk,
            "oriented_on": timezone.localdate().isoformat(),
            "reason": "Écoute",
            "status": "proposed",
        },
    )
    assert response.status_code == 302
    assert Orientation.objects.filter(partner=new_partner, case_id=case_pk).exists()


def test_orientation_errors_in_french(client, world):
    client.force_login(world["worker"])
    response = client.post(
        reverse("cases:orientation_create", args=[world["case"].pk]),
        {"partner": "", "reason": "", "status": "proposed", "partner_answer": "gardé"},
    )
    content = response.content.decode()
    assert "Choisissez un partenaire." in content
    assert "Indiquez le motif de l&#x27;orientation." in content
    assert "gardé" in content


def test_orientation_update_to_done_leaves_the_referral_to_the_feedback(client, world):
    world["referral"].case = world["case"]
    world["referral"].status = ReferralStatus.CONTACT_MADE
    world["referral"].save()
    client.force_login(world["worker"])
    response = client.post(
        reverse("cases:orientation_update", args=[world["orientation"].pk]),
        {"status": "done", "partner_answer": "Reçue le 12"},
    )
    assert response.status_code == 302
    world["referral"].refresh_from_db()
    assert world["referral"].status == ReferralStatus.CONTACT_MADE


# Referrals ---------------------------------------------------------------------------------


def test_anonymous_contact_form(client, world):
    client.force_login(world["worker"])
    url = reverse("cases:contact_create")
    response = client.post(url, {"post": world["post"].pk, "occurred_on": "2099-01-01"})
    content = response.content.decode()
    assert "Indiquez la nature du contact." in content
    assert "Indiquez la problématique." in content
    response = client.post(
        url,
        {
            "post": world["post"].pk,
            "occurred_on": timezone.localdate().isoformat(),
            "mode": "phone",
            "problem": problem().pk,
            "sex": "F",
            "age_band": "25-34",
        },
    )
    assert response.status_code == 302
    assert world["post"].anonymous_contacts.count() == 2


# Query counts ------------------------------------------------------------------------------
