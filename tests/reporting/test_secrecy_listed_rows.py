"""An employer's bilan protected with its posts' bilans counted ahead (masked whole, their
rows listed): a commune the employer counts 4 times and three of its posts list (one
person each at least) leaves each of those posts at most 2 there. The employer's count
is masked from the start; found by the audit instead, each such commune took a linear
program of its own (an employer's annual bilan on the national base, 2026-12-06: 554
communes, 25 s of 35 s; another employer 2,489 programs, more than 4 minutes, in the
request that makes the bilan)."""

from unittest import mock

import pytest

from reporting.secrecy import Publication, audit, protect
from reporting.secrecy.layout import PERIOD_ROWS
from reporting.secrecy.solver import Solver
from tests.reporting.test_secrecy_attacks import communes, figures

pytestmark = pytest.mark.no_db

POSTS = (1, 2, 3, 4)
SPREAD = 40  # communes where three posts have 1, 1 and 2 people


def _communes(counts_of_post, bourg=40):
    rows = [(f"C{i} ({1000 + i:05d})", [counts_of_post(i), 0]) for i in range(SPREAD)]
    rows.append(("Bourg-en-Bresse (01053)", [bourg, 0]))
    # As every bilan lists them now (continuity): the rows counted in its own period.
    return {
        **figures(communes([(label, values) for label, values in rows if values[0]])),
        "rows": PERIOD_ROWS,
    }


def _post(post, fourth):
    def count(i):
        # Posts 1 to 3 share each commune (1, 1, 2 in turn); post 4 has ``fourth`` there.
        return fourth if post == 4 else (1, 1, 2)[(i + post) % 3]

    return _communes(count)


EMPLOYER = _communes(lambda i: 4, bourg=160)  # the four posts' 40 in Bourg-en-Bresse


def _ahead(fourth=0):
    return [
        Publication(_post(post, fourth), set(), posts=frozenset({post}), anticipated=True)
        for post in POSTS
    ]


def test_a_count_the_posts_listing_it_leave_below_three_is_masked_without_a_program_each():
    programs = []
    solve = Solver._solve

    def counted(self, *args, **kwargs):
        programs.append(1)
        return solve(self, *args, **kwargs)

    ahead = _ahead()
    with mock.patch.object(Solver, "_solve", counted):
        hidden, findings = protect(EMPLOYER, published=ahead, posts=frozenset(POSTS))
    assert findings == []
    # Every commune of the forty (4, shown, would give a post's 1 or 2 away: 4 - 1 - 1).
    assert {("commune", row, 0) for row in range(SPREAD)} <= hidden
    # A few programs per audit, not one per commune.
    assert len(programs) < 10, len(programs)
    employer = Publication(EMPLOYER, hidden, posts=frozenset(POSTS))
    assert audit([employer, *ahead]) == []


def test_a_count_large_enough_for_every_post_listing_it_stays_shown():
    # Post 4 has 5 people in each commune too: 9 - 1 - 1 - 1 leaves each post 6 or less.
    employer = _communes(lambda i: 9, bourg=160)
    hidden, findings = protect(employer, published=_ahead(fourth=5), posts=frozenset(POSTS))
    assert findings == []
    assert hidden == set()
