"""What is new for a unit: urgency on its list, feedback arrived since the last visit."""

import datetime

from django.urls import reverse
from django.utils import timezone

from cases.enums import Urgency
from cases.models import Referral, ReferralListVisit, UnitFeedback
from tests.cases.factories import ReferralFactory, UnitFeedbackFactory
from tests.cases.referral_world import world_fixture  # noqa: F401

LIST = reverse("referrals:unit_list")


def _referral(world, **extra):
    return ReferralFactory(
        source_unit=world["brigade"], post=world["post"], submitted_by=world["agent"], **extra
    )


def test_the_unit_list_shows_urgency(client, world):
    _referral(world, urgency=Urgency.URGENT)
    _referral(world)
    client.force_login(world["agent"])
    html = client.get(LIST).content.decode()
    assert '<th scope="col">Urgence</th>' in html
    assert html.count('fr-badge--error fr-badge--sm">Urgente') == 1
    assert "Normale" in html


def test_feedback_since_the_last_visit_is_marked_new(client, world):
    """Reproduced before: nothing told the unit which saisines had an answer since it last
    looked; the agent's home showed statuses only."""
    answered_before, answered_after, silent = (_referral(world) for _ in range(3))
    UnitFeedbackFactory(referral=answered_before)
    earlier = timezone.now() - datetime.timedelta(days=2)
    UnitFeedback.objects.update(sent_at=earlier - datetime.timedelta(days=1))
    # What the feedback's save records on its referral, had it been sent then.
    Referral.objects.filter(pk=answered_before.pk).update(
        last_feedback_at=earlier - datetime.timedelta(days=1)
    )
    ReferralListVisit.objects.create(user=world["agent"], seen_at=earlier)
    UnitFeedbackFactory(referral=answered_after)

    client.force_login(world["agent"])
    home = " ".join(client.get("/").content.decode().split())
    local = timezone.localtime(earlier)
    assert f"1 nouveau retour depuis votre consultation du {local:%d/%m/%Y à %H:%M}" in home
    news = home[home.index("fr-callout") : home.index("</div>", home.index("fr-callout"))]
    assert answered_after.number in news and answered_before.number not in news
    assert reverse("referrals:unit_detail", args=[answered_after.pk]) in home

    html = client.get(LIST).content.decode()
    rows = {r.number: _row(html, r.number) for r in (answered_before, answered_after, silent)}
    assert "Nouveau retour" in rows[answered_after.number]
    assert "Nouveau retour" not in rows[answered_before.number]
    assert "Nouveau retour" not in rows[silent.number]
    # The visit moved forward; within the session the marks stay while paging.
    assert ReferralListVisit.objects.get(user=world["agent"]).seen_at > earlier
    assert "Nouveau retour" in _row(
        client.get(LIST + "?page=1").content.decode(), answered_after.number
    )
    # Next session, next visit: nothing new any more, and the home says nothing.
    client.logout()
    client.force_login(world["agent"])
    assert "nouveau retour" not in client.get("/").content.decode()
    assert "Nouveau retour<" not in client.get(LIST).content.decode()


def test_a_first_visit_marks_every_answered_saisine(client, world):
    answered = _referral(world)
    UnitFeedbackFactory(referral=answered)
    client.force_login(world["agent"])
    home = " ".join(client.get("/").content.decode().split())
    assert "1 nouveau retour de l'intervenant·e social·e" in home
    assert "Nouveau retour" in _row(client.get(LIST).content.decode(), answered.number)


def test_a_visit_is_the_users_own(client, world):
    answered = _referral(world)
    UnitFeedbackFactory(referral=answered)
    client.force_login(world["agent"])
    client.get(LIST)
    client.force_login(world["lead"])
    assert "Nouveau retour" in _row(client.get(LIST).content.decode(), answered.number)
    client.force_login(world["worker"])
    client.get("/")
    assert not ReferralListVisit.objects.filter(user=world["worker"]).exists()


def _row(html: str, number: str) -> str:
    start = html.index(f">{number}</a>")
    return html[start : html.index("</tr>", start)]


def test_new_feedbacks_are_counted_up_to_a_hundred(client, world):
    """An agent who never opened the list: every answered saisine is new; the home names
    the 5 latest and says « Plus de 100 » past a hundred instead of counting them all."""
    referrals = [_referral(world) for _ in range(101)]
    for referral in referrals:
        UnitFeedbackFactory(referral=referral)
    client.force_login(world["agent"])
    home = " ".join(client.get("/").content.decode().split())
    assert "Plus de 100 nouveaux retours de l'intervenant·e social·e" in home
    news = home[home.index("fr-callout") : home.index("</div>", home.index("fr-callout"))]
    assert news.count("— retour du") == 5 and referrals[-1].number in news
    UnitFeedback.objects.filter(referral=referrals[0]).delete()
    Referral.objects.filter(pk=referrals[0].pk).update(last_feedback_at=None)
    home = " ".join(client.get("/").content.decode().split())
    assert "100 nouveaux retours de l'intervenant·e social·e" in home
    assert "Plus de 100" not in home
