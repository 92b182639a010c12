"""The steering roles' home pages: a bounded number of queries, whatever the data outside
the user's scope, and the figures of the user's département only."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conventions import services
from iscg import organisation_version
from tests.cases.factories import ReferralFactory, UnitFeedbackFactory
from tests.conventions.factories import make_convention, make_line
from tests.iscg.factories import DepartmentFactory, PostFactory, UserFactory

HOME_QUERY_LIMIT = 15


def _department_data(department):
    """Posts (one held), conventions with funding lines, payments and owed bilans."""
    holder = UserFactory(worker=True, department=department)
    employer = holder.holdings.get().post.employer
    PostFactory(employer=employer)
    for _ in range(2):
        convention = make_convention(
            employer=employer, start=datetime.date(2020, 1, 1), end=datetime.date(2030, 12, 31)
        )
        line = make_line(convention, year=2026, granted="40000")
        services.payment_record(
            funding_line=line,
            date=datetime.date(2026, 5, 1),
            amount=Decimal("15000"),
            acting_user=None,
        )
    return employer


def _home(client, user):
    client.get("/")  # the session is written at most once a minute: not in the counts
    # The organisation's blocks computed, not read from the cache (the most a home reads).
    organisation_version.changed()
    with CaptureQueriesContext(connection) as context:
        response = client.get("/")
    assert response.status_code == 200
    # Without the per-response tokens (CSRF, CSP nonce): the rest must not change.
    html = re.sub(r'(nonce|value)="[^"]*"', "", response.content.decode())
    return len(context.captured_queries), html


@pytest.mark.parametrize("role", ["prefecture", "admin", "employer_manager"])
@time_machine.travel(datetime.datetime(2026, 11, 15, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_a_steering_home_reads_a_bounded_number_of_queries(client, role):
    ain = DepartmentFactory(code="01")
    employer = _department_data(ain)
    extra = {"employer": employer} if role == "employer_manager" else {}
    user = UserFactory(department=ain, **{role: True}, **extra)
    client.force_login(user)
    few, html = _home(client, user)
    for code in ("69", "38", "42"):
        _department_data(DepartmentFactory(code=code))
    many, html_after = _home(client, user)
    assert few == many <= HOME_QUERY_LIMIT
    assert html_after == html
    if role != "employer_manager":
        # The funding summary: granted and paid over the département's lines of the year.
        assert "Accordé : <strong>80\xa0000,00 €</strong>" in html
        assert "versé : <strong>30\xa0000,00 €</strong>" in html


@pytest.mark.parametrize("role", ["unit_lead", "unit_agent"])
def test_a_units_home_reads_a_bounded_number_of_queries(client, role):
    """A unit's home: its latest referrals and feedbacks, and the workers who serve it;
    no post grant is read for a user who works on no post."""
    ain = DepartmentFactory(code="01")
    worker = UserFactory(worker=True, department=ain)
    post = worker.holdings.get().post
    user = UserFactory(department=ain, **{role: True})
    unit = user.memberships.get().unit
    post.units.add(unit)
    for _ in range(3):
        referral = ReferralFactory(post=post, source_unit=unit, submitted_by=user)
        UnitFeedbackFactory(referral=referral, author=worker)
    client.force_login(user)
    count, html = _home(client, user)
    assert "3 nouveaux retours" in html
    assert count <= HOME_QUERY_LIMIT
    with CaptureQueriesContext(connection) as context:
        client.get("/")
    assert not [q for q in context.captured_queries if "postuserobjectpermission" in q["sql"]]


@time_machine.travel(datetime.datetime(2026, 11, 15, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_a_workers_home_reads_a_bounded_number_of_queries(client):
    """The worker's home: referrals to take, feedbacks due, stale cases, today's actes,
    bilans owed, posts. The menu's badge « Saisines » shows the count the block of
    referrals to take read with its rows: it counted them again (16 queries for the Ain
    worker of the national bench base, 15 now)."""
    ain = DepartmentFactory(code="01")
    _department_data(ain)
    worker = UserFactory(worker=True, department=ain)
    post = worker.holdings.get().post
    for _ in range(3):
        ReferralFactory(post=post)
    client.force_login(worker)
    few, html = _home(client, worker)
    assert few <= HOME_QUERY_LIMIT
    with CaptureQueriesContext(connection) as context:
        client.get("/")
    received = [
        q["sql"]
        for q in context.captured_queries
        if 'FROM "cases_referral"' in q["sql"]
        and '"cases_referral"."status" = \'received\'' in q["sql"]
    ]
    assert len(received) == 1, received  # 2 before: the block's rows, the badge's count
    assert '>3<span class="fr-sr-only"> en attente</span>' in html  # the menu's badge
    for code in ("69", "38"):
        other = _department_data(DepartmentFactory(code=code))
        ReferralFactory(post=other.posts.first())
    many, html_after = _home(client, worker)
    assert many == few
    assert html_after == html
