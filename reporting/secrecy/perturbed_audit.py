"""The audit of the live statistics' perturbed figures, and the cells it masks.

Each count is perturbed by its own cell key (reporting.secrecy.perturbation), so a
published table need not add up, and the published counts together bound the true ones
more than each alone: a row read 3 (1 to 5 in truth) under a total read 0 (0 to 2) is
at most 2, and the total at least 1; both are 1 or 2 (the demo's posts, last quarter,
2026-12-06: 2 to 4 such cells in three posts of four).

The audit solves what a reader can: the true counts are unknowns tied by the tables'
identities (reporting.secrecy.layout), each bounded by what it reads (0: 0 to 2; 3: 1 to
5; 4: 2 to 6; 5: 4 to 7; p: p ± 2 from 7; a table masked whole: nothing; a row left out:
0 to 2). A true count of 1 or 2 is protected when it may be 0 or 3 and more. A table
holding a cell it finds is masked whole, its rows unlisted (masking the cells found alone
would point at them: each is a 1 or a 2), until none is left; as a last resort, every
table.

Answers are audited one at a time. Two answers of nested periods confine together what
neither does alone (``narrowed_together`` reads several): the live statistics answer
ended quarters only (reporting.live.perturbed_period_problem). A post's answer beside
its employer's perturbed by its own keys confined counts too: a scope of several posts
shows the sums of its posts' answers (reporting.secrecy.perturbation.sum_of_posts).
"""

from functools import cache

from reporting.secrecy.audit import GROUP, Publication, build
from reporting.secrecy.layout import (
    TOTAL,
    is_count,
    layout,
    row_keys,
    tables_of,
)
from reporting.secrecy.perturbation import (
    MAX_DEVIATION,
    WITHHELD,
    cells_by_label,
    transitions,
    withhold,
)
from reporting.secrecy.solver import EPSILON, HIGH, Infeasible, Solver

ROUNDS = 4


@cache
def read_bounds(published: int) -> tuple[int, int]:
    """The least and greatest true counts that may read ``published``, from the
    perturbation's own moves (5 reads from 4 to 7: a 3 moves to 3 or 4 only)."""
    reach = range(max(0, published - MAX_DEVIATION - 2), published + MAX_DEVIATION + 1)
    possible = [true for true in reach if any(p == published for p, _ in transitions(true))]
    if not possible:  # never published (a 1 or a 2): taken as exact, the stricter audit
        return published, published
    return min(possible), max(possible)


def _names(figures: dict, lay) -> dict:
    """{layout cell: (table key, row label or TOTAL, column)}."""
    labels = {key: row_keys(table) for key, table in tables_of(figures).items()}
    return {
        cell: (cell[0], TOTAL if cell[1] == TOTAL else labels[cell[0]][cell[1]], cell[2])
        for cell in lay.cells
    }


def _publication(true: dict, shown: dict) -> tuple[Publication, dict]:
    """The reader's knowledge of one answer, and the names of its cells."""
    lay = layout(true)
    names = _names(true, lay)
    read = cells_by_label(shown)
    left_out = {
        lay.cells[c][0] for c, name in names.items() if name[1] != TOTAL and name not in read
    }
    # A row left out is not known to exist: its « counted someone » is not the reader's.
    lay.statements = [
        s for s in lay.statements if not any(quantity in left_out for quantity, _ in s[0])
    ]
    withheld = {key for key, table in tables_of(shown).items() if table.get(WITHHELD)}
    known = []
    for cell, name in names.items():
        value = read.get(name, 0)
        if name[0] not in withheld and is_count(value):
            low, high = read_bounds(value)
            known += [([(cell, 1)], "ge", low), ([(cell, 1)], "le", high)]
    return Publication(true, hidden=set(lay.cells), lay=lay, known=known), names


def narrowed(true: dict, shown: dict) -> set:
    """(table key, row label or TOTAL, column) of the true counts of 1 or 2 that the
    shown figures confine to 1 or 2."""
    return {name for _, name in narrowed_together([(true, shown)])}


def narrowed_together(answers: list[tuple[dict, dict]], posts: list | None = None) -> set:
    """(answer's index, (table key, row label or TOTAL, column)) of the true counts of 1
    or 2 that the shown figures of ``answers`` ((true, shown)), read together, confine to
    1 or 2: a period's counts are tied to those of the periods nested in it
    (reporting.secrecy.timeline), and one period's counts read in two answers (its own,
    and the next one's previous period) are one quantity. ``posts``: the post ids of each
    answer's scope (an employer's, and each of its posts'), when they are not one scope:
    a scope's counts are the sums of its posts' (reporting.secrecy.audit), and a group of
    posts no answer covers alone is named (GROUP, its quantity)."""
    publications, names = zip(*(_publication(true, shown) for true, shown in answers), strict=True)
    for publication, scope in zip(publications, posts, strict=True) if posts else ():
        publication.posts = frozenset(scope)
    system = build(list(publications))
    targets = [t for t in system.targets if t.primary]

    def name(target):
        if target.publication == GROUP:
            return target.cell
        return names[target.publication][target.cell]

    try:
        solver = Solver(system)
        solver.certify([t.expression for t in targets])  # one program: all up to 3
        # One more: those not yet seen at 3 all down together, most of them to 0.
        down = {}
        for target in targets:
            if not solver.witnessed(target.expression):
                for variable, coef in solver.reduce(target.expression)[1].items():
                    down[variable] = down.get(variable, 0) + coef
        if down:
            solver.optimum(down, maximise=False)
        return {(t.publication, name(t)) for t in targets if not _protected(solver, t.expression)}
    except Infeasible:
        return {(t.publication, name(t)) for t in targets}


def _protected(solver: Solver, expression: dict) -> bool:
    if solver.witnessed(expression):
        return True
    constant, free = solver.reduce(expression)
    if not free:
        return False
    if constant + solver.seen(free)[0] <= EPSILON:  # seen at 0
        return True
    if constant + solver.optimum(free, maximise=True)[0] >= HIGH - EPSILON:
        return True
    return constant + solver.optimum(free, maximise=False)[0] <= EPSILON


def protect_perturbed(true: dict, shown: dict) -> int:
    """Masks in ``shown`` what the audit finds until it finds nothing; the number of
    cells found."""
    found_all = set()
    for _ in range(ROUNDS):
        found = narrowed(true, shown)
        if not found:
            return len(found_all)
        found_all |= found
        for key, table in tables_of(shown).items():
            if any(name[0] == key for name in found):
                withhold(table)
    if narrowed(true, shown):
        for table in tables_of(shown).values():
            withhold(table)
    return len(found_all)
