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


# A's bilans of three states (X corrected, then a late entry in Y), B's of two (a late
# entry in X), the employer's of day 0 and day 2: its X is 8 in both.
A_STATES = {"a1": (5, 10, 8, 130, 9), "a2": (4, 10, 8, 131, 9), "a3": (4, 11, 8, 131, 9)}
B_STATES = ((3, 1, 6, 4, 7), (4, 1, 6, 4, 7))


def _a_recalculated(versions, order, changes=()):
    """Day 0: A v1 and the employer's v1 (B's bilan anticipated); A's ``versions``
    [(version, key, state, day)] made after; on day 2, the employer's v2 (A in state
    a2), with the ``changes`` told. (steps' findings, the publications of the last)."""
    post = {key: _bilan(*counts) for key, counts in A_STATES.items()}
    (b1, b2), a1, a3 = B_STATES, A_STATES["a1"], A_STATES["a3"]
    e1 = _bilan(*(x + y for x, y in zip(a1, b1, strict=True)))
    e2 = _bilan(*(x + y for x, y in zip(a3, b2, strict=True)))
    b_ahead = Publication(_bilan(*b2), set(), posts=B, anticipated=True)
    steps, pairs = {}, {}
    hidden, steps["a1"] = protect(post["a1"], published=[b_ahead], posts=A)
    pairs["a1"] = (_report(A, 1, {1: "a0"}, day=0), Publication(post["a1"], hidden, posts=A))
    hidden, steps["e1"] = protect(e1, published=[pairs["a1"][1], b_ahead], posts=A | B)
    pairs["e1"] = (
        _report(A | B, 1, {1: "a0", 2: "b0"}, day=0),
        Publication(e1, hidden, posts=A | B),
    )
    for version, key, state, day in versions:
        published = _held(list(pairs.values()), A, version, post[key], {1: state}, day=day)
        hidden, steps[key] = protect(post[key], published=[*published, b_ahead], posts=A)
        pairs[key] = (
            _report(A, version, {1: state}, day=day),
            Publication(post[key], hidden, posts=A),
        )
    published = _held(
        [pairs[k] for k in order], A | B, 2, e2, {1: "a2", 2: "b1"}, day=2, changes=changes
    )
    hidden, steps["e2"] = protect(e2, published=[*published, b_ahead], posts=A | B)
    return steps, published


def _told_since(order):
    """A recalculated once (v2, state a1); on day 2 the employer's v2 is told what A's
    late entry in Y changed by A's bilan computed that day (reporting.secrecy.changes,
    a2 -> a1): A's states a0 and a2 are related only through a1."""
    a2, a3 = _bilan(*A_STATES["a2"]), _bilan(*A_STATES["a3"])
    told = [(1, "a2", "a1", differ(layout(a3), layout(a2)))]
    return _a_recalculated([(2, "a2", "a1", 1)], order, told)


@pytest.mark.no_db
@pytest.mark.parametrize("order", [("a1", "e1", "a2"), ("e1", "a2", "a1")])
def test_cancelling_changes_when_a_post_changed_twice_told_by_its_bilan_of_today(order):
    """B's change between the employer's versions took A's own change for the exact pair
    of A's states those versions were computed from (a0, a2); A's own bilans tell a0 ->
    a1 (its versions: X, W) and a1 -> a2 (its bilan of today: Y), no a0 -> a2: B's X was
    taken as unchanged, and A's a0 -> a2 edge (the employer's difference: no X) shared A
    v1's X 5 with the reference's, which A v2 says is 4: the program was infeasible and
    the employer's v2 refused (failed before). A's change is now read along its states."""
    steps, _ = _told_since(order)
    assert steps == {"a1": [], "e1": [], "a2": [], "e2": []}, steps


def _three_versions_of_a(order):
    """A recalculated twice (v2 after the correction of X, v3 after the late entry in
    Y): A's states a0 and a2 are related by A's own versions only through a1."""
    steps, _ = _a_recalculated([(2, "a2", "a1", 1), (3, "a3", "a2", 2)], order)
    return steps


@pytest.mark.no_db
@pytest.mark.parametrize("order", [("a1", "e1", "a2", "a3"), ("e1", "a3", "a2", "a1")])
def test_cancelling_changes_when_a_post_changed_twice_between_the_employers_versions(order):
    """A's own versions tell a0 -> a1 (X) and a1 -> a2 (Y), the employer's versions were
    computed from a0 and a2: B's change between them includes A's along its states (the
    control of the test above: A recalculated a third time)."""
    steps = _three_versions_of_a(order)
    assert steps == {"a1": [], "e1": [], "a2": [], "a3": [], "e2": []}, steps


@pytest.mark.no_db
def test_bs_x_that_changed_is_set_apart_when_as_change_is_told_through_a_path():
    """Why: in the employer's v1 (B's state b0, A's a0), B's X 3 is B's X of day 0, not
    the reference's 4; A's X of a0 (5) not the reference's (4) (failed before)."""
    _, published = _told_since(("a1", "e1", "a2"))
    _a1, e1, _a2 = published
    x = {q for q, _ in e1.lay.cells.values() if q[1] == "commune" and q[2] == "X (01001)"}
    (current_x,) = [q for q in x if q[0] == e1.lay.periods["current"]]
    assert current_x in e1.renamed[1][0], "A's X of a0 shared with the reference"
    assert current_x in e1.renamed[2][0], "B's X of b0 shared with the reference"


def _cell(pub, label):
    current = pub.lay.periods["current"]
    ((cell,),) = [
        [c for c, (q, _) in pub.lay.cells.items() if q == (current, "commune", label, "count")]
    ]
    return cell


def _unchanged_y_of_a():
    """A v1 (a0) shows Y 5; day 1, one of A's people entered late in W (A v2, a1, which
    masks Y and W besides: a bilan may mask more than it needs) and one of B's in Y (B:
    Y 1 -> 2); the employer's v2 (a1, b1) with Y shown. (held, the employer's v2)."""
    a1, a2 = (3, 5, 8, 130, 9), (3, 5, 8, 131, 9)
    b1, b2 = (4, 1, 6, 4, 7), (4, 2, 6, 4, 7)
    post_a1, post_a2 = _bilan(*a1), _bilan(*a2)
    e1 = _bilan(*(x + y for x, y in zip(a1, b1, strict=True)))
    e2 = _bilan(*(x + y for x, y in zip(a2, b2, strict=True)))
    b_ahead = Publication(_bilan(*b2), set(), posts=B, anticipated=True)
    hidden, found = protect(post_a1, published=[b_ahead], posts=A)
    assert found == []
    pub_a1 = Publication(post_a1, hidden, posts=A)
    assert _cell(pub_a1, "Y (01002)") not in hidden
    hidden, found = protect(e1, published=[pub_a1, b_ahead], posts=A | B)
    assert found == []
    pub_e1 = Publication(e1, hidden, posts=A | B)
    a1_r, e1_r = _report(A, 1, {1: "a0"}, day=0), _report(A | B, 1, {1: "a0", 2: "b0"}, day=0)
    published = _held([(a1_r, pub_a1), (e1_r, pub_e1)], A, 2, post_a2, {1: "a1"}, day=1)
    hidden, found = protect(post_a2, published=[*published, b_ahead], posts=A)
    assert found == []
    pub_a2 = Publication(post_a2, set(hidden), posts=A)
    pub_a2.hidden |= {_cell(pub_a2, "Y (01002)"), _cell(pub_a2, "W (01004)")}
    a2_r = _report(A, 2, {1: "a1"}, day=1)
    pairs = [(a1_r, pub_a1), (e1_r, pub_e1), (a2_r, pub_a2)]
    published = _held(pairs, A | B, 2, e2, {1: "a1", 2: "b1"}, day=1)
    hidden, found = protect(e2, published=[*published, b_ahead], posts=A | B)
    assert found == []
    shown = Publication(e2, set(hidden) - {_cell(Publication(e2, set()), "Y (01002)")}, posts=A | B)
    return [*published, b_ahead], shown


@pytest.mark.no_db
def test_a_posts_unchanged_count_is_not_set_apart_by_its_siblings_change():
    """A's own versions say A's Y did not change (5 in both); the employer's versions,
    where A and B both changed, added their whole difference (Y: B's change) to A's
    a0 -> a1 edge, the same pair: A v1's Y was set apart from A's Y of the reference
    (failed before). A post whose own bilans tell its change takes nothing else."""
    held, _ = _unchanged_y_of_a()
    a1, e1, a2, _b = held
    y = a1.lay.cells[_cell(a1, "Y (01002)")][0]
    assert y not in a1.renamed[1][0], "A's Y, unchanged in A's versions, set apart"


@pytest.mark.no_db
def test_the_employers_y_shown_gives_bs_y_away():
    """The employer's v2 with Y shown (7): its reader, with A v1's Y 5 and A v2 (Y
    unchanged), takes 7 - 5 = B's Y of day 1: 2. The audit found nothing (failed before;
    protect happened to mask Y there by its choice of complements)."""
    held, shown = _unchanged_y_of_a()
    assert audit([shown, *held]) != []
