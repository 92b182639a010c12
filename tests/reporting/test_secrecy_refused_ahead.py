"""A post's bilan to come that the bilans sent give away is anticipated as refused: it
will list no row, and its counts that the bilans sent do not give away are still
protected from what later bilans show.

Reproduced first: a post's third quarter (3 physical interviews, 8 phone ones) and July
(2 and 4) sent; August to come (1 and 1) given away by them (its physical interviews at
most 3 - 2 = 1, and listed). September (3 phone interviews) was protected without August
and showed its 3: August's phone interviews were 8 - 4 - 3 = 1 (failed before)."""

import pytest

from reporting.secrecy import Publication, audit, protect
from reporting.secrecy.ahead import as_refused
from tests.reporting.test_secrecy_timeline import AUG, JUL, Q3, SEP, _figures

PHYSICAL, PHONE = 0, 1
POST = frozenset({1})


def _sent():
    return [
        Publication(_figures(Q3, [3, 8, 0]), hidden=set(), posts=POST),
        Publication(_figures(JUL, [2, 4, 0]), hidden=set(), posts=POST),
    ]


def _august():
    return Publication(_figures(AUG, [1, 1, 0]), hidden=set(), posts=POST, anticipated=True)


@pytest.mark.no_db
def test_a_month_given_away_keeps_its_other_counts_protected():
    september = _figures(SEP, [0, 3, 0])
    foregone = []

    hidden, findings = protect(
        september, published=[*_sent(), _august()], posts=POST, foregone=foregone
    )

    assert findings == []
    # August's physical interviews, given away by the bilans sent: reported, not protected.
    assert {(f.publication, f.cell) for f in foregone} == {(3, ("actes", PHYSICAL, 0))}
    # September's 3 phone interviews (its only row) and its total are masked: shown,
    # they gave August's 1 phone interview.
    assert {("actes", 0, 0), ("actes", -1, 0)} <= hidden
    me = Publication(september, hidden=hidden, posts=POST)
    refused = as_refused(_august())
    found = audit([me, *_sent(), refused])
    assert {(f.publication, f.cell) for f in found} == {(3, ("actes", PHYSICAL, 0))}


@pytest.mark.no_db
def test_a_bilan_anticipated_as_refused_lists_no_row_and_foregoes_what_is_given_away():
    """Passed on by a bilan sent (``left_out_ahead``), August is anticipated as refused:
    September is protected with it, its physical interviews foregone."""
    september = _figures(SEP, [0, 3, 0])
    refused = as_refused(_august())
    assert refused.refused and refused.withheld == {"actes"} and not refused.lay.statements
    foregone = []

    hidden, findings = protect(
        september, published=[*_sent(), refused], posts=POST, foregone=foregone
    )

    assert findings == []
    assert {("actes", 0, 0), ("actes", -1, 0)} <= hidden
    assert [(f.publication, f.cell) for f in foregone] == [(3, ("actes", PHYSICAL, 0))]


@pytest.mark.no_db
def test_a_count_the_bilan_protected_narrows_is_not_foregone():
    """Found by review (failed before): the quarter (5 physical interviews, 8 phone ones)
    and July (2 and 4) sent; August to come (1 and 1) anticipated as refused; September
    (2 and 3) protected. The bilans sent alone leave August's physical interviews 0 to 3;
    September's listed row (at least 1) leaves them at most 2. Foregone as given away by
    the bilans sent, they were left unprotected and September was published."""
    sent = [
        Publication(_figures(Q3, [5, 8, 0]), hidden=set(), posts=POST),
        Publication(_figures(JUL, [2, 4, 0]), hidden=set(), posts=POST),
    ]
    refused = as_refused(_august())
    assert audit([*sent, refused]) == []
    september = _figures(SEP, [2, 3, 0])
    foregone = []

    hidden, findings = protect(september, published=[*sent, refused], posts=POST, foregone=foregone)

    assert foregone == []
    me = Publication(september, hidden=hidden, posts=POST)
    assert findings or audit([me, *sent, refused]) == []
