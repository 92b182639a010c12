"""The versions of a bilan a reader holds together: an earlier version stays readable once
a new one is computed (« Recalculer »), by its recipients if it was sent, by the
employer's manager in any case.

Reproduced first: a post's annual bilan showed communes A 1, B 3, C 5, D 6 and masked A
and B (B the smallest count that covers A). Three people of a commune Ab entered late,
the bilan computed again: Ab's 3, listed before B's, now covered A, so the new version
masked A and Ab and showed B's 3; the first version's total minus C, D and that B gave
A's 1. A new version is now protected with the earlier versions its readers hold, their
counts that did not change shared (failed before)."""

import datetime

import pytest
from django.utils import timezone

from reporting import services
from reporting.models import ReportKind
from reporting.periods import year_of
from reporting.scope import Scope
from reporting.secrecy import Publication, audit, cells_of
from reporting.secrecy.layout import tables_of
from reporting.secrecy.related import related_publications
from reporting.secrecy.reports import report_masked_figures
from tests.iscg.factories import (
    CommuneFactory,
    DepartmentFactory,
    EmployerFactory,
    PostFactory,
    UserFactory,
)
from tests.reporting.test_secrecy_late_quarter import _made, _people

pytestmark = pytest.mark.django_db


def _communes(report) -> tuple[dict, object]:
    """{label: count or None if masked} and the total, as the bilan's readers see it."""
    table = tables_of(report_masked_figures(report))["commune"]
    rows = {
        row["label"].split(" (")[0]: row["values"][0] if isinstance(row["values"][0], int) else None
        for row in table["rows"]
    }
    return rows, table["total"][0]


def _recovered(first, second) -> dict:
    """What a reader of both versions works out of the first one's commune table: its
    masked rows that the second shows (a count that did not change, the other rows and
    tables say so), then the one row left masked by subtraction from its total."""
    rows, total = _communes(first)
    later, _ = _communes(second)
    known = {label: later.get(label) for label, v in rows.items() if v is None}
    known = {label: v for label, v in known.items() if v is not None}
    masked = [label for label, v in rows.items() if v is None and label not in known]
    if len(masked) != 1 or not isinstance(total, int):
        return known
    shown = sum(v for v in rows.values() if v is not None) + sum(known.values())
    return {**known, masked[0]: total - shown}


def test_a_new_version_is_protected_with_the_version_its_readers_hold():
    year = timezone.localdate().year - 1
    department = DepartmentFactory(code="01")
    employer = EmployerFactory(department=department)
    manager = UserFactory(employer_manager=True, employer=employer, department=department)
    post, other = PostFactory(employer=employer), PostFactory(employer=employer)
    commune = {
        name: CommuneFactory(department=department, code=f"0198{i}", name=name)
        for i, name in enumerate(["A", "B", "C", "D", "Ab"])
    }
    for name, count in {"A": 1, "B": 3, "C": 5, "D": 6}.items():
        _people(post, commune[name], year, 3, count)
    _people(other, commune["C"], year, 4, 4)
    period = year_of(datetime.date(year, 1, 1))
    first = _made(ReportKind.ANNUAL, period, Scope.for_post(post), manager)
    assert first.audit_passed
    assert _communes(first)[0] == {"A": None, "B": None, "C": 5, "D": 6}
    _people(post, commune["Ab"], year, 5, 3)  # entered late

    second = services.report_regenerate(report=first, acting_user=manager)

    assert (second.version, second.audit_passed) == (2, True)
    later, _ = _communes(second)
    assert later["A"] is None and later["B"] is None  # B's 3 did not change
    assert "A" not in _recovered(first, second)
    assert second.audit_report["with_reports"] == [first.pk]
    # The joint audit: the first version's total, which the late entries changed, is its
    # own count; A's and B's, unchanged, are the same counts in both versions.
    ((pk, held),) = related_publications(second)
    assert pk == first.pk and held.other_version
    current = held.lay.periods["current"]
    communes = {q[2]: q[3] for q, _ in held.lay.cells.values() if q[:2] == (current, "commune")}
    assert communes[None] == ("count", "version", 1)  # the total
    assert communes["A (01980)"] == communes["B (01981)"] == "count"
    shown = Publication(second.figures, cells_of(second.masked_cells), posts=held.posts)
    assert audit([shown, held]) == []

    # The employer's bilan made next is protected with both versions of the post's.
    whole = _made(ReportKind.ANNUAL, period, Scope.for_employer(employer), manager)
    assert (whole.audit_passed, whole.audit_report["unprotected"]) == (True, [])
    assert sorted(whole.audit_report["with_reports"]) == [first.pk, second.pk]
