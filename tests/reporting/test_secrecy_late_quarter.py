"""A quarter made after the annual bilans: the cells it masks for a post's year.

Reproduced first on the departmental bench base (bench_secrecy --only year_late, 2026-12-07):
the département's fourth quarter, made after the annual bilans, showed a commune's count
that, with the rows its posts' fourth quarters will list, bounded a post's annual count
of that commune from above (its year 1: the département's year 6, the other posts' years
at least their quarters, 5). The program's dual values did not name the quarter's cell,
so each round masked the cheapest count of another commune, and the bilan was refused
after three rounds with the same findings. Here, with fewer communes, the employer's
quarter masked four other communes' counts of 3 before its commune's (failed before).

Once that quarter passed, protected without the bilans to come that the annual bilans
already give away, every bilan made after it was refused (7 of 24 published): those
bilans, anticipated again, bounded the quarter's cells. Here, a post's own quarter made
next was refused (failed before).
"""

import datetime

import pytest
from django.utils import timezone

from reporting import services
from reporting.models import ReportKind
from reporting.periods import quarter_of, year_of
from reporting.scope import Scope
from reporting.secrecy import Publication, audit, cells_of, protect
from reporting.secrecy.ahead import given_away_ahead
from reporting.secrecy.audit import GROUP
from reporting.secrecy.layout import tables_of
from reporting.secrecy.reports import given_away_before
from reporting.services.pdf_generation import pdf_generate
from tests.cases.factories import CaseFactory
from tests.iscg.factories import (
    CommuneFactory,
    DepartmentFactory,
    EmployerFactory,
    PostFactory,
    UserFactory,
)
from tests.reporting.test_secrecy_timeline import AUG, JUL, KINDS, Q3, SEP, YEAR, _figures

pytestmark = pytest.mark.django_db


def _people(post, commune, year, month, count, *, days=20):
    for day in range(1, count + 1):
        CaseFactory(
            beneficiary__post=post,
            beneficiary__commune=commune,
            post=post,
            opened_on=datetime.date(year, month, day),
            closed_on=datetime.date(year, month, day + days) if days else None,
            closing_reason="goals_met" if days else "",
        )


def _made(kind, period, scope, manager):
    report = services.report_create(kind=kind, period=period, scope=scope, acting_user=manager)
    if report.audit_passed is None:  # left to the task that makes its PDF
        assert pdf_generate(report_id=report.pk, worker="test", may_retry=False) == "done"
        report.refresh_from_db()
    return report


def test_a_quarter_made_after_the_years_masks_the_commune_that_bounds_a_posts_year():
    year = timezone.localdate().year - 1
    department = DepartmentFactory(code="01")
    employer = EmployerFactory(department=department)
    manager = UserFactory(employer_manager=True, employer=employer, department=department)
    alone, later, busy, doomed = (PostFactory(employer=employer) for _ in range(4))
    target = CommuneFactory(department=department, code="01990", name="Zélie")
    cheap = [
        CommuneFactory(department=department, code=f"0198{i}", name=f"Aval {i}") for i in range(4)
    ]
    big = CommuneFactory(department=department, code="01970", name="Bourg")
    # Zélie: one person of « alone » in March; four of « later » from November.
    _people(alone, target, year, 3, 1)
    _people(later, target, year, 11, 4, days=0)
    # Four communes counted 3 in the fourth quarter, cheaper to mask than Zélie's 4.
    for commune in cheap:
        _people(busy, commune, year, 11, 3, days=0)
    for month in range(1, 13):
        _people(busy, big, year, month, 5)
    # A post whose fourth quarter will be refused whatever is masked now (one person in
    # August, two from November: its year and its quarters give each other away).
    _people(doomed, big, year, 8, 1)
    _people(doomed, big, year, 11, 2, days=0)

    scopes = [Scope.for_employer(employer), *(Scope.for_post(p) for p in (alone, later, busy))]
    scopes.append(Scope.for_post(doomed))
    for scope in scopes:
        annual = _made(ReportKind.ANNUAL, year_of(datetime.date(year, 1, 1)), scope, manager)
        assert annual.audit_passed, annual.scope_label
    fourth = _made(ReportKind.QUARTERLY, quarter_of(datetime.date(year, 10, 1)), scopes[0], manager)

    assert (fourth.audit_passed, fourth.audit_report["unprotected"]) == (True, [])
    masked = cells_of(fourth.masked_cells)
    rows = {
        row["label"]: index
        for index, row in enumerate(tables_of(fourth.figures)["commune"]["rows"])
    }
    assert ("commune", rows["Zélie (01990)"], 0) in masked
    # The cheaper communes, which bound nothing, are shown.
    assert all(("commune", rows[f"Aval {i} (0198{i})"], 0) not in masked for i in range(4))
    # The posts' quarters made next are not refused for the doomed post's quarters, which
    # the employer's quarter was protected with as refused: no row listed, the cells the
    # bilans sent give away foregone.
    for post in (later, busy):
        own = _made(
            ReportKind.QUARTERLY,
            quarter_of(datetime.date(year, 10, 1)),
            Scope.for_post(post),
            manager,
        )
        assert (own.audit_passed, own.audit_report["unprotected"]) == (True, []), post.pk
        assert {pk for pk, *_ in own.audit_report["left_out_ahead"]} == {doomed.pk}
    # A bilan protected with them anticipated as refused passes them on, and reports the
    # cells of theirs it foregoes (the bilans sent give them away), of no other post.
    assert {where[1] for where in own.audit_report["given_away_ahead"]} <= {doomed.pk}
    assert {post for post, _ in given_away_before([(own.pk, None)])} == {doomed.pk}


@pytest.mark.no_db
def test_a_bilan_to_come_given_away_only_with_a_refused_one_is_still_anticipated():
    """Reproduced first (bench year_late: a post's November, left out with its fourth
    quarter that the annual bilans gave away, was refused when made, 22 of 24 published):
    the post's third quarter (3 physical interviews, 4 phone ones) and September (3
    phone ones) are sent. July to come lists one phone interview: the bilans sent alone
    leave it 1, it will be refused. August to come lists physical interviews: 1 to 3 by
    the bilans sent, at most 2 only if July's listed row is counted too. July alone is
    left out first (failed before: August too), both if the bilan protected needs it.
    Two months to come given away only with each other: one is left out first (failed
    before: both)."""
    physical, phone = KINDS[0], KINDS[1]
    assert (physical, phone) == ("Entretien physique", "Entretien téléphonique")
    post = frozenset({1})
    sent = [
        Publication(_figures(Q3, [3, 4, 0]), hidden=set(), posts=post),
        Publication(_figures(SEP, [0, 3, 0]), hidden=set(), posts=post),
    ]
    july = Publication(_figures(JUL, [1, 1, 0]), hidden=set(), posts=post, anticipated=True)
    august = Publication(_figures(AUG, [2, 0, 0]), hidden=set(), posts=post, anticipated=True)
    assert audit(sent) == []
    assert given_away_ahead([*sent, july, august]) == [{2}, {2, 3}]
    # The quarter's 3 physical interviews, July and August each listing some: together,
    # each is at most 2; alone, up to 3.
    quarter = Publication(_figures(Q3, [3, 0, 0]), hidden=set(), posts=post)
    july = Publication(_figures(JUL, [1, 0, 0]), hidden=set(), posts=post, anticipated=True)
    august = Publication(_figures(AUG, [2, 0, 0]), hidden=set(), posts=post, anticipated=True)
    assert audit([quarter, july]) == audit([quarter, august]) == []
    # Both again if the bilan protected, its rows listed, still finds cells with one.
    assert given_away_ahead([quarter, july, august]) == [{1}, {1, 2}]


@pytest.mark.no_db
def test_a_posts_quarter_left_out_is_still_protected_from_subtraction():
    """Found by review (failed before): post P's annual bilan sent, its third quarter to
    come left out of the anticipated bilans (given away), post Q's third quarter showing 5
    physical interviews: the employer's third quarter showed 7, which gave P's 2 by
    subtraction. The audit counted P's group as covered by a bilan of its own for every
    period, its year's covering its quarter; now only for the periods that bilan shows."""
    p, q = frozenset({1}), frozenset({2})
    p_year = Publication(_figures(YEAR, [9, 4, 0]), hidden=set(), posts=p)
    q_quarter = Publication(_figures(Q3, [5, 0, 0]), hidden=set(), posts=q)
    employer = _figures(Q3, [7, 0, 0])
    hidden, findings = protect(employer, published=[p_year, q_quarter], posts=p | q)
    assert findings == []
    assert ("actes", 0, 0) in hidden
    # Shown, the employer's 7 is found (the post's 2 by subtraction).
    shown = Publication(employer, hidden=set(), posts=p | q)
    found = audit([shown, p_year, q_quarter])
    assert {(f.publication, f.cell[1], f.cell[2], f.value) for f in found} == {
        (GROUP, "actes", "Entretien physique", 2),
        (GROUP, "actes", None, 2),  # the total of P's quarter
    }
