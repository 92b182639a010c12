"""Nested scopes: what a recipient of an employer's bilan and of some of its posts'
bilans can compute by subtraction about the posts that have no bilan of their own (or
whose bilan comes later). Posts A (5 people in commune Z) and B (2 people in Z), the
employer 7: the employer's 7 and post A's 5 say that post B has 2 there."""

import pytest

from reporting.secrecy import Publication, audit, intervals, protect
from reporting.secrecy.audit import GROUP
from reporting.secrecy.reports import _where
from tests.reporting.test_secrecy_attacks import communes, figures

pytestmark = pytest.mark.no_db

A, B = 1, 2
EMPLOYER = figures(communes([("X (01001)", [10, 0]), ("Z (01003)", [7, 0])]))
POST_A = figures(communes([("X (01001)", [6, 0]), ("Z (01003)", [5, 0])]))
POST_B = figures(communes([("X (01001)", [4, 0]), ("Z (01003)", [2, 0])]))
Z = ("commune", 1, 0)


def test_the_employer_and_one_post_give_the_other_post_away():
    employer = Publication(EMPLOYER, protect(EMPLOYER)[0], posts=frozenset({A, B}))
    assert employer.hidden == set()  # no count below 3 in the employer's bilan
    # Post A protected as before (only its own cells below 3 count): nothing masked,
    # and 7 − 5 = 2 people of post B in Z.
    alone = Publication(POST_A, protect(POST_A)[0], posts=frozenset({A}))
    assert alone.hidden == set()
    findings = audit([employer, alone])
    assert [(f.publication, f.cell[1:3], f.value, f.high) for f in findings] == [
        (GROUP, ("commune", "Z (01003)"), 2, 2)
    ]
    # Protected jointly, post A's bilan leaves post B's count in Z between 0 and 3 or more.
    hidden, findings = protect(POST_A, published=[employer], posts=frozenset({A}))
    assert findings == []
    assert Z in hidden
    post_a = Publication(POST_A, hidden, posts=frozenset({A}))
    assert audit([employer, post_a]) == []


def test_the_sibling_published_last_is_protected_with_both():
    employer = Publication(EMPLOYER, protect(EMPLOYER)[0], posts=frozenset({A, B}))
    hidden, _ = protect(POST_A, published=[employer], posts=frozenset({A}))
    post_a = Publication(POST_A, hidden, posts=frozenset({A}))
    hidden, findings = protect(POST_B, published=[employer, post_a], posts=frozenset({B}))
    assert findings == []
    post_b = Publication(POST_B, hidden, posts=frozenset({B}))
    assert audit([employer, post_a, post_b]) == []
    # Every count of 1 or 2, in any bilan, can be 3 or more for the reader.
    for (i, cell), (_low, high) in intervals([post_b, employer, post_a]).items():
        value = [post_b, employer, post_a][i].lay.cells[cell][1]
        if 0 < value < 3:
            assert high >= 3, (i, cell)


def test_a_count_of_posts_without_a_bilan_is_named_with_its_period_in_the_audit():
    employer = Publication(EMPLOYER, set(), posts=frozenset({A, B}))
    findings = audit([employer, Publication(POST_A, set(), posts=frozenset({A}))])
    assert [_where(f, related=[]) for f in findings] == [
        ["postes sans bilan", "2026-01-01", "2026-03-31", "commune", "Z (01003)", "count"]
    ]


def test_a_bilan_is_not_refused_for_the_post_bilans_to_come_that_the_others_give_away():
    """The employer's bilan shows its 3 people in Z; posts A and B, whose bilans are not
    made yet, each list Z: each has 1 or 2 people there, given away whatever is masked
    now, and their bilans will be refused as they stand. A bilan of both posts made
    meanwhile (the département's) changes nothing there, masked whole or not: it was
    refused for them (a quarter made after its year, refused for its posts' bilans to
    come: bench year_late). It is protected with the others, and records what the
    bilans to come give away: A's, anticipated as refused, leaves B's Z room."""
    employer = figures(communes([("X (01001)", [10, 0]), ("Z (01003)", [3, 0])]))
    post_a = figures(communes([("X (01001)", [6, 0]), ("Z (01003)", [1, 0])]))
    post_b = figures(communes([("X (01001)", [4, 0]), ("Z (01003)", [2, 0])]))
    ahead = [
        Publication(post_a, set(), posts=frozenset({A}), anticipated=True),
        Publication(post_b, set(), posts=frozenset({B}), anticipated=True),
    ]
    published = [Publication(employer, set(), posts=frozenset({A, B})), *ahead]
    hidden, findings = protect(employer, published=published, posts=frozenset({A, B}))
    assert findings == []
    assert hidden == set()  # nothing below 3, nothing to hide
    foregone = []
    protect(employer, published=published, posts=frozenset({A, B}), foregone=foregone)
    # A's bilan, anticipated as refused (it will list no row), gives B's Z room up to 3:
    # only A's Z is given away (both were, A's and B's rows each listed).
    assert sorted((f.publication, f.cell, f.value) for f in foregone) == [(2, Z, 1)]
    # Post A's own bilan, made later as it stands, is refused: nothing of it is published.
    hidden, findings = protect(post_a, published=published[::2], posts=frozenset({A}))
    assert (0, Z) in [(f.publication, f.cell) for f in findings]
    assert hidden == set(Publication(post_a, set()).lay.cells)
