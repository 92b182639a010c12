"""The bilans' read gate is built from the roles the user holds, and the home page's owed
bilans read it once.

Measured before (departmental bench base, 2026-12-06): the gate built a subquery for
every role, held or not (a worker's reading of bilans built the employers' grants and the
received bilans' grants, each matching nothing), and ``owed_reports`` wrote it three
times as subqueries of one query: building that query took 6 of its 7 ms (the employer
manager's 11 of 12), on every home page of every role. Now 3 ms (7 for the manager).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from iscg import access
from reporting.models import Report
from reporting.obligations import owed_reports
from tests.iscg.factories import UserFactory
from tests.reporting.test_owed_reports import APRIL_20
from tests.reporting.test_views import world  # noqa: F401 - fixture


def test_the_gate_builds_the_conditions_of_the_roles_held_only(world, monkeypatch):  # noqa: F811
    _, users, report, _ = world
    built = []

    def spy(name):
        original = getattr(access, name)

        def counted(user):
            built.append(name)
            return original(user)

        monkeypatch.setattr(access, name, counted)

    spy("managed_employer_ids")
    spy("received_report_ids")
    for role in ("worker", "prefecture", "admin"):
        assert Report.objects.visible_to(users[role]).filter(pk=report.pk).exists(), role
    # PostgreSQL never saw these subqueries (empty lists drop them from the SQL), but
    # building them cost a millisecond per reading of bilans.
    assert built == []
    for role in ("manager", "funder", "unit_lead"):
        assert Report.objects.visible_to(users[role]).filter(pk=report.pk).exists(), role
    assert built == ["managed_employer_ids", "received_report_ids"] + ["received_report_ids"] * 2
    # A user whose roles reach no bilan reads none, without a query.
    with CaptureQueriesContext(connection) as captured:
        assert not list(Report.objects.visible_to(UserFactory()))
    assert all("reporting_report" not in q["sql"] for q in captured.captured_queries)


def test_the_owed_bilans_read_the_gate_once(world):  # noqa: F811
    _, users, _, _ = world
    # The bilans owed, and for a user who receives bilans (employer manager, unit lead)
    # the received ones among them.
    for role, reads_expected in (
        ("worker", 1),
        ("manager", 2),
        ("prefecture", 1),
        ("unit_lead", 2),
    ):
        owed_reports(users[role], APRIL_20)  # memberships and grants, read once per request
        with CaptureQueriesContext(connection) as captured:
            assert owed_reports(users[role], APRIL_20)
        reads = sum(q["sql"].count('FROM "reporting_report"') for q in captured.captured_queries)
        assert reads == reads_expected, (role, reads)
