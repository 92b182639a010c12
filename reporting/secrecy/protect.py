"""Secondary cell suppression: mask more cells until the audit finds nothing to narrow.

Primary cells are the counts of 1 or 2. The protection then works in two passes, as the
heuristics of τ-Argus and sdcTable do:

1. a local pass over every equation a reader knows (``layout``): in each, a masked
   count of 1 or 2 must be able to move up to the threshold while the equation still
   holds, which needs enough masked value beside it (or its total masked); when it does not,
   the cheapest shown cell of the equation is masked (the smallest count that is large
   enough, so that little information is lost), and the pass repeats;
2. the audit (linear programming over everything the recipient receives): each cell it
   can still narrow gets more cells masked near it, and the audit runs again. In a table
   whose rows and columns both add up (saisines by unit: direct + indirect = total, each
   column with its total), a masked cell moves only if another row moves the other way
   in the same columns: the cheapest such row is masked in those columns (the hypercube
   method of τ-Argus, in two dimensions). Elsewhere, one cell: the same quantity
   elsewhere, else the cells tied to it by an equation, widening step by step.

Deterministic (cells are visited in a fixed order), it only ever adds masks, and it ends:
each round masks at least one more cell, and with every cell of the bilan masked it
publishes nothing that could narrow anything.
"""

import dataclasses
import math

from reporting.secrecy.ahead import as_refused, forego_given_away, given_away_ahead
from reporting.secrecy.audit import GROUP, INCONSISTENT, Finding, Publication, audit
from reporting.secrecy.deadline import check
from reporting.secrecy.layout import THRESHOLD, TOTAL, Layout, tables_of
from reporting.secrecy.masked_first import left_to_one_post, masked_in_periods_inside
from reporting.secrecy.solver import HIGH
from reporting.secrecy.timeline import nested
from reporting.secrecy.withholding import tables_to_withhold

MAX_ROUNDS = 200
# Rounds in a row with the same findings after which a bilan protected without the
# bilans not made yet that others give away is refused as it was with them.
STALLED_ROUNDS = 3


def _equations(lay: Layout) -> list[list[tuple]]:
    """The equations of the bilan as [(cell, coefficient)] lists."""
    where = {quantity: cell for cell, (quantity, _) in lay.cells.items()}
    return [
        [(where[q], c) for q, c in terms if q in where]
        for terms, sense, _ in lay.identities
        if sense == "eq"
    ]


def _cost(value: int, needed: float, cell) -> tuple:
    """The cheapest cell to mask: a count large enough to cover what is missing, the
    smallest such; failing that, the largest."""
    return (0, value, cell) if value >= needed else (1, -value, cell)


def _local_pass(lay: Layout, hidden: set, equations) -> set:
    hidden = set(hidden)
    value = {cell: v for cell, (_, v) in lay.cells.items()}
    changed = True
    while changed:
        changed = False
        for equation in equations:
            while _fix_equation(equation, hidden, value):
                changed = True
    return hidden


def _fix_equation(equation, hidden: set, value: dict) -> bool:
    """Masks one more cell of the equation if a masked count of 1 or 2 in it cannot
    reach the threshold; whether it did."""
    masked_sum = {True: 0, False: 0}  # masked value on each side of the equation
    masked_any = {True: False, False: False}
    for cell, coef in equation:
        if cell in hidden:
            masked_sum[coef > 0] += value[cell]
            masked_any[coef > 0] = True
    for cell, coef in equation:
        v = value[cell]
        if cell not in hidden or not 0 < v < THRESHOLD:
            continue
        side = coef > 0
        # Up by moving mass from a masked cell beside it, or with a masked total.
        up = masked_sum[side] - v + (math.inf if masked_any[not side] else 0)
        needed = HIGH - v
        if up >= needed:
            continue
        same = [(c, value[c]) for c, k in equation if (k > 0) == side and c not in hidden]
        other = [(c, value[c]) for c, k in equation if (k > 0) != side and c not in hidden]
        # Mass to move into the cell: a count beside it, else its total.
        pool = [(_cost(w, needed - up, c), c) for c, w in same if w > 0]
        pool = pool or [((w, c), c) for c, w in other]
        if pool:
            hidden.add(min(pool)[1])
            return True
    return False


def _near(lay: Layout, seeds: set, hidden: set, equations, needed: float):
    """The cheapest shown cell in the nearest ring of equations around ``seeds``."""
    ring, seen = set(seeds), set(seeds)
    value = {cell: v for cell, (_, v) in lay.cells.items()}
    while ring:
        touching = [e for e in equations if any(c in ring for c, _ in e)]
        nxt = {c for e in touching for c, _ in e} - seen
        shown = sorted(c for c in nxt | ring if c not in hidden)
        if shown:
            return min(shown, key=lambda c: _cost(value[c], needed, c))
        seen |= nxt
        ring = nxt
    return None


def _partner_row(lay: Layout, cell, hidden: set, summed: set) -> set:
    """The cells of the cheapest other row to mask in the columns ``cell``'s row masks,
    each large enough to give or take what the protected cell may move (empty if none)."""
    table, row, _ = cell
    if table not in summed or row == TOTAL:
        return set()
    columns = sorted(c for (t, r, c) in hidden if t == table and r == row)
    if len(columns) < 2:
        return set()
    best, chosen = None, set()
    rows = {r for (t, r, _) in lay.cells if t == table and r not in (row, TOTAL)}
    for other in sorted(rows):
        cells = [(table, other, c) for c in columns]
        if any(c not in lay.cells or lay.cells[c][1] < THRESHOLD for c in cells):
            continue
        new = [c for c in cells if c not in hidden]
        cost = (sum(lay.cells[c][1] for c in new), len(new), other)
        if best is None or cost < best:
            best, chosen = cost, set(new)
    return chosen


def _candidate(lay: Layout, finding: Finding, me: Publication, others, hidden, equations):
    needed = max(HIGH - finding.high, 1) if math.isfinite(finding.high) else 1
    # The shown figures in the constraints that bound the cell (from the program's
    # dual values): a count rather than a zero (a zero bounds a cell only through a
    # row that exists), tied to the fewest equations, the smallest.
    quantities = {quantity for _, quantity in finding.blockers}
    degree = {}
    for equation in equations:
        for cell, _ in equation:
            degree[cell] = degree.get(cell, 0) + 1
    blocking = [
        (v == 0, degree.get(cell, 0), v, cell)
        for cell, (q, v) in lay.cells.items()
        if q in quantities and cell not in hidden
    ]
    if blocking:
        return min(blocking)[3]
    if finding.publication == 0:
        seeds = {finding.cell}
    else:
        if finding.publication == GROUP:  # posts without a bilan of their own
            quantity = finding.cell
        else:
            quantity = others[finding.publication - 1].lay.cells[finding.cell][0]
        seeds = {cell for cell, (q, _) in lay.cells.items() if q == quantity}
        if not seeds:
            # Not in this bilan: its row in this bilan's periods inside or around the
            # cell's (a post's year narrowed by the département's quarter: its commune
            # in the quarter and the quarter before), whose bound the program's dual
            # values do not name when it comes from rows listed in bilans not made yet.
            period, key, label, measure = quantity
            seeds = {
                cell
                for cell, ((p, k, lb, m), _) in lay.cells.items()
                if (k, lb, m) == (key, label, measure) and nested(p, period)
            }
        mine = sorted(c for c in seeds if c not in hidden)
        if mine:
            return mine[0]
        if not seeds:  # not in this bilan: the cells of the same table
            seeds = {cell for cell in lay.cells if cell[0] == finding.cell[0]}
    return _near(lay, seeds, hidden, equations, needed)


def _foregone(published, deadline) -> tuple[list, list]:
    """``ahead.forego_given_away`` of the bilans sent and to come, its findings numbered
    as in [this bilan, *published]."""
    published, given = forego_given_away(published, deadline)
    return published, [dataclasses.replace(f, publication=f.publication + 1) for f in given]


def _settled(published, given_away, foregone, refused) -> None:
    """What a protection that passed tells of the bilans not made yet: the cells the
    bilans sent give away (``foregone``), the bilans anticipated as refused (``refused``:
    their positions in ``published``)."""
    if foregone is not None:
        foregone += given_away
    if refused is not None:
        refused += [i for i, p in enumerate(published) if p.refused]


def protect(
    figures: dict,
    *,
    published: list[Publication] = (),
    posts=None,
    foregone=None,
    refused=None,
    leave_out=True,
    withheld=None,
    withhold=frozenset(),
    deadline=None,
) -> tuple[set, list[Finding]]:
    """The cells to mask in ``figures`` so that, with the ``published`` bilans the same
    recipients receive (their masks fixed), the audit finds no protected cell a reader
    can narrow; and what it still finds (empty unless the published bilans alone give
    a cell away). ``foregone``: a list that receives the findings in the bilans not
    made yet that the others give away without this one (``ahead.given_away_ahead``):
    those bilans are anticipated as refused (``ahead.as_refused``), their cells given
    away left out of this one's protection (unless ``leave_out`` is False: refused for
    them); ``refused``: a list that receives the positions of those bilans.
    ``withheld``: a list that receives the tables withheld when this bilan's own rows
    give cells away with the others (``withholding``, with ``leave_out`` only); None:
    refused for them.
    ``withhold``: the tables masked whole, their rows not listed.
    ``deadline``: a ``time.monotonic()`` after which ``OutOfTime`` is raised, checked
    between audits (a request's protection must end before its worker is killed)."""
    me = Publication(figures, hidden=set(), posts=posts, withheld=withhold)
    lay = me.lay
    hidden = {cell for cell, (_, v) in lay.cells.items() if 0 < v < THRESHOLD} | me.hidden
    # A figure masked in a bilan of the same posts is masked here too, and so is one
    # masked in only one of the bilans of some of these posts: shown here, it would give
    # the masked one by subtraction of the others (masked in two, they may share it).
    masked_in: dict = {}
    for other in published:
        if other.anticipated:  # masked whole: only its rows are known
            continue
        # Not a count of another data state: another count, masked or not.
        masked = {other.lay.cells[c][0] for c in other.hidden if c in other.lay.cells}
        masked -= other.apart()
        if other.posts is None or posts is None or other.posts == posts:
            hidden |= {cell for cell, (q, _) in lay.cells.items() if q in masked}
        elif other.posts < posts:
            for quantity in masked:
                masked_in[quantity] = masked_in.get(quantity, 0) + 1
    hidden |= {cell for cell, (q, _) in lay.cells.items() if masked_in.get(q) == 1}
    hidden |= masked_in_periods_inside(lay, published, posts)
    hidden |= left_to_one_post(lay, hidden, published, posts)
    equations = _equations(lay)
    # Tables whose rows add up (a column is the sum of others) and that have a total row.
    summed = {key for key, t in tables_of(figures).items() if t.get("sums") and t.get("total")}
    everything = set(lay.cells)
    given_away = []  # findings in the bilans not made yet that will be refused
    if published:
        # What the bilans already sent give away with this one masked whole (its rows
        # still listed), no mask of this one can hide: masked whole, reported at once;
        # unless what they give away, without this one too, are cells of bilans not
        # made yet: those will be refused (they publish nothing unless their own audit
        # passes), and this one is protected with the others, and with the counts of
        # those bilans the others do not give away (``ahead.as_refused``).
        me.hidden = everything
        if any(p.refused for p in published):
            published, given_away = _foregone(published, deadline)
        findings = audit([me, *published])
        check(deadline)
        if findings and leave_out and any(p.anticipated for p in published):
            # The fewest bilans refused first; if this one, its rows listed, still
            # leaves cells found with the others, every bilan not made yet found.
            found, trial, given = findings, published, given_away
            for doomed in given_away_ahead(published):
                trial = [as_refused(p) if i in doomed else p for i, p in enumerate(published)]
                trial, more = _foregone(trial, deadline)
                given = given_away + more
                found = audit([me, *trial])
                if not found:
                    break
            findings, published, given_away = found, trial, given
        # Not in a request (leave_out): up to seven audits and a protection more.
        if findings and leave_out and withheld is not None and findings[0].blockers != INCONSISTENT:
            tables = tables_to_withhold(figures, published, posts)
            if tables:
                inner, found = protect(
                    figures,
                    published=published,
                    posts=posts,
                    leave_out=False,
                    withhold=tables,
                    deadline=deadline,
                )
                if not found:
                    withheld += sorted(tables)
                    _settled(published, given_away, foregone, refused)
                    return inner, []
        if findings:
            return everything, findings
    last, stalled = None, 0
    for _ in range(MAX_ROUNDS):
        hidden = _local_pass(lay, hidden, equations)
        me.hidden = hidden
        findings = audit([me, *published])
        check(deadline)
        if not findings:
            _settled(published, given_away, foregone, refused)
            return hidden, []
        if findings[0].blockers == INCONSISTENT:  # no mask makes it add up
            return everything, findings
        if given_away:
            # With bilans to come refused, the masks each round adds may change nothing
            # the audit finds, round after round (the département's fourth quarter made
            # after the annual bilans: 30 rounds of 11 s): refused as it is.
            found = {(f.publication, f.cell, f.high) for f in findings}
            stalled = stalled + 1 if found == last else 0
            if stalled == STALLED_ROUNDS:
                break
            last = found
        added = set()
        for finding in sorted(findings, key=lambda f: (f.publication, repr(f.cell))):
            partner = set()
            if finding.publication == 0:
                partner = _partner_row(lay, finding.cell, hidden | added, summed)
            if partner:
                added |= partner
                continue
            cell = _candidate(lay, finding, me, published, hidden | added, equations)
            if cell is not None:
                added.add(cell)
        if not added:
            break
        hidden |= added
    if hidden != everything:
        # The tables of the cells found masked whole, before every table: masked whole,
        # the bilan passes with the bilans published (checked above with some refused).
        me.hidden = hidden | {
            c
            for c in everything
            if c[0] in {f.cell[1 if f.publication == GROUP else 0] for f in findings}
        }
        findings = audit([me, *published])
        if findings:
            me.hidden = everything
            findings = audit([me, *published])
        hidden = me.hidden
    if not findings:
        _settled(published, given_away, foregone, refused)
    return hidden, findings
