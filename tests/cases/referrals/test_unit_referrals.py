"""The unit's referral form, its list and its detail page."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.enums import ReferralOrigin, ReferralStatus
from cases.models import Notification, Referral
from tests.cases.factories import ReferralFactory, UnitFeedbackFactory, problem
from tests.cases.referral_world import world_fixture  # noqa: F401

VALID = {
    "person_last_name": "Durand",
    "person_first_name": "Alice",
    "person_phone": "06 12 34 56 78",
    "person_sex": "F",
    "person_age": "34",
    "person_commune": "Châtillon-sur-Chalaronne (01093)",
    "circumstance": "intervention",
    "procedure_kind": "complaint",
    "procedure_reference": "2026/000123",
    "consent_to_contact": "yes",
    "urgency": "normal",
    "context": "Intervention au domicile.",
}


def _data(world, **changes):
    data = {**VALID, "unit": world["brigade"].pk, "main_problem": problem().pk, **changes}
    return {k: v for k, v in data.items() if v is not None}


def test_an_agent_submits_a_referral_and_gets_its_number(client, world):
    client.force_login(world["agent"])
    response = client.post(reverse("referrals:unit_create"), _data(world))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:unit_confirmation", args=[referral.pk])
    assert referral.source_unit == world["brigade"]
    assert referral.post == world["post"]
    assert referral.origin == ReferralOrigin.FSI_DIRECT
    assert referral.person_commune == world["commune"]
    assert referral.consent_to_contact is True
    assert referral.submitted_by == world["agent"]
    assert Notification.objects.filter(referral=referral, event="new_referral").exists()
    page = client.get(response.url).content.decode()
    assert referral.number in page
    # The e-mail is still in the outbox: the page says where the saisine is, never that
    # the worker "est prévenu·e" before it is true.
    assert "prévenu" not in page
    assert "parmi celles à traiter" in page


def test_the_form_page_lists_communes_and_hides_the_single_unit(client, world):
    client.force_login(world["agent"])
    html = client.get(reverse("referrals:unit_create")).content.decode()
    assert 'value="Châtillon-sur-Chalaronne (01093)"' in html
    assert 'type="hidden" name="unit"' in html


def test_errors_are_in_french_and_keep_what_was_typed(client, world):
    client.force_login(world["agent"])
    data = _data(
        world,
        person_last_name="",
        consent_to_contact=None,
        person_age="300",
        context="Texte à garder absolument",
        person_phone="06 99 88 77 66",
    )
    response = client.post(reverse("referrals:unit_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Referral.objects.exists()
    assert "Indiquez le nom de la personne, ou cochez « Personne anonyme »." in html
    assert "Indiquez si la personne accepte d&#x27;être contactée (oui ou non)." in html
    assert "Âge impossible" in html
    assert "Texte à garder absolument" in html
    assert 'value="06 99 88 77 66"' in html
    assert 'value="Châtillon-sur-Chalaronne (01093)"' in html


def test_an_anonymous_referral_needs_no_name(client, world):
    client.force_login(world["agent"])
    client.post(
        reverse("referrals:unit_create"),
        _data(world, anonymous="on", person_last_name="Ignored", person_first_name=""),
    )
    referral = Referral.objects.get()
    assert referral.person_is_anonymous


def test_a_commune_can_be_found_by_postcode_and_unknown_one_is_refused(client, world):
    client.force_login(world["agent"])
    client.post(reverse("referrals:unit_create"), _data(world, person_commune="01400"))
    assert Referral.objects.get().person_commune == world["commune"]
    response = client.post(
        reverse("referrals:unit_create"), _data(world, person_commune="Zzyzx-les-Bains")
    )
    assert "Aucune commune ne correspond à « Zzyzx-les-Bains » :" in response.content.decode()


def test_an_agent_cannot_submit_for_another_unit(client, world):
    client.force_login(world["agent"])
    response = client.post(
        reverse("referrals:unit_create"), _data(world, unit=world["other_brigade"].pk)
    )
    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_a_lead_picks_among_the_units_they_lead(client, world):
    client.force_login(world["lead"])
    html = client.get(reverse("referrals:unit_create")).content.decode()
    assert "Brigade d&#x27;Ailleurs" in html and "Brigade de Testville" in html
    client.post(reverse("referrals:unit_create"), _data(world, unit=world["other_brigade"].pk))
    assert Referral.objects.get().source_unit == world["other_brigade"]


def test_list_shows_own_unit_referrals_filtered_by_status(client, world):
    mine = ReferralFactory(source_unit=world["brigade"], post=world["post"])
    taken = ReferralFactory(
        source_unit=world["brigade"], post=world["post"], status=ReferralStatus.TAKEN
    )
    theirs = ReferralFactory(source_unit=world["other_brigade"], post=world["post"])
    client.force_login(world["agent"])
    html = client.get(reverse("referrals:unit_list")).content.decode()
    assert mine.number in html and taken.number in html and theirs.number not in html
    assert "Mes saisines" in html
    html = client.get(reverse("referrals:unit_list"), {"status": "taken"}).content.decode()
    assert taken.number in html and mine.number not in html


def test_list_filters_by_month_and_paginates(client, world):
    import datetime

    from django.utils import timezone

    old = ReferralFactory(
        source_unit=world["brigade"],
        received_at=timezone.make_aware(datetime.datetime(2026, 1, 10, 10)),
    )
    for _ in range(21):
        ReferralFactory(source_unit=world["brigade"])
    client.force_login(world["agent"])
    response = client.get(reverse("referrals:unit_list"), {"month": "2026-01"})
    assert [row["number"] for row in response.context["page_obj"]] == [old.number]
    first_page = client.get(reverse("referrals:unit_list"))
    assert len(first_page.context["page_obj"]) == 20
    assert "fr-pagination" in first_page.content.decode()
    second_page = client.get(reverse("referrals:unit_list"), {"page": 2})
    assert len(second_page.context["page_obj"]) == 2
    bad = client.get(reverse("referrals:unit_list"), {"month": "janvier"}).content.decode()
    assert "Mois non reconnu" in bad
    # The month is read as a range to the next month's start: December 9999 had none.
    far = client.get(reverse("referrals:unit_list"), {"month": "9999-12"})
    assert far.status_code == 200
    assert "Choisissez un mois entre 1990 et 2100." in far.content.decode()
    assert len(far.context["page_obj"]) == 20  # the list, unfiltered


def test_a_lead_sees_all_led_units_and_monthly_counts(client, world):
    ReferralFactory(source_unit=world["brigade"], status=ReferralStatus.REFUSED)
    ReferralFactory(source_unit=world["brigade"], status=ReferralStatus.REFUSED)
    other = ReferralFactory(source_unit=world["other_brigade"])
    client.force_login(world["lead"])
    response = client.get(reverse("referrals:unit_list"))
    html = response.content.decode()
    assert other.number in html and "Saisines de l&#x27;unité" in html
    monthly = response.context["monthly"]
    assert len(monthly) == 1
    refused_column = list(ReferralStatus.values).index(ReferralStatus.REFUSED)
    assert monthly[0]["cells"][refused_column] == 2
    assert monthly[0]["total"] == 3


def test_a_lead_pages_through_the_saisines_of_its_units_newest_first(client, world):
    """One list per unit, merged (cases.referrals.selectors.by_unit): the pages follow each
    other newest first across the units, a status and a month narrow every unit's list,
    and the month's bounds are those of local time."""
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    start = datetime.datetime(2026, 1, 1, 0, 30, tzinfo=paris)
    made = [
        ReferralFactory(
            source_unit=world["brigade" if i % 3 else "other_brigade"],
            received_at=start + datetime.timedelta(days=i),
            status=ReferralStatus.REFUSED if i % 2 else ReferralStatus.RECEIVED,
        )
        for i in range(45)
    ]
    client.force_login(world["lead"])
    url = reverse("referrals:unit_list")
    shown = []
    for number in (1, 2, 3):
        shown += [row["number"] for row in client.get(url, {"page": number}).context["page_obj"]]
    assert shown == [referral.number for referral in reversed(made)]
    refused = client.get(url, {"status": ReferralStatus.REFUSED}).context["page_obj"]
    assert [row["number"] for row in refused] == [
        r.number for r in reversed(made) if r.status == ReferralStatus.REFUSED
    ][:20]
    # 31 January 00:30 in Paris is 30 January 23:30 UTC; 1 February 00:30, 31 January UTC.
    january = client.get(url, {"month": "2026-01"}).context["page_obj"]
    assert january.paginator.count == 31
    assert [row["number"] for row in january] == [r.number for r in reversed(made[:31])][:20]


def test_unit_detail_shows_status_and_feedback(client, world):
    referral = ReferralFactory(
        source_unit=world["brigade"], post=world["post"], status=ReferralStatus.REFUSED
    )
    UnitFeedbackFactory(referral=referral, kind="refused_help", message="Refus exprimé.")
    client.force_login(world["agent"])
    html = client.get(reverse("referrals:unit_detail", args=[referral.pk])).content.decode()
    assert "Refus de la personne" in html
    assert "Refus d&#x27;aide" in html and "Refus exprimé." in html
    assert referral.person_last_name in html


def test_unit_home_shows_button_and_latest_referrals(client, world):
    referral = ReferralFactory(source_unit=world["brigade"])
    client.force_login(world["agent"])
    html = client.get("/").content.decode()
    assert reverse("referrals:unit_create") in html
    assert referral.number in html
    assert "Nouvelle saisine" in html


@pytest.mark.parametrize("name", ["unit_detail", "unit_confirmation"])
def test_an_agent_of_another_unit_gets_404(client, world, name):
    referral = ReferralFactory(source_unit=world["brigade"], post=world["post"])
    client.force_login(world["other_agent"])
    assert client.get(reverse(f"referrals:{name}", args=[referral.pk])).status_code == 404


def sql_of(queries):
    return [query["sql"] for query in queries]


def _post_referral(client, world):
    data = _data(world)
    with CaptureQueriesContext(connection) as context:
        response = client.post(reverse("referrals:unit_create"), data)
    assert response.status_code == 302
    return context.captured_queries


def test_submitting_a_referral_reads_a_bounded_number_of_queries(client, world):
    client.force_login(world["agent"])
    client.get(reverse("referrals:unit_create"))  # the session is written once a minute
    few = _post_referral(client, world)
    for index in range(20):
        ReferralFactory(post=world["post"], source_unit=world["brigade"], number=f"T-{index}")
    many = _post_referral(client, world)
    # Without a sequence (SQLite), the number is written after the INSERT: one more query.
    # The commune typed is read once by its code: communes of all France are searchable,
    # so they are no longer held in a per-process list of the département's communes.
    assert len(many) == len(few) <= 16 + (connection.vendor != "postgresql")
    assert len([s for s in sql_of(many) if 'FROM "iscg_commune"' in s]) == 1
    sql = [q["sql"] for q in many]
    # One write of the referral (numbered at once on PostgreSQL), no re-read of its unit,
    # problem, commune, post or author to validate them, no get_or_create of the outbox row.
    assert not [s for s in sql if s.startswith('SELECT 1 AS "a" FROM "iscg_')]
    assert not [s for s in sql if 'FROM "cases_notification"' in s]
    numbers = Referral.objects.filter(submitted_by=world["agent"]).values_list("pk", "number")
    assert len(numbers) == 2
    for pk, number in numbers:
        assert number.endswith(f"-{pk:06d}")


def test_an_unknown_unit_is_refused_in_french(client, world):
    client.force_login(world["lead"])
    response = client.post(reverse("referrals:unit_create"), _data(world, unit="999999"))
    assert response.status_code == 200
    assert "Choisissez une unité que vous dirigez." in response.content.decode()
    assert not Referral.objects.exists()


def test_the_monthly_table_covers_the_last_twelve_months_and_the_count_is_bounded(client, world):
    """The lead's table of saisines per month read every saisine of the units since the
    first (on the departmental base, 3,799 rows for three brigades): it now covers the last
    twelve months, and the list's count stops at the bounded paginator's limit."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    old = today.replace(day=1) - datetime.timedelta(days=370)
    ReferralFactory(
        source_unit=world["brigade"],
        received_at=timezone.make_aware(datetime.datetime(old.year, old.month, 5, 10)),
    )
    ReferralFactory(source_unit=world["brigade"])
    client.force_login(world["lead"])
    response = client.get(reverse("referrals:unit_list"))
    monthly = response.context["monthly"]
    assert [(m["month"].year, m["month"].month) for m in monthly] == [(today.year, today.month)]
    assert "sur 12 mois" in response.content.decode()
    # The old saisine stays in the list, and its month can still be chosen.
    assert len(response.context["page_obj"]) == 2
    paginator = response.context["page_obj"].paginator
    assert paginator.count == 2 and paginator.count_limit == 1000
