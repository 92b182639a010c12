"""The bench's measures of nested bilans run on a small département and report what they
protected: every bilan either published or refused at the audit, nothing unprotected; the
bilans made one after the other are protected by the product's own rules."""

import datetime

import pytest
from django.utils import timezone

from bench.secrecy import nested_costs
from bench.secrecy_chain import quarterly_chain_costs
from iscg.models import Post, User
from reporting import services
from reporting.models import Report, ReportKind
from reporting.periods import month_of, quarter_of
from reporting.scope import Scope
from reporting.secrecy import Publication
from tests.cases.factories import CaseFactory
from tests.iscg.factories import DepartmentFactory, EmployerFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def _small_department():
    """An employer of two posts, whose cases were opened last March."""
    employer = EmployerFactory(department=DepartmentFactory(code="01"))
    last_year = timezone.localdate().year - 1
    for opened in (5, 2):
        post = PostFactory(employer=employer)
        for day in range(1, opened + 1):
            CaseFactory(
                beneficiary__post=post, post=post, opened_on=datetime.date(last_year, 3, day)
            )
    return employer


@pytest.mark.parametrize(
    ("posts_first", "anticipated"),
    # The product's rule (reporting.secrecy.reports.bilans_ahead): the posts' bilans of
    # the year not made yet, and, no bilan of the year before to carry their previous
    # column, the posts' bilans of that year (of the bilans joined to it: two posts'
    # bilans share no post). The bench's copy of the rule anticipated the year's only:
    # 2, 2, 1, 0 top down.
    [(False, [4, 4, 3, 2]), (True, [1, 1, 2, 2])],
)
def test_nested_bilans_of_a_small_department(posts_first, anticipated):
    employer = _small_department()
    UserFactory(employer_manager=True, employer=employer, department=employer.department)
    costs = nested_costs(employer.department_id, posts_first=posts_first)
    assert costs["anticipated_each"] == anticipated
    assert costs["bilans"] == 4  # the département, the employer, two posts
    assert costs["published"] + costs["refused"] == 4
    assert costs["published"] >= 2
    assert not Report.objects.exists()  # made by report_create, rolled back
    assert costs["unprotected"] == 0
    assert 0 < costs["cells_masked"] < costs["cells_published"]


def test_the_quarterly_chain_anticipates_the_bilans_the_product_anticipates(monkeypatch):
    """The bench anticipated its own way before (issue #18): not the months of a quarter,
    which the product anticipates (reporting.secrecy.reports.bilans_ahead). The posts'
    bilans the bench anticipates are those the product anticipates for the same bilans
    made in the same order; the bench's bilans are not kept."""
    employer = _small_department()
    manager = UserFactory(employer_manager=True, employer=employer, department=employer.department)
    User.objects.create_superuser("admin@example.gouv.fr")  # report_create's system actor
    posts = list(Post.objects.filter(employer=employer).select_related("employer").order_by("pk"))
    # Top down, as the bench makes them; the département's by no account (none may author it).
    scopes = [
        (Scope.for_department(employer.department_id), None),
        (Scope.for_employer(employer), manager),
        *((Scope.for_post(post), manager) for post in posts),
    ]
    last_year = timezone.localdate().year - 1
    kept = services.report_create(  # a bilan already there (the demo's, on the bench base)
        kind=ReportKind.QUARTERLY,
        period=quarter_of(datetime.date(last_year, 1, 1)),
        scope=scopes[1][0],
        acting_user=manager,
    )
    by_bench = set()
    real = Publication.__post_init__

    def seen(publication):
        real(publication)
        if publication.anticipated:
            period = publication.figures["period"]
            by_bench.add((*publication.posts, period["start"], period["end"]))

    monkeypatch.setattr(Publication, "__post_init__", seen)
    costs = quarterly_chain_costs(employer.department_id, quarters_made=2)
    monkeypatch.undo()
    assert list(Report.objects.values_list("pk", flat=True)) == [kept.pk]
    kept.delete()
    by_product = set()
    for month in (1, 4):
        for scope, actor in scopes:
            report = services.report_create(
                kind=ReportKind.QUARTERLY,
                period=quarter_of(datetime.date(last_year, month, 1)),
                scope=scope,
                acting_user=actor,
            )
            by_product.update(tuple(bilan) for bilan in report.audit_report["anticipated"])
    march = month_of(datetime.date(last_year, 3, 1))
    assert (posts[0].pk, march.start.isoformat(), march.end.isoformat()) in by_product
    assert by_bench == by_product
    assert (costs["bilans"], costs["refused"], costs["unprotected"]) == (8, 0, 0)


@pytest.mark.no_db
def test_the_late_year_makes_the_annual_bilans_before_the_fourth_quarter_and_its_months():
    """bench_secrecy --only year_late: the year first, then what it does not anticipate."""
    from types import SimpleNamespace

    from bench.secrecy_year import plan
    from reporting.scope import ScopeKind

    scopes = [
        SimpleNamespace(kind=ScopeKind.DEPARTMENT),
        SimpleNamespace(kind=ScopeKind.POST),
        SimpleNamespace(kind=ScopeKind.POST),
    ]
    made = [
        (str(kind), period.start.month, period.end.month)
        for kind, period, _ in plan(2025, scopes, late=True)
    ]
    assert made == [
        *[("annual", 1, 12)] * 3,
        *[("quarterly", 10, 12)] * 3,
        *[("monthly", 10, 10)] * 2,
        *[("monthly", 11, 11)] * 2,
        *[("monthly", 12, 12)] * 2,
    ]
    calendar = [str(kind) for kind, _, _ in plan(2025, scopes)]
    assert calendar[:3] == ["monthly", "monthly", "monthly"] and calendar[-3:] == ["annual"] * 3
