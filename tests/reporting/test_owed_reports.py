"""The home page and the list of bilans say which bilans are owed, by when, and where each
stands.

Reproduced before: neither page said that November's monthly bilan of a post or last
year's annual bilan was expected, nor by when; a recipient could not tell a bilan not
yet sent from one never made, and an author found out only by searching the list.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.models import Report, ReportKind
from reporting.obligations import owed_reports
from reporting.periods import Period, due_date
from tests.conventions.factories import make_convention
from tests.iscg.factories import EmployerFactory, PostFactory
from tests.reporting.test_views import world  # noqa: F401 - fixture

# The world's bilans: March 2026 (monthly, sent) and Q1 2026 (quarterly, draft).
APRIL_20 = datetime.date(2026, 4, 20)


def p(start, end):
    return Period(datetime.date(*start), datetime.date(*end))


def test_deadlines():
    assert due_date(ReportKind.MONTHLY, p((2026, 11, 1), (2026, 11, 30))) == datetime.date(
        2026, 12, 15
    )
    assert due_date(ReportKind.MONTHLY, p((2026, 12, 1), (2026, 12, 31))) == datetime.date(
        2027, 1, 15
    )
    assert due_date(ReportKind.QUARTERLY, p((2026, 10, 1), (2026, 12, 31))) == datetime.date(
        2027, 1, 31
    )
    assert due_date(ReportKind.QUARTERLY, p((2026, 1, 1), (2026, 3, 31))) == datetime.date(
        2026, 4, 30
    )
    assert due_date(ReportKind.ANNUAL, p((2027, 1, 1), (2027, 12, 31))) == datetime.date(
        2028, 3, 31
    )


def rows(user, today=APRIL_20, employer=None):
    """State of each owed bilan, by kind and kind of scope (one employer's, if given)."""
    return {
        (o.kind, o.scope_label.split(" : ")[0]): o.state
        for o in owed_reports(user, today)
        if employer is None
        or o.scope_label in (f"Employeur : {employer.name}",)
        or o.scope_label.startswith("Poste")
    }


def test_authors_see_where_each_owed_bilan_stands(world):  # noqa: F811
    data, users, _sent, _draft = world
    assert rows(users["manager"]) == {
        (ReportKind.MONTHLY, "Poste"): f"Envoyé le {_sent_on(_sent)}",
        (ReportKind.QUARTERLY, "Employeur"): "Brouillon, à valider",
        (ReportKind.ANNUAL, "Employeur"): "En retard : à établir",
    }
    assert rows(users["worker"]) == {(ReportKind.MONTHLY, "Poste"): f"Envoyé le {_sent_on(_sent)}"}
    # Before its deadline (30 April), the quarterly bilan is not late.
    assert not [o for o in owed_reports(users["manager"], APRIL_20) if o.late and o.report]


def test_recipients_learn_whether_it_was_sent_never_that_a_draft_exists(world):  # noqa: F811
    data, users, sent, draft = world
    funder_user = users["funder"]
    make_convention(
        employer=data["employer"],
        funders=[funder_user.memberships.get().funder],
        posts=[data["post"]],
        start=datetime.date(2025, 1, 1),
    )
    expected = {
        (ReportKind.QUARTERLY, "Employeur"): "Attendu",
        (ReportKind.ANNUAL, "Employeur"): "En retard : attendu",
    }
    for role in ("prefecture", "admin", "funder"):
        assert rows(users[role], employer=data["employer"]) == expected, role
    # The préfecture and the admin expect them of every employer of the département.
    assert len(owed_reports(users["prefecture"], APRIL_20)) == 2 * 3
    assert rows(users["unit_lead"]) == {(ReportKind.MONTHLY, "Poste"): f"Reçu le {_sent_on(sent)}"}
    assert rows(users["other_funder"]) == {}
    assert rows(users["other_prefecture"]) == {}
    services.report_validate(report=draft, acting_user=users["manager"])
    quarterly = (ReportKind.QUARTERLY, "Employeur")
    assert rows(users["prefecture"], employer=data["employer"])[quarterly] == "Attendu"
    services.report_send(report=Report.objects.get(pk=draft.pk), acting_user=users["manager"])
    received = rows(users["prefecture"], employer=data["employer"])[quarterly]
    assert received == f"Reçu le {_sent_on(draft)}"
    # Computed again by its authors, its new version is a draft: the préfecture still
    # reads the version sent to it (it read "Attendu", the draft hiding the sent one),
    # the manager reads where the new one stands.
    services.report_regenerate(report=Report.objects.get(pk=draft.pk), acting_user=None)
    assert rows(users["prefecture"], employer=data["employer"])[quarterly] == received
    assert rows(users["manager"])[quarterly] == "Brouillon, à valider"


def _sent_on(report):
    report.refresh_from_db()
    return f"{timezone.localtime(report.sent_at):%d/%m/%Y}"  # the date the page shows


def test_the_home_page_and_the_list_show_them_with_a_link_to_make_each(client, world):  # noqa: F811
    data, users, _sent, _draft = world
    client.force_login(users["manager"])
    for url in ("/", reverse("reporting:list")):
        page = client.get(url).content.decode()
        assert "Bilans attendus" in page and "Échéance" in page
    owed = [o for o in owed_reports(users["manager"]) if o.as_author and not o.report]
    assert owed
    page = client.get("/").content.decode()
    link = f"{reverse('reporting:create')}?{owed[0].create_query}".replace("&", "&amp;")
    assert link in page
    form = client.get(f"{reverse('reporting:create')}?{owed[0].create_query}").context["form"]
    assert form["kind"].value() == owed[0].kind
    assert form["scope"].value() == owed[0].report_scope
    # A recipient has no such link.
    client.force_login(users["prefecture"])
    assert reverse("reporting:create") not in client.get("/").content.decode()


def test_the_cost_does_not_grow_with_the_employers_and_posts(world):  # noqa: F811
    data, users, _, _ = world

    def queries():
        with CaptureQueriesContext(connection) as captured:
            owed_reports(users["prefecture"], APRIL_20)
        return len(captured)

    queries()  # the user's memberships and grants, read once per request
    before = queries()
    for _ in range(5):
        PostFactory(employer=EmployerFactory(department=data["department"]))
    assert queries() == before
