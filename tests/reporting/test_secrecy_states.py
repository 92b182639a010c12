"""A post's counts in the data state each bilan held was computed from, when states were
not recorded (bilans frozen before), when no version relates two states, or when two
posts' changes cancel in their employer's counts (reporting.secrecy.versions). Found by
review, 2026-12-07."""

import pytest

from reporting.secrecy import Publication, audit, intervals, layout, protect
from reporting.secrecy.versions import differ
from tests.reporting.test_secrecy_versions import (
    A,
    B,
    _bilan,
    _held,
    _report,
    sibling_recalculated,
)


@pytest.mark.no_db
def test_bilans_frozen_before_states_were_recorded_still_give_a_sibling_away():
    """The scenario of test_secrecy_versions's sibling recalculated, the employer's
    bilan and A v1 frozen before states were recorded (post_states {}), A v2 and B's
    bilan made after. Taken as a state of its own, the employer's shared A's counts with
    A v2 (the reference), and the reader of the employer, A v1 and B worked out B's X
    and Y, 1 and 1 (failed before). The employer's bilan made after A v1 now counts A
    as A v1 did."""
    found = intervals(sibling_recalculated(None))
    assert found[(0, ("commune", 0, 0))][1] >= 3, found
    assert found[(0, ("commune", 1, 0))][1] >= 3, found


@pytest.mark.no_db
def test_an_employer_bilan_of_a_later_state_than_the_posts_is_told_apart():
    """Day 0: post A's bilan v1 (X 5, W 130). Day 1: two of A's people had their commune
    corrected from X to W; the employer's bilan (posts A and B) is then made from the
    data of day 1, its digest of A not A v1's. No version relates A's two states (A has
    one version): tied, the program said employer's X 4 = A v1's X 5 + B's X, which no
    count satisfies, and the employer's bilan was refused (failed before). A's bilan
    computed on day 1 tells what changed (reporting.secrecy.changes): X, W and the
    total are A's own counts of day 0 in A v1; the employer's bilan passes, and what the
    reader of both works out of B stays protected."""
    a1, b, a2 = (5, 10, 8, 130, 9), (1, 1, 6, 4, 7), (3, 10, 8, 132, 9)
    post_a1, post_b = _bilan(*a1), _bilan(*b)
    employer = _bilan(*(x + y for x, y in zip(a2, b, strict=True)))
    b_ahead = Publication(post_b, set(), posts=B, anticipated=True)
    day0_a, day1_a, b_rows = {1: "a-day0"}, {1: "a-day1"}, {2: "b"}

    hidden, findings = protect(post_a1, published=[b_ahead], posts=A)
    assert findings == []
    pub_a1 = Publication(post_a1, hidden, posts=A)
    a1_r = _report(A, 1, day0_a)
    told = [(1, "a-day1", "a-day0", differ(layout(_bilan(*a2)), layout(post_a1)))]
    published = _held([(a1_r, pub_a1)], A | B, 1, employer, day1_a | b_rows, changes=told)
    hidden, findings = protect(employer, published=[*published, b_ahead], posts=A | B)
    assert findings == [], findings
    shown = Publication(employer, hidden, posts=A | B)
    assert audit([shown, *published, b_ahead]) == []


def _steps(a1, a2, b1, b2, order):
    """Day 0: A v1 and the employer's v1 (posts A and B, B's bilan anticipated). Day 1:
    A and B corrected; A recalculated (v2), then the employer (v2). ``order``: the
    order related_publications hands the bilans in. The findings of each step."""
    post_a1, post_a2 = _bilan(*a1), _bilan(*a2)
    e1 = _bilan(*(x + y for x, y in zip(a1, b1, strict=True)))
    e2 = _bilan(*(x + y for x, y in zip(a2, b2, strict=True)))
    b_ahead = Publication(_bilan(*b2), set(), posts=B, anticipated=True)
    day0, day1 = {1: "a-day0", 2: "b-day0"}, {1: "a-day1", 2: "b-day1"}
    steps = {}
    hidden, steps["a1"] = protect(post_a1, published=[b_ahead], posts=A)
    pub_a1 = Publication(post_a1, hidden, posts=A)
    hidden, steps["e1"] = protect(e1, published=[pub_a1, b_ahead], posts=A | B)
    pub_e1 = Publication(e1, hidden, posts=A | B)
    a1_r, e1_r = _report(A, 1, {1: day0[1]}), _report(A | B, 1, day0)
    published = _held([(a1_r, pub_a1), (e1_r, pub_e1)], A, 2, post_a2, {1: day1[1]})
    hidden, steps["a2"] = protect(post_a2, published=[*published, b_ahead], posts=A)
    pub_a2 = Publication(post_a2, hidden, posts=A)
    a2_r = _report(A, 2, {1: day1[1]})
    pairs = {"a1": (a1_r, pub_a1), "e1": (e1_r, pub_e1), "a2": (a2_r, pub_a2)}
    published = _held([pairs[k] for k in order], A | B, 2, e2, day1)
    hidden, steps["e2"] = protect(e2, published=[*published, b_ahead], posts=A | B)
    return steps


@pytest.mark.no_db
@pytest.mark.parametrize("order", [("a1", "a2", "e1"), ("e1", "a1", "a2")])
def test_changes_of_two_posts_that_cancel_in_the_employers_counts(order):
    """Day 1: one of A's people in X had their commune corrected to W (A: X 5 -> 4), one
    person of B in X was entered late (B: X 3 -> 4): the employer's X is 8 in both its
    versions. Recalculating the employer's bilan: B's data state changed (its digest),
    related to the reference only through the employer's two versions, whose X did not
    change, so B's X of day 0 is the reference's; with A's own versions (X 5 and 4,
    renamed apart), the program says 8 = 5 + B's X = 4 + B's X: inconsistent, the
    employer's v2 was refused (failed before). A's own versions tell that its X changed:
    B's changes between the employer's versions include them."""
    a1, a2 = (5, 10, 8, 130, 9), (4, 10, 8, 131, 9)
    b1, b2 = (3, 1, 6, 4, 7), (4, 1, 6, 4, 7)
    steps = _steps(a1, a2, b1, b2, order)
    assert steps == {"a1": [], "e1": [], "a2": [], "e2": []}, steps
