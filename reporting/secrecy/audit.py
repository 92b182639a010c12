"""The audit: what a reader can compute about each masked cell from all they receive.

The reader's knowledge is a system of linear constraints over non-negative unknowns:
every published cell (a sum over the posts of its bilan's scope), the identities that
hold for every post and the statements that hold for a bilan's scope (``layout``). The
unknowns are the counts of each *group of posts* (posts covered by exactly the same
published bilans): an employer's bilan and one of its posts' bilans are two groups, the
post and the employer's other posts, tied together by both bilans' figures.

The feasible interval of a masked cell is [min, max] of its expression under those
constraints, computed by linear programming (SciPy's ``linprog``, HiGHS). A cell counted
1 or 2 is protected when its interval reaches THRESHOLD: the reader can never conclude
that it is below 3, hence never learns its value. (Its lower bound may exceed 0: the
row of a commune listed says that someone lives there.)

The programs are solved by ``solver``.
"""

import math
from dataclasses import dataclass, field

from reporting.secrecy.layout import THRESHOLD, Layout, layout
from reporting.secrecy.solver import EPSILON, Solver


@dataclass
class Publication:
    """One bilan as a recipient receives it: its figures, the cells masked in it, and
    the posts of its scope (None: the same scope as every other publication audited)."""

    figures: dict
    hidden: set
    posts: frozenset | None = None
    lay: Layout | None = None
    # What else the reader knows about this bilan's cells: ([(cell, coef)], sense, rhs)
    # (an earlier display that said « < 3 », a share shown over masked counts).
    known: list = field(default_factory=list)

    def __post_init__(self):
        if self.lay is None:
            self.lay = layout(self.figures)


@dataclass
class Target:
    publication: int
    cell: tuple
    value: int
    expression: dict  # variable -> coefficient

    @property
    def primary(self) -> bool:
        return 0 < self.value < THRESHOLD


@dataclass
class Finding:
    """A protected cell the reader can narrow: its true value and feasible interval."""

    publication: int
    cell: tuple
    value: int
    low: float
    high: float
    blockers: tuple = ()  # (group, quantity) of shown figures that bound the interval


@dataclass
class System:
    variables: dict = field(default_factory=dict)  # (group, quantity) -> index
    rows: list = field(default_factory=list)  # ({index: coef}, sense, rhs)
    targets: list = field(default_factory=list)
    seen: set = field(default_factory=set)

    def var(self, key) -> int:
        return self.variables.setdefault(key, len(self.variables))

    def add(self, terms: dict, sense: str, rhs: float, key=None):
        if key is not None:
            if key in self.seen:
                return
            self.seen.add(key)
        self.rows.append((terms, sense, rhs))


def _groups(publications) -> list[list]:
    """For each publication, the groups of posts its scope is made of."""
    if len(publications) == 1 or any(p.posts is None for p in publications):
        return [["all"] for _ in publications]
    signatures = {}
    for post in set().union(*(p.posts for p in publications)):
        signature = frozenset(i for i, p in enumerate(publications) if post in p.posts)
        signatures[signature] = True
    return [[s for s in signatures if i in s] for i in range(len(publications))]


def build(publications: list[Publication]) -> System:
    system = System()
    groups = _groups(publications)

    def expression(i, quantity):
        return {system.var((g, quantity)): 1 for g in groups[i]}

    for i, publication in enumerate(publications):
        lay = publication.lay
        for group in groups[i]:
            for terms, sense, rhs in lay.identities:
                row = {}
                for quantity, coef in terms:
                    index = system.var((group, quantity))
                    row[index] = row.get(index, 0) + coef
                system.add(row, sense, rhs, key=(group, terms, sense))
        scope = tuple(sorted(map(str, groups[i])))
        for terms, sense, rhs in lay.statements:
            row = {}
            for quantity, coef in terms:
                for index, one in expression(i, quantity).items():
                    row[index] = row.get(index, 0) + coef * one
            system.add(row, sense, rhs, key=(scope, terms, sense, rhs))
        for cells, sense, rhs in publication.known:
            row = {}
            for cell, coef in cells:
                for index, one in expression(i, lay.cells[cell][0]).items():
                    row[index] = row.get(index, 0) + coef * one
            system.add(row, sense, rhs)
        for cell, (quantity, value) in lay.cells.items():
            if cell in publication.hidden:
                system.targets.append(Target(i, cell, value, expression(i, quantity)))
            else:
                system.add(expression(i, quantity), "eq", value, key=(scope, quantity))
    return system


def audit(publications: list[Publication], only=None) -> list[Finding]:
    """The protected cells a reader can narrow (of publication ``only`` if given, else
    of all). Empty: nothing can be narrowed below the protection interval."""
    system = build(publications)
    solver = Solver(system)
    findings = []
    targets = [t for t in system.targets if t.primary and (only is None or t.publication == only)]
    solver.certify([t.expression for t in targets])
    # Cells that competed with others for the same mass may reach alone: once more.
    solver.certify([t.expression for t in targets if not solver.witnessed(t.expression)])
    solver.spread([t.expression for t in targets if not solver.witnessed(t.expression)])
    for target in targets:
        ok, low, high = solver.protected(target.expression)
        if not ok or not solver.consistent:
            keys = {index: key for key, index in system.variables.items()}
            blockers = tuple(sorted((keys[v] for v in solver.last_blockers), key=repr))
            findings.append(
                Finding(target.publication, target.cell, target.value, low, high, blockers)
            )
    return findings


def intervals(publications: list[Publication]) -> dict:
    """{(publication, cell): (low, high)} of every masked cell, exactly (integer bounds:
    the counts are whole)."""
    system = build(publications)
    solver = Solver(system)
    result = {}
    for target in system.targets:
        low, high = solver.interval(target.expression)
        low = math.ceil(low - EPSILON) if math.isfinite(low) else low
        high = math.floor(high + EPSILON) if math.isfinite(high) else high
        result[(target.publication, target.cell)] = (low, high)
    return result
