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
from dataclasses import replace
from types import SimpleNamespace

import pytest
from django.utils import timezone

from reporting import services
from reporting.models import ReportKind
from reporting.periods import year_of
from reporting.scope import Scope
from reporting.secrecy import Publication, audit, cells_of, intervals, protect
from reporting.secrecy.layout import tables_of
from reporting.secrecy.related import related_publications
from reporting.secrecy.reports import report_masked_figures
from reporting.secrecy.versions import series_of, versions_apart
from tests.iscg.factories import (
    CommuneFactory,
    DepartmentFactory,
    EmployerFactory,
    PostFactory,
    UserFactory,
)
from tests.reporting.test_secrecy_attacks import communes, figures
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
    assert pk == first.pk
    # The post's rows differ between the two versions (each digest recorded).
    (state,) = first.post_states.values()
    assert state != second.post_states[str(post.pk)]
    apart, tag = held.renamed[post.pk]
    assert tag == ("digest", state)
    current = held.lay.periods["current"]
    renamed = {q[2] for q in apart if q[:2] == (current, "commune")}
    assert None in renamed  # the total
    assert "A (01980)" not in renamed and "B (01981)" not in renamed
    shown = Publication(second.figures, cells_of(second.masked_cells), posts=held.posts)
    assert audit([shown, held]) == []

    # The employer's bilan made next is protected with both versions of the post's.
    whole = _made(ReportKind.ANNUAL, period, Scope.for_employer(employer), manager)
    assert (whole.audit_passed, whole.audit_report["unprotected"]) == (True, [])
    assert sorted(whole.audit_report["with_reports"]) == [first.pk, second.pk]


A, B = frozenset({1}), frozenset({2})
LABELS = ["X (01001)", "Y (01002)", "Z (01003)", "W (01004)", "V (01005)"]


def _bilan(*counts):
    return figures(communes([(label, [n, 0]) for label, n in zip(LABELS, counts, strict=False)]))


def _report(scope, version, states=None, day=None):
    """What versions.series_of and versions_apart read of a Report: one series per
    scope; ``states``: {post: digest} (None: not recorded); ``day``: when it was
    computed (None: in the order of the ids)."""
    return SimpleNamespace(
        kind="quarterly",
        period_start="2026-01-01",
        period_end="2026-03-31",
        scope_kind="post" if len(scope) == 1 else "employer",
        employer_id=7,
        scope_post_id=min(scope) if len(scope) == 1 else None,
        scope_unit_id=None,
        version=version,
        pk=10 * version + len(scope),  # one id per bilan
        post_states={str(post): digest for post, digest in (states or {}).items()},
        computed_at=day,
    )


def _held(pairs, scope, version, figures_, states=None, day=None, changes=()):
    """The publications as related.related_publications hands them to protect, for
    the bilan of ``scope``, ``version``, ``states`` and ``day`` being protected, with
    the ``changes`` its posts' own bilans told (reporting.secrecy.changes)."""
    held = [(report, replace(publication, renamed={})) for report, publication in pairs]
    own = _report(scope, version, states, day)
    versions_apart(held, (own.pk, series_of(own), scope, own.post_states, figures_), changes)
    return [publication for _, publication in held]


@pytest.mark.no_db
def test_two_series_first_versions_are_not_one_count():
    """Day 0: post A's bilan v1 counts 10 people in X. Day 1: seven of them were entered
    by mistake and are deleted; A is recalculated (v2: 3). Day 2: the employer's bilan
    (posts A and B, B without a bilan) is made: X 7 = 3 + 4. Day 3: one more person of A
    in X; the employer's bilan is recalculated (v2: 8). Its audit renames A v1's X
    against A v2 and the employer v1's X against its v2, both « version 1 »: one
    variable for post A, so the program says employer v1's 7 = A v1's 10 + B's count,
    which no count satisfies: the employer's new version was refused (failed before).
    Found by review, 2026-12-07."""
    a1, a2, a3, b = (10, 20, 0), (3, 20, 0), (4, 20, 0), (4, 6, 1)
    post_a1, post_a2 = _bilan(*a1), _bilan(*a2)
    b_ahead = Publication(_bilan(*b), set(), posts=B, anticipated=True)
    hidden, findings = protect(post_a1, published=[b_ahead], posts=A)
    assert findings == []
    pub_a1 = Publication(post_a1, hidden, posts=A)
    published = _held([(_report(A, 1, day=0), pub_a1)], A, 2, post_a2, day=1)
    hidden, findings = protect(post_a2, published=[*published, b_ahead], posts=A)
    assert findings == []
    pub_a2 = Publication(post_a2, hidden, posts=A)

    employer1 = _bilan(*(x + y for x, y in zip(a2, b, strict=True)))
    pairs = [(_report(A, 1, day=0), pub_a1), (_report(A, 2, day=1), pub_a2)]
    published = _held(pairs, A | B, 1, employer1, day=2)
    hidden, findings = protect(employer1, published=[*published, b_ahead], posts=A | B)
    assert findings == []
    pub_e1 = Publication(employer1, hidden, posts=A | B)

    employer2 = _bilan(*(x + y for x, y in zip(a3, b, strict=True)))
    published = _held([*pairs, (_report(A | B, 1, day=2), pub_e1)], A | B, 2, employer2, day=3)
    hidden, findings = protect(employer2, published=[*published, b_ahead], posts=A | B)
    assert findings == [], findings


@pytest.mark.no_db
def test_a_post_bilan_made_after_its_sibling_was_recalculated_gives_itself_away():
    """Day 0: post A's bilan v1 and the employer's (posts A and B) are made, post B's
    bilan anticipated: the employer masks X, Y, Z, V and shows W and its total. Day 1:
    two people of post A had their commune corrected from X to W; A is recalculated
    (v2). Post B's bilan is then made, audited with the employer, A v1 and A v2. The
    employer was frozen on day 0 with A's data of A v1 (same digest of A's rows); tied
    instead to A v2 in the program (which put B's W at 2 and X+Y at 4), B masked X, Y, W
    and showed Z and V, and the reader took employer(total - W) - A v1(X+Y+Z+V) - B(Z+V)
    = B(X+Y) = 2, both rows listed: X = Y = 1 (failed before: found by review,
    2026-12-07). Now the employer's counts of post A are those of A v1's data state."""
    found = intervals(sibling_recalculated({1: "a-day0"}))
    assert found[(0, ("commune", 0, 0))][1] >= 3, found
    assert found[(0, ("commune", 1, 0))][1] >= 3, found


def sibling_recalculated(day0_a: dict | None) -> list[Publication]:
    """The days of the sibling recalculated, A v1 and the employer's bilan recording
    A's state ``day0_a`` (None: not recorded); each bilan passes its own audit. B's
    bilan, the employer's and A v1 (all three of the same data of each post), as their
    reader holds them."""
    a1, b, a2 = (5, 10, 8, 130, 9), (1, 1, 6, 4, 7), (3, 10, 8, 132, 9)
    post_a1, post_b, post_a2 = _bilan(*a1), _bilan(*b), _bilan(*a2)
    employer = _bilan(*(x + y for x, y in zip(a1, b, strict=True)))
    b_ahead = Publication(post_b, set(), posts=B, anticipated=True)
    day1_a, b_rows = {1: "a-day1"}, {2: "b"}

    hidden, findings = protect(post_a1, published=[b_ahead], posts=A)
    assert findings == []
    pub_a1 = Publication(post_a1, hidden, posts=A)
    hidden, findings = protect(employer, published=[pub_a1, b_ahead], posts=A | B)
    assert findings == []
    pub_e = Publication(employer, hidden, posts=A | B)
    assert audit([pub_e, pub_a1, b_ahead]) == []  # day 0: sound

    # Day 1: A v2, protected with the employer and A v1, both of A's day 0 data.
    e_r = _report(A | B, 1, day0_a and day0_a | b_rows)
    a1_r = _report(A, 1, day0_a)
    published = _held([(e_r, pub_e), (a1_r, pub_a1)], A, 2, post_a2, day1_a)
    assert published[0].renamed[1][1] == published[1].renamed[1][1]  # one state of A
    hidden, findings = protect(post_a2, published=[*published, b_ahead], posts=A)
    assert findings == []
    pub_a2 = Publication(post_a2, hidden, posts=A)

    # Post B's bilan: its own series has no version held.
    pairs = [(e_r, pub_e), (a1_r, pub_a1), (_report(A, 2, day1_a), pub_a2)]
    published = _held(pairs, B, 1, post_b, b_rows)
    hidden, findings = protect(post_b, published=published, posts=B)
    assert findings == []
    pub_b = Publication(post_b, hidden, posts=B)
    assert audit([pub_b, *published]) == []
    return [pub_b, pub_e, pub_a1]


@pytest.mark.no_db
def test_a_bilan_of_the_same_state_shares_its_counts_and_another_state_does_not():
    """The naming the audit receives: A v1 and the employer share A's state of day 0,
    A v2 (the bilan protected) is the reference; a bilan whose state was not recorded
    (made before digests were) is its own state, renamed against the version beside."""
    a1, a2 = _bilan(5, 10, 8), _bilan(3, 10, 8)
    pub_a1, pub_e = (
        Publication(a1, set(), posts=A),
        Publication(_bilan(6, 11, 8), set(), posts=A | B),
    )
    e_r, a1_r = _report(A | B, 1, {1: "d0", 2: "b"}), _report(A, 1, {1: "d0"})
    e, first = _held([(e_r, pub_e), (a1_r, pub_a1)], A, 2, a2, {1: "d1"})
    assert e.renamed == first.renamed and set(e.renamed) == {1}  # post B: reference
    quantities, state = first.renamed[1]
    assert state == ("digest", "d0")
    assert {q[2] for q in quantities} == {None, "X (01001)"}  # the total and X changed
    # The same state as the bilan protected: nothing apart.
    e, first = _held([(e_r, pub_e), (a1_r, pub_a1)], A, 2, a2, {1: "d0"})
    assert e.renamed == first.renamed == {}
    # States not recorded (bilans frozen before they were): a post's own bilan is its
    # own state; the employer's made after A v1 counted A as A v1 did, not as the
    # version made later.
    e, first = _held(
        [(_report(A | B, 1, day=1), pub_e), (_report(A, 1, day=0), pub_a1)], A, 2, a2, day=2
    )
    assert e.renamed == first.renamed and first.renamed[1][1] == ("bilan", 11)
