"""The worker's saisines page and the dashboard blocks that lead to full lists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enums import ReferralOrigin, ReferralStatus, Urgency
from cases.models import Referral
from cases.referrals.selectors import feedback_due, reminder_due
from tests.cases.factories import CaseFactory, ReferralFactory
from tests.cases.referral_world import world_fixture  # noqa: F401

LIST = reverse("referrals:worker_list")


@pytest.fixture
def saisines(world):
    now = timezone.now()

    def make(**extra):
        extra.setdefault("source_unit", world["brigade"])
        extra.setdefault("post", world["post"])
        return ReferralFactory(**extra)

    return {
        "received": make(person_last_name="Reçue", received_at=now),
        "urgent": make(person_last_name="Urgente", urgency=Urgency.URGENT, received_at=now),
        "taken": make(person_last_name="Prise", status=ReferralStatus.TAKEN, received_at=now),
        "closed": make(
            person_last_name="Close",
            status=ReferralStatus.CLOSED,
            source_unit=world["other_brigade"],
            received_at=now - datetime.timedelta(days=40),
        ),
        "other_post": make(person_last_name="Ailleurs", post=world["other_post"]),
    }


def _names(client, query=""):
    html = client.get(f"{LIST}?{query}").content.decode()
    return {
        name for name in ("REÇUE", "URGENTE", "PRISE", "CLOSE", "AILLEURS") if f"<td>{name}" in html
    }


def test_every_saisine_of_the_posts_is_listed_whatever_its_status(client, world, saisines):
    """Reproduced before: a saisine once taken over left "Nouvelles saisines" and the
    worker had no page listing them all."""
    client.force_login(world["worker"])
    assert _names(client) == {"REÇUE", "URGENTE", "PRISE", "CLOSE"}
    html = client.get(LIST).content.decode()
    assert reverse("referrals:worker_detail", args=[saisines["closed"].pk]) in html
    assert reverse("cases:referral_take", args=[saisines["received"].pk]) in html
    assert reverse("cases:referral_take", args=[saisines["taken"].pk]) not in html


def test_filters(client, world, saisines):
    client.force_login(world["worker"])
    assert _names(client, "status=taken") == {"PRISE"}
    assert _names(client, "urgency=urgent") == {"URGENTE"}
    assert _names(client, f"source_unit={world['other_brigade'].pk}") == {"CLOSE"}
    assert _names(client, "origin=fsi_indirect") == set()
    old = timezone.localdate() - datetime.timedelta(days=30)
    assert _names(client, f"end={old:%Y-%m-%d}") == {"CLOSE"}
    assert _names(client, f"start={old:%Y-%m-%d}") == {"REÇUE", "URGENTE", "PRISE"}


def test_a_wrong_filter_is_said_in_french_not_a_500(client, world, saisines):
    client.force_login(world["worker"])
    response = client.get(f"{LIST}?start=31/02/2026&status=nimporte")
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_the_menu_shows_how_many_saisines_wait(client, world, saisines):
    client.force_login(world["worker"])
    html = client.get(reverse("cases:contact_list")).content.decode()
    assert f'href="{LIST}"' in html
    assert '2<span class="fr-sr-only"> en attente</span>' in html


def test_the_feedback_due_filter_and_block_link(client, world):
    old = timezone.now() - datetime.timedelta(days=20)
    due = [
        ReferralFactory(source_unit=world["brigade"], post=world["post"], received_at=old)
        for _ in range(12)
    ]
    client.force_login(world["worker"])
    home = client.get("/").content.decode()
    assert "Retours dus aux unités (12)" in home
    assert f"{LIST}?feedback_due=true" in home
    html = client.get(f"{LIST}?feedback_due=true").content.decode()
    assert "12 saisines" in html
    assert all(r.number in html for r in due)


def test_the_stale_cases_block_links_to_all_of_them(client, world):
    """Reproduced before: "Accompagnements sans acte depuis 30 jours (13)" listed ten and
    nothing led to the other three."""
    opened = timezone.localdate() - datetime.timedelta(days=60)
    cases = [CaseFactory(beneficiary__post=world["post"], opened_on=opened) for _ in range(13)]
    CaseFactory(beneficiary__post=world["other_post"], opened_on=opened)
    client.force_login(world["worker"])
    home = client.get("/").content.decode()
    assert "Accompagnements sans acte depuis 30 jours (13)" in home
    full = reverse("cases:stale_case_list")
    assert f'href="{full}"' in home
    html = client.get(full).content.decode()
    assert "13 accompagnements" in html
    assert all(reverse("cases:case_detail", args=[c.pk]) in html for c in cases)


def test_an_auto_saisine_is_late_from_when_it_was_recorded(world):
    """Reproduced before: an auto-saisine dated with facts ten days old was flagged "Pas
    de contact après 7 jours" the moment it was typed."""
    facts = timezone.now() - datetime.timedelta(days=10)
    typed_today = ReferralFactory(
        source_unit=world["brigade"],
        post=world["post"],
        origin=ReferralOrigin.FSI_INDIRECT,
        received_at=facts,
    )
    direct = ReferralFactory(source_unit=world["brigade"], post=world["post"], received_at=facts)
    owed = feedback_due(Referral.objects.for_workers_of(world["worker"]))
    assert set(owed.values_list("pk", flat=True)) == {direct.pk}
    Referral.objects.filter(pk=typed_today.pk).update(created_at=facts)
    assert typed_today.pk in set(owed.values_list("pk", flat=True))


def test_the_reminder_also_counts_from_when_it_was_recorded(world):
    tz = timezone.get_current_timezone()
    wednesday = datetime.datetime(2026, 11, 18, 14, tzinfo=tz)
    facts = wednesday - datetime.timedelta(days=14)
    typed = ReferralFactory(
        source_unit=world["brigade"],
        post=world["post"],
        origin=ReferralOrigin.FSI_INDIRECT,
        received_at=facts,
    )
    direct = ReferralFactory(source_unit=world["brigade"], post=world["post"], received_at=facts)
    Referral.objects.filter(pk=typed.pk).update(created_at=wednesday - datetime.timedelta(hours=4))
    assert set(reminder_due(wednesday).values_list("pk", flat=True)) == {direct.pk}
