"""The posts' bilans not made yet, anticipated: the employer's bilan made first leaves
each of its posts' bilans something to show (before, the last of them could be refused:
the employer's figures and a post's list of communes gave a count of another post)."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from iscg.demo import EMPLOYER_NAME
from iscg.models import Employer, Post, User
from reporting import services
from reporting.models import Report, ReportKind
from reporting.periods import Period, month_of, preset, quarter_of, year_of
from reporting.scope import Scope
from reporting.secrecy.reports import bilans_ahead, months_inside, posts_ahead
from tests.reporting.test_views import world  # noqa: F401 - fixture


@pytest.mark.no_db
def test_the_posts_ahead_are_those_no_bilan_covers_alone():
    assert posts_ahead(frozenset({1, 2, 3}), []) == [1, 2, 3]
    assert posts_ahead(frozenset({2}), [frozenset({1, 2, 3})]) == [1, 3]
    assert posts_ahead(frozenset({1, 2, 3}), [frozenset({2}), frozenset({3})]) == [1]
    # a unit's bilan of two posts covers neither alone
    assert posts_ahead(frozenset({1}), [frozenset({1, 2}), frozenset({2, 3})]) == [2, 3]


def _demo_after_the_employers_quarter():
    """The demo seeded: its employer's manager, the last ended quarter, the employer's
    quarterly bilan of it (sent) and the employer's four posts."""
    call_command("seed_demo", "--quiet-accounts", "--i-know-this-is-not-production")
    employer = Employer.objects.get(name=EMPLOYER_NAME)
    manager = User.objects.get(email="employeur@demo.iscg.fr")
    quarter = preset("quarter", timezone.localdate())
    sent = Report.objects.get(kind=ReportKind.QUARTERLY, scope_kind="employer")
    posts = list(Post.objects.filter(employer=employer).select_related("employer").order_by("pk"))
    return manager, quarter, sent, posts


def test_in_the_demo_every_post_bilan_made_after_the_employers_passes_its_audit():
    """The demo's employer sent its quarterly bilan; its manager then makes the bilan of
    each of its four posts for the same quarter, one after the other: each passes the
    audit jointly with the employer's and the posts' before it."""
    manager, quarter, sent, posts = _demo_after_the_employers_quarter()
    assert len(posts) == 4
    anticipated = [(pk, start) for pk, start, _ in sent.audit_report["anticipated"]]
    assert anticipated[:4] == [(post.pk, quarter.start.isoformat()) for post in posts]
    made = []
    for post in posts:
        report = services.report_create(
            kind=ReportKind.QUARTERLY,
            period=quarter,
            scope=Scope.for_post(post),
            acting_user=manager,
        )
        assert (report.audit_passed, report.audit_report["unprotected"]) == (True, []), post.label
        assert sent.pk in report.audit_report["with_reports"]
        made.append(report.pk)
    # The last post has no post's quarter left to anticipate: its three siblings have
    # their bilan (the posts' months still are, and its own previous quarter).
    anticipated = [tuple(bilan) for bilan in report.audit_report["anticipated"]]
    spans = [(start, end) for _, start, end in anticipated]
    assert (quarter.start.isoformat(), quarter.end.isoformat()) not in spans
    previous = quarter.previous()
    assert (posts[-1].pk, previous.start.isoformat(), previous.end.isoformat()) in anticipated
    assert set(made[:3]) <= set(report.audit_report["with_reports"])


def test_two_bilans_of_a_departement_are_protected_one_after_the_other():
    """The protection locks the département's row until the bilan is saved (on
    PostgreSQL; SQLite has one writer at a time): a second bilan made at the same time, in
    another tab, waits for the first to commit, then is protected with it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.iscg.factories import DepartmentFactory, EmployerFactory, PostFactory, UserFactory

    employer = EmployerFactory(department=DepartmentFactory(code="01"))
    post = PostFactory(employer=employer)
    manager = UserFactory(employer_manager=True, employer=employer, department=employer.department)
    quarter = preset("quarter", timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        services.report_create(
            kind=ReportKind.QUARTERLY,
            period=quarter,
            scope=Scope.for_post(post),
            acting_user=manager,
        )
    sql = [q["sql"] for q in queries.captured_queries]
    locked = [  # the département's row (not its code, read for the residence table)
        i
        for i, q in enumerate(sql)
        if q.startswith("SELECT") and '"iscg_department"' in q and '"code" AS "code"' not in q
    ]
    related = [  # the bilans already audited, read to protect this one with them
        i for i, q in enumerate(sql) if "audit_passed" in q.partition(" WHERE ")[2]
    ]
    assert locked and related and locked[0] < related[0]
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in sql[locked[0]]


def _bilan(start, end, posts):
    return SimpleNamespace(
        figures={"period": {"start": start.isoformat(), "end": end.isoformat()}},
        posts=frozenset(posts),
    )


JULY, AUGUST, SEPTEMBER = (month_of(datetime.date(2026, m, 1)) for m in (7, 8, 9))
Q3 = Period(JULY.start, SEPTEMBER.end)


@pytest.mark.no_db
def test_the_months_of_a_quarter_are_anticipated_for_the_posts_of_the_bilans_holding_them():
    """Post 3's July bilan, after its employer's third quarter (posts 1 to 4) and the July
    bilans of posts 1 and 2: post 4's July, and each post's August and September, are
    anticipated (the quarter is the sum of its posts' months)."""
    related = [
        (1, _bilan(Q3.start, Q3.end, {1, 2, 3, 4})),
        (2, _bilan(JULY.start, JULY.end, {1})),
        (3, _bilan(JULY.start, JULY.end, {2})),
    ]
    report = SimpleNamespace(period=JULY, figures={"continuity": {"sealed": True}})
    ahead = bilans_ahead(report, frozenset({3}), related)
    assert ahead == [
        (4, JULY),
        *((p, AUGUST) for p in (1, 2, 3, 4)),
        *((p, SEPTEMBER) for p in (1, 2, 3, 4)),
    ]
    # The employer's quarter, first: its posts' quarters and months.
    quarter = SimpleNamespace(period=Q3, figures={"continuity": {"sealed": True}})
    ahead = bilans_ahead(quarter, frozenset({1, 2}), [])
    assert ahead == [(p, period) for period in (Q3, JULY, AUGUST, SEPTEMBER) for p in (1, 2)]
    # A year's months are due before it: not anticipated.
    year = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    annual = SimpleNamespace(period=year, figures={"continuity": {"sealed": True}})
    assert bilans_ahead(annual, frozenset({1}), [(1, _bilan(Q3.start, Q3.end, {1}))]) == []


def test_in_the_demo_every_post_month_made_after_the_employers_quarter_passes_its_audit():
    """Reproduced before: the demo's employer sent its quarterly bilan; made after it,
    each post's monthly bilans of the quarter (due by the 15th of the next month, when the
    quarter's is due by its end) were refused twice in twelve (July of the third post, 1
    cell; September of the second, 54): the quarter minus the months already shown, and
    the rows a month lists, each counting someone, left them nothing to mask."""
    manager, quarter, sent, posts = _demo_after_the_employers_quarter()
    for month in months_inside(quarter, timezone.localdate()):
        for post in posts:
            report = services.report_create(
                kind=ReportKind.MONTHLY,
                period=month,
                scope=Scope.for_post(post),
                acting_user=manager,
            )
            assert (report.audit_passed, report.audit_report["unprotected"]) == (True, []), (
                month.start,
                post.label,
            )
            assert sent.pk in report.audit_report["with_reports"]


def test_a_posts_month_made_after_the_next_month_passes_its_audit(world):  # noqa: F811
    """Reproduced before: the post's March bilan, sent, shows February in its
    previous-period column (no February bilan to carry it from); its February bilan,
    made late, was refused (residence and communes: the rows February lists, each
    counting someone, confined what March's column masked). A bilan covers its posts for
    its own period only: the previous period's bilan of its own post is anticipated."""
    data, _users, sent, _draft = world
    previous = Period(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert [sent.scope_post_id, *(d.isoformat() for d in (previous.start, previous.end))] in (
        sent.audit_report["anticipated"]
    )
    february = services.report_create(
        kind=ReportKind.MONTHLY,
        period=previous,
        scope=Scope.for_post(data["post"]),
        acting_user=data["worker"],
    )
    assert (february.audit_passed, february.audit_report["unprotected"]) == (True, [])


def test_a_post_bilan_computing_its_previous_column_anticipates_its_siblings_previous_bilans():
    """Post 3's first quarter, after its employer's (posts 1 to 4) with no bilan of the
    quarter before: its previous-period column, computed afresh, and the employer's tie
    the posts' counts of the quarter before, whose bilans will list the rows they count."""
    q1 = Period(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    q4 = q1.previous()
    related = [(1, _bilan(q1.start, q1.end, {1, 2, 3, 4})), (2, _bilan(q1.start, q1.end, {1}))]
    report = SimpleNamespace(period=q1, figures={"continuity": {"sealed": False}})
    ahead = bilans_ahead(report, frozenset({3}), related)
    quarters = [(post, period) for post, period in ahead if period in (q1, q4)]
    assert quarters == [(2, q1), (4, q1), *((p, q4) for p in (1, 2, 3, 4))]
    # Carried from the bilan before (sealed), it tells nothing new of that quarter.
    report.figures["continuity"]["sealed"] = True
    ahead = bilans_ahead(report, frozenset({3}), related)
    assert [(post, period) for post, period in ahead if period in (q1, q4)] == [(2, q1), (4, q1)]


def test_the_posts_first_bilans_made_after_their_employers_pass_their_audit():
    """Reproduced before: no bilan of the quarter before; the employer's first quarter,
    then its four posts', each computing its previous-period column afresh. In that
    column, the employer's 15 people minus posts 1 and 2's 6 each left 3 to posts 3 and
    4 (6 and 7 in the quarter itself); post 3's bilan anticipated its own bilan of the
    quarter before, whose row listing its one person told the reader post 4 had at most
    2: post 3's bilan was refused whatever it masked, then post 4's on post 3's refusal."""
    from tests.cases.factories import CaseFactory
    from tests.iscg.factories import DepartmentFactory, EmployerFactory, PostFactory, UserFactory

    year = timezone.localdate().year - 1
    employer = EmployerFactory(department=DepartmentFactory(code="01"))
    manager = UserFactory(employer_manager=True, employer=employer, department=employer.department)
    posts = []
    for people in (6, 6, 1, 2):
        post = PostFactory(employer=employer)
        for day in range(1, people + 1):
            # Opened in November, still open: counted in both quarters.
            CaseFactory(
                beneficiary__post=post, post=post, opened_on=datetime.date(year - 1, 11, day)
            )
        for day in range(1, 6):  # and five more from February: no count under 3 then
            CaseFactory(beneficiary__post=post, post=post, opened_on=datetime.date(year, 2, day))
        posts.append(post)
    quarter = Period(datetime.date(year, 1, 1), datetime.date(year, 3, 31))
    for scope in [Scope.for_employer(employer), *(Scope.for_post(p) for p in posts)]:
        report = services.report_create(
            kind=ReportKind.QUARTERLY, period=quarter, scope=scope, acting_user=manager
        )
        assert (report.audit_passed, report.audit_report["unprotected"]) == (True, []), (
            report.scope_label
        )


def test_an_employers_quarter_made_after_the_years_is_not_refused_for_a_doomed_post():
    """Reproduced before (bench year_late: the fourth quarters of the département and of
    the employer, made after the annual bilans, were refused): post P's year shows its
    3 people (one in August, two from November); the fourth quarter's bilans of P, and
    of P's third quarter, anticipated, each list them: they give each other away with
    the year, whatever the employer's quarter masks. The employer's quarter is no longer
    refused for them; P's own fourth quarter, which its listed rows give away, is
    published with those tables withheld (reporting.secrecy.withholding)."""
    from reporting.services.pdf_generation import pdf_generate
    from tests.cases.factories import CaseFactory
    from tests.iscg.factories import DepartmentFactory, EmployerFactory, PostFactory, UserFactory

    year = timezone.localdate().year - 1
    employer = EmployerFactory(department=DepartmentFactory(code="01"))
    manager = UserFactory(employer_manager=True, employer=employer, department=employer.department)
    small, large = PostFactory(employer=employer), PostFactory(employer=employer)
    CaseFactory(
        beneficiary__post=small,
        post=small,
        opened_on=datetime.date(year, 8, 5),
        closed_on=datetime.date(year, 8, 20),
        closing_reason="goals_met",
    )
    for day in (3, 4):
        CaseFactory(beneficiary__post=small, post=small, opened_on=datetime.date(year, 11, day))
    for month in range(1, 13):
        for day in range(1, 6):
            CaseFactory(
                beneficiary__post=large, post=large, opened_on=datetime.date(year, month, day)
            )
    scopes = [Scope.for_employer(employer), Scope.for_post(small), Scope.for_post(large)]
    for scope in scopes:
        annual = services.report_create(
            kind=ReportKind.ANNUAL,
            period=year_of(datetime.date(year, 1, 1)),
            scope=scope,
            acting_user=manager,
        )
        assert annual.audit_passed, annual.scope_label
    fourth = services.report_create(
        kind=ReportKind.QUARTERLY,
        period=quarter_of(datetime.date(year, 10, 1)),
        scope=scopes[0],
        acting_user=manager,
    )
    # Only bilans to come found: decided by the PDF task, not in the request.
    assert fourth.audit_passed is None and fourth.audit_report["pending"]
    assert pdf_generate(report_id=fourth.pk, worker="test", may_retry=False) == "done"
    fourth.refresh_from_db()
    assert (fourth.audit_passed, fourth.audit_report["unprotected"]) == (True, [])
    # P's quarter to come, anticipated as refused (no row listed), is protected with it,
    # no cell given away; passed on to the bilans made after.
    assert fourth.audit_report["given_away_ahead"] == []
    assert {pk for pk, *_ in fourth.audit_report["left_out_ahead"]} == {small.pk}
    own = services.report_create(
        kind=ReportKind.QUARTERLY,
        period=quarter_of(datetime.date(year, 10, 1)),
        scope=scopes[1],
        acting_user=manager,
    )
    # Decided by the PDF task too: which of its tables it withholds.
    assert own.audit_passed is None and own.audit_report["pending"]
    assert pdf_generate(report_id=own.pk, worker="test", may_retry=False) == "done"
    own.refresh_from_db()
    assert (own.audit_passed, own.audit_report["unprotected"]) == (True, [])
    assert own.audit_report["withheld"]
