"""Worker screens: who may reach them, what they show, how they fail in French."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.enums import ReferralStatus
from cases.models import Action, Beneficiary, Case, Orientation, Referral
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
    import datetime

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


def test_beneficiary_list_search_is_accent_insensitive(client, world):
    BeneficiaryFactory(post=world["post"], last_name="Martin", search_text="martin")
    client.force_login(world["worker"])
    content = client.get(reverse("cases:beneficiary_list"), {"q": "Helene"}).content.decode()
    assert "LEFÈVRE Hélène" in content
    assert "MARTIN" not in content


def test_beneficiary_search_finds_a_person_of_another_post_accompanied_here(client, world):
    """A person recorded by another post and accompanied on the worker's post is found by
    the search, with the other filters; a person of another post only is not."""
    here = BeneficiaryFactory(post=world["post"], last_name="Zola", search_text="zola ana")
    elsewhere = BeneficiaryFactory(last_name="Zola", first_name="Eve", search_text="zola eve")
    CaseFactory(beneficiary=elsewhere, post=world["post"])
    stranger = BeneficiaryFactory(post=elsewhere.post, last_name="Zola", search_text="zola ines")
    client.force_login(world["worker"])
    url = reverse("cases:beneficiary_list")
    content = client.get(url, {"q": "zola"}).content.decode()
    assert "ZOLA Eve" in content and f"/beneficiaires/{here.pk}/" in content
    assert f"/beneficiaires/{stranger.pk}/" not in content
    content = client.get(url, {"q": "zola", "has_open_case": "true"}).content.decode()
    assert "ZOLA Eve" in content and f"/beneficiaires/{here.pk}/" not in content


def test_the_beneficiary_list_reads_open_files_of_its_page_only(client, world):
    """Whether each person has an open file is read for the page's rows, in one query
    bounded by them, never by counting the open files of every visible person."""
    zola = BeneficiaryFactory(post=world["post"], last_name="Zola", search_text="zola ana")
    CaseFactory(beneficiary=zola, post=world["post"])
    from tests.iscg.factories import PostFactory

    CaseFactory(beneficiary=zola, post=PostFactory())  # another post's: not the worker's
    CaseFactory(beneficiary=zola, post=world["post"], closed=True)
    client.force_login(world["worker"])
    url = reverse("cases:beneficiary_list")
    client.get(url)  # the session is written at most once a minute: not in the counts
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    rows = {b.pk: b.open_case_count for b in response.context["page_obj"]}
    assert rows[zola.pk] == 1
    sql = [query["sql"] for query in context.captured_queries]
    open_files = [s for s in sql if '"cases_case"."closed_on" IS NULL' in s]
    assert len(open_files) == 1 and '"cases_case"."beneficiary_id" IN (' in open_files[0]
    listed = [s for s in sql if "OVER ()" in s]
    assert len(listed) == 1 and "COUNT(DISTINCT" not in listed[0]
    no_open = client.get(url, {"has_open_case": "false"}).context["page_obj"]
    assert zola.pk not in {b.pk for b in no_open}


def _beneficiary_post(world, **extra):
    data = {
        "post": world["post"].pk,
        "last_name": "Durand",
        "first_name": "Émilie",
        "sex": "F",
        "birth_date": "1990-05-01",
        "birth_year": "",
        "age_band": "unknown",
        "family_situation": "unknown",
        "phone": "06 11 11 11 11",
        "email": "",
        "profile": "victim",
        "known_to_department": "unknown",
        "known_to_caf": "unknown",
    }
    data.update(extra)
    return data


def test_beneficiary_create_then_duplicate_warning_keeps_input(client, world):
    client.force_login(world["worker"])
    url = reverse("cases:beneficiary_create")
    response = client.post(url, _beneficiary_post(world))
    created = Beneficiary.objects.get(last_name="Durand")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:beneficiary_detail", args=[created.pk])

    response = client.post(url, _beneficiary_post(world, last_name="DURAND", first_name="Emilie"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Cette personne existe peut-être déjà" in content
    assert 'value="DURAND"' in content and 'value="06 11 11 11 11"' in content
    assert Beneficiary.objects.filter(last_name__iexact="durand").count() == 1

    response = client.post(
        url, _beneficiary_post(world, last_name="DURAND", confirm_duplicate="True")
    )
    assert response.status_code == 302
    assert Beneficiary.objects.filter(last_name__iexact="durand").count() == 2


def test_beneficiary_form_errors_in_french_keep_input(client, world):
    client.force_login(world["worker"])
    response = client.post(
        reverse("cases:beneficiary_create"),
        _beneficiary_post(world, profile="", birth_date="2099-01-01", last_name="Garnier"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "La date de naissance ne peut pas être dans le futur." in content
    assert "Ce champ est obligatoire." in content
    assert 'value="Garnier"' in content
    assert not Beneficiary.objects.filter(last_name="Garnier").exists()


def test_beneficiary_detail_shows_the_timeline(client, world):
    world["referral"].case = world["case"]
    world["referral"].save()
    client.force_login(world["worker"])
    content = client.get(
        reverse("cases:beneficiary_detail", args=[world["beneficiary"].pk])
    ).content.decode()
    assert "Entretien physique" in content
    assert "Orientation vers CIDFF de l&#x27;Ain" in content
    assert world["referral"].number in content


def test_beneficiary_update(client, world):
    client.force_login(world["worker"])
    data = _beneficiary_post(world, last_name="Lefèvre-Martin", first_name="Hélène")
    data.pop("post")
    response = client.post(
        reverse("cases:beneficiary_update", args=[world["beneficiary"].pk]), data
    )
    assert response.status_code == 302
    world["beneficiary"].refresh_from_db()
    assert world["beneficiary"].search_text.startswith("lefevre martin helene")


# Cases, actes, orientations ----------------------------------------------------------------


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


def test_take_flow_proposes_probable_beneficiaries(client, world):
    referral = ReferralFactory(
        post=world["post"], person_last_name="LEFEVRE", person_first_name="helene"
    )
    client.force_login(world["worker"])
    url = reverse("cases:referral_take", args=[referral.pk])
    content = client.get(url).content.decode()
    assert "LEFÈVRE Hélène" in content
    choice = f"b{world['beneficiary'].pk}-c{world['case'].pk}"
    assert f'value="{choice}"' in content
    response = client.post(url, {"choice": choice})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.TAKEN
    assert referral.case == world["case"] and referral.taken_by == world["worker"]


def test_take_flow_new_beneficiary_prefilled(client, world):
    client.force_login(world["worker"])
    referral = world["referral"]
    response = client.post(reverse("cases:referral_take", args=[referral.pk]), {"choice": "new"})
    create_url = response["Location"]
    assert create_url == reverse("cases:beneficiary_create") + f"?saisine={referral.pk}"
    assert 'value="Vasseur"' in client.get(create_url).content.decode()
    data = _beneficiary_post(world, last_name="Vasseur", first_name="Julie", phone="")
    data["saisine"] = referral.pk
    response = client.post(reverse("cases:beneficiary_create"), data)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.TAKEN
    assert referral.beneficiary.last_name == "Vasseur"
    assert response["Location"] == reverse("cases:case_detail", args=[referral.case_id])


def test_take_flow_without_choice_is_explained(client, world):
    client.force_login(world["worker"])
    response = client.post(reverse("cases:referral_take", args=[world["referral"].pk]), {})
    assert response.status_code == 400
    assert "Choisissez une personne existante" in response.content.decode()


def test_take_flow_cannot_link_a_beneficiary_of_another_post(client, world):
    stranger = BeneficiaryFactory()
    client.force_login(world["worker"])
    response = client.post(
        reverse("cases:referral_take", args=[world["referral"].pk]), {"choice": f"b{stranger.pk}"}
    )
    assert response.status_code == 400
    world["referral"].refresh_from_db()
    assert world["referral"].status == ReferralStatus.RECEIVED


def test_record_a_referral_of_another_origin(client, world):
    client.force_login(world["worker"])
    url = reverse("cases:referral_record")
    response = client.post(
        url,
        {
            "post": world["post"].pk,
            "origin": "partner",
            "main_problem": problem().pk,
            "urgency": "normal",
            "consent_to_contact": "True",
            "person_last_name": "Moreau",
            "person_sex": "F",
            "procedure_kind": "none",
        },
    )
    assert "Indiquez le partenaire à l&#x27;origine de la saisine." in response.content.decode()
    assert 'value="Moreau"' in response.content.decode()
    response = client.post(
        url,
        {
            "post": world["post"].pk,
            "received_on": timezone.localdate().isoformat(),
            "origin": "self",
            "main_problem": problem().pk,
            "urgency": "normal",
            "consent_to_contact": "True",
            "person_last_name": "Moreau",
            "person_sex": "F",
        },
    )
    referral = Referral.objects.get(person_last_name="Moreau")
    assert response["Location"] == reverse("cases:referral_take", args=[referral.pk])
    assert referral.post == world["post"] and referral.origin == "self"


# Anonymous contacts ------------------------------------------------------------------------


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


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _fill(world, n):
    post, worker = world["post"], world["worker"]
    for index in range(n):
        beneficiary = BeneficiaryFactory(
            post=post, created_by=worker, commune=None, search_text=f"n{index}"
        )
        case = CaseFactory(
            beneficiary=beneficiary,
            opened_on=timezone.localdate() - datetime.timedelta(days=60),
        )
        ActionFactory(case=case)
        ReferralFactory(post=post)
        AnonymousContactFactory(post=post)


@pytest.mark.parametrize(
    "url_name", ["home", "cases:beneficiary_list", "cases:contact_list", "partners:partner_list"]
)
def test_list_query_count_does_not_grow_with_rows(client, world, url_name):
    client.force_login(world["worker"])
    url = reverse(url_name)
    _fill(world, 2)
    for _ in range(3):
        PartnerFactory(department=world["post"].employer.department)
    few = _count_queries(client, url)
    _fill(world, 27)
    for _ in range(27):
        PartnerFactory(department=world["post"].employer.department)
    assert Case.objects.count() >= 30
    assert _count_queries(client, url) == few


PAGE_QUERY_LIMIT = 15


def _fill_case(world, n):
    """Rows that a page about one case or one search term must not read one by one."""
    for _ in range(n):
        ActionFactory(case=world["case"], occurred_at=timezone.now())
        OrientationFactory(case=world["case"], partner=world["partner"])
        ReferralFactory(post=world["post"], status=ReferralStatus.RECEIVED)
        other = BeneficiaryFactory(
            post=world["post"], created_by=world["worker"], search_text="lefevre marie"
        )
        CaseFactory(beneficiary=other, opened_on=timezone.localdate() - datetime.timedelta(days=90))


@pytest.mark.parametrize(
    "url",
    [
        lambda world: reverse("home"),
        lambda world: reverse("cases:beneficiary_list") + "?q=lefevre",
        lambda world: reverse("cases:case_detail", args=[world["case"].pk]),
    ],
    ids=["dashboard", "search", "case"],
)
def test_worker_pages_read_a_bounded_number_of_queries(client, world, url):
    client.force_login(world["worker"])
    url = url(world)
    _fill_case(world, 2)
    client.get(url)  # the session is written at most once a minute: not in the counts
    few = _count_queries(client, url)
    _fill_case(world, 25)
    many = _count_queries(client, url)
    assert many == few
    assert many <= PAGE_QUERY_LIMIT


def test_the_case_page_runs_no_query_twice(client, world):
    """Each list the page shows (kinds of acte, sites, partners…) is read once."""
    client.force_login(world["worker"])
    url = reverse("cases:case_detail", args=[world["case"].pk])
    client.get(url)  # the session is written at most once a minute: not in the counts
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    sql = Counter(q["sql"] for q in context.captured_queries)
    assert [query for query, n in sql.items() if n > 1] == []


def _post_acte(client, world):
    data = {
        "kind": action_kind().pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "30",
        "site": world["site"].pk,
        "confidential_note": "Entretien",
    }
    with CaptureQueriesContext(connection) as context:
        response = client.post(reverse("cases:action_create", args=[world["case"].pk]), data)
    assert response.status_code == 302
    return len(context.captured_queries)


def test_logging_an_acte_reads_no_related_object_twice(client, world):
    client.force_login(world["worker"])
    client.get(reverse("home"))  # the session is written at most once a minute
    few = _post_acte(client, world)
    _fill_case(world, 20)
    many = _post_acte(client, world)
    assert many == few <= PAGE_QUERY_LIMIT
    # The form and the service validate the acte without re-reading its case, kind,
    # site or author: no existence check ("SELECT 1 … LIMIT 1") of a loaded object.
    with CaptureQueriesContext(connection) as context:
        _post_acte(client, world)
    existence = [
        q["sql"]
        for q in context.captured_queries
        if q["sql"].startswith('SELECT 1 AS "a" FROM')
        and ('FROM "cases_actionkind"' in q["sql"] or 'FROM "iscg_user"' in q["sql"])
    ]
    assert existence == []


def test_the_dashboard_shows_a_bounded_list_of_todays_actes(client, world):
    from cases.home import TODAYS_ACTIONS_LIMIT

    client.force_login(world["worker"])
    for _ in range(TODAYS_ACTIONS_LIMIT + 1):
        ActionFactory(case=world["case"], occurred_at=timezone.now())
    content = client.get(reverse("home")).content.decode()
    from cases.files.selectors import todays_actions

    total = todays_actions(world["worker"]).count()
    assert total > TODAYS_ACTIONS_LIMIT
    assert f"Actes du jour ({total})" in content
    assert content.count(reverse("cases:case_detail", args=[world["case"].pk])) == (
        TODAYS_ACTIONS_LIMIT
    )
    # The block leads to the whole day, paginated.
    full = reverse("cases:todays_action_list")
    assert f'href="{full}">Voir les {total} actes du jour' in content
    page = client.get(full).content.decode()
    assert f"{total} actes" in page


def test_the_dashboard_counts_stale_cases_and_referrals_beyond_the_shown_ones(client, world):
    from cases.home import BLOCK_LIMIT

    client.force_login(world["worker"])
    world["referral"].delete()
    for _ in range(BLOCK_LIMIT + 2):
        ReferralFactory(post=world["post"], status=ReferralStatus.RECEIVED)
        old = BeneficiaryFactory(post=world["post"], created_by=world["worker"])
        CaseFactory(beneficiary=old, opened_on=timezone.localdate() - datetime.timedelta(days=90))
    content = client.get(reverse("home")).content.decode()
    assert f"Nouvelles saisines à prendre en compte ({BLOCK_LIMIT + 2})" in content
    assert f"Accompagnements sans acte depuis 30 jours ({BLOCK_LIMIT + 2})" in content
