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

A group of posts that no bilan covers alone (the employer's posts that have no bilan of
their own, beside those that have one) is counted by subtraction: its true counts, where
the bilans' true figures determine them, are protected like a bilan's (a reader of the
employer's 7 and of post A's 5 must not learn that post B has 2).

The programs are solved by ``solver``.
"""

import math
from dataclasses import dataclass, field

from reporting.secrecy.layout import DATA_ROWS, THRESHOLD, Layout, layout
from reporting.secrecy.open_rows import selects
from reporting.secrecy.solver import EPSILON, Infeasible, Solver
from reporting.secrecy.timeline import nested, time_relations


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
    # A post's bilan not made yet, as it will be at worst for the reader: every count
    # masked, its rows listed (a bilan cannot hide that a commune has someone).
    anticipated: bool = False
    # {post: (quantities, state)}: the counts of those posts that this bilan's data state
    # for them changed from the reference state's (reporting.secrecy.versions), each its
    # own unknown for the groups of those posts; a row it does not list is zero in that
    # state only.
    renamed: dict = field(default_factory=dict)
    # Its tables masked whole, their rows not listed (reporting.secrecy.withholding): their
    # counts are still what the other tables and bilans add up to, each row's unknown to
    # the reader, and a row not listed is not zero.
    withheld: frozenset = frozenset()
    # A bilan to come that the bilans sent give away, to be refused (ahead.as_refused): its
    # counts protected but for the quantities ``foregone`` (ahead.forego_given_away).
    refused: bool = False
    foregone: frozenset = frozenset()

    def __post_init__(self):
        if self.lay is None:
            self.lay = layout(self.figures, unlisted=self.withheld)
        if self.withheld:
            self.hidden = set(self.hidden) | {c for c in self.lay.cells if c[0] in self.withheld}
        if self.anticipated:
            self.hidden = set(self.lay.cells)

    def apart(self) -> frozenset:
        """The quantities counted, for some of its posts, in another data state."""
        return frozenset().union(*(quantities for quantities, _ in self.renamed.values()))


GROUP = -1  # the publication of a target that is a group of posts, not a bilan's cell
INCONSISTENT = ("inconsistent",)  # the blockers of a finding of an audit without solution


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


def _groups(publications) -> tuple[list[list], dict]:
    """For each publication, the groups of posts its scope is made of; and the posts of
    each group (None: every post)."""
    if len(publications) == 1 or any(p.posts is None for p in publications):
        return [["all"] for _ in publications], {"all": None}
    signatures: dict = {}
    for post in set().union(*(p.posts for p in publications)):
        signature = frozenset(i for i, p in enumerate(publications) if post in p.posts)
        signatures.setdefault(signature, set()).add(post)
    groups = [[s for s in signatures if i in s] for i in range(len(publications))]
    return groups, signatures


def _namings(publications, groups, members) -> list[dict]:
    """For each publication, {group: (quantities, tag)} of the groups some of whose posts
    it counted in another data state than the reference's (``Publication.renamed``)."""
    result = []
    for i, publication in enumerate(publications):
        found = {}
        for group in groups[i] if publication.renamed else ():
            posts = members[group]
            entries = [
                (post, entry)
                for post, entry in publication.renamed.items()
                if posts is None or post in posts
            ]
            if entries:
                quantities = frozenset().union(*(q for _, (q, _) in entries))
                tag = tuple(sorted(((post, state) for post, (_, state) in entries), key=repr))
                found[group] = (quantities, tag)
        result.append(found)
    return result


def _name(quantity: tuple, naming) -> tuple:
    """The quantity as counted in a group's data state (``_namings``)."""
    if naming is None or quantity not in naming[0]:
        return quantity
    period, key, label, measure = quantity
    return (period, key, label, (measure, "state", naming[1]))


def _zero_rows(publication: Publication) -> set:
    """(period, table, measure) of the tables that list only rows with a count: a row
    such a table does not list is zero for the bilan's scope."""
    found = set()
    lay = publication.lay
    for quantity, _ in lay.cells.values():
        period, key, _, measure = quantity
        if (
            key in DATA_ROWS
            and key not in publication.withheld
            and not (lay.partial_previous and period == lay.periods["previous"])
        ):
            found.add((period, key, measure))
    return found


def group_values(publications: list[Publication], groups: list[list], names: list) -> dict:
    """{(group, quantity): true count} of the groups of posts that no bilan covers alone,
    where the bilans' true figures determine it (peeled one unknown group at a time)."""

    def members(i, quantity):
        return [(g, _name(quantity, names[i].get(g))) for g in groups[i]]

    equations: dict = {}  # quantity -> [([(group, quantity as counted)], value)]
    for i, publication in enumerate(publications):
        for quantity, value in publication.lay.cells.values():
            equations.setdefault(quantity, []).append((members(i, quantity), value))
    for i, publication in enumerate(publications):
        mine = {quantity for quantity, _ in publication.lay.cells.values()}
        zero = _zero_rows(publication)
        for quantity, listed in equations.items():
            period, key, _, measure = quantity
            if quantity not in mine and (period, key, measure) in zero:
                listed.append((members(i, quantity), 0))
    # A group whose own bilan shows the count: that bilan's cell is protected as such.
    # Only for the periods that bilan shows: a post's year does not cover its quarter,
    # which the employer's quarter minus the other posts' gives (one post's quarter not
    # made yet, left out of the anticipated bilans: reporting.secrecy.protect).
    shown_alone: set = set()
    for i, publication in enumerate(publications):
        if len(groups[i]) == 1:
            shown_alone.update(
                member
                for quantity, _ in publication.lay.cells.values()
                for member in members(i, quantity)
            )
    values = {}
    for listed in equations.values():
        known: dict = {}
        changed = True
        while changed:
            changed = False
            for keys, value in listed:
                unknown = [k for k in keys if k not in known]
                if len(unknown) == 1:
                    known[unknown[0]] = value - sum(known[k] for k in keys if k in known)
                    changed = True
        values.update((k, v) for k, v in known.items() if k not in shown_alone)
    return values


def build(publications: list[Publication]) -> System:
    system = System()
    groups, members = _groups(publications)
    names = _namings(publications, groups, members)

    def named(i, group, quantity):
        return _name(quantity, names[i].get(group))

    def expression(i, quantity):
        return {system.var((g, named(i, g, quantity))): 1 for g in groups[i]}

    for i, publication in enumerate(publications):
        lay = publication.lay
        # What the rows written below are keyed by (written once): the groups, and the
        # data state each was counted in.
        states = tuple(names[i][g][1] if g in names[i] else None for g in groups[i])
        scope = (tuple(sorted(map(str, groups[i]))), states)
        for group in groups[i]:
            for terms, sense, rhs in lay.identities:
                row = {}
                for quantity, coef in terms:
                    index = system.var((group, named(i, group, quantity)))
                    row[index] = row.get(index, 0) + coef
                tag = names[i][group][1] if group in names[i] else None
                system.add(row, sense, rhs, key=(group, tag, terms, sense))
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
            terms = expression(i, quantity)
            if cell in publication.hidden:
                if quantity not in publication.foregone:
                    system.targets.append(Target(i, cell, value, terms))
            else:
                system.add(terms, "eq", value, key=(scope, quantity))
    _open_rows(system, publications, groups, named)
    if len(publications) > 1:
        # Periods nested in one another: a quarter is the sum of its months (timeline).
        # Not for a group counted in another data state: its rows not listed are zero
        # in that state only.
        zeros = {
            (group, period, key, measure)
            for i, publication in enumerate(publications)
            for period, key, measure in _zero_rows(publication)
            for group in groups[i]
            if group not in names[i]
        }
        # The counts of a group that is a bilan's whole scope, as that bilan froze them:
        # a relation they break (an entry made late between two bilans) is not written.
        known = {
            (groups[i][0], named(i, groups[i][0], quantity)): value
            for i, publication in enumerate(publications)
            if len(groups[i]) == 1
            for quantity, value in publication.lay.cells.values()
        }
        for terms, sense in time_relations(list(system.variables), zeros, known):
            system.add({system.var(key): coef for key, coef in terms.items()}, sense, 0)
        values = group_values(publications, groups, names)
        for (group, quantity), value in sorted(values.items(), key=repr):
            if (group, quantity) in system.variables:
                expression = {system.var((group, quantity)): 1}
                system.targets.append(Target(GROUP, quantity, value, expression))
    _open_sums(system, publications, groups, named)
    return system


def _open_rows(system: System, publications, groups, named) -> None:
    """The unknowns of the rows an open sum must hold: each row of its table that some
    bilan gives the group in a period inside or around the sum's (a commune a month
    lists is in its quarter), created before the relations between periods tie them (a
    quarter's row is at least its month's: a quarter's total of 5 and its December's
    Bourg at 5 leave no one elsewhere in the quarter, hence in October)."""
    rows: dict = {}  # (group, table) -> {(period, label)}
    for group, (period, key, label, _) in list(system.variables):
        if label is not None:
            rows.setdefault((group, key), set()).add((period, label))
    for i, publication in enumerate(publications):
        for _, (period, key, measure), selected in publication.lay.open_sums:
            for group in groups[i]:
                for other, label in sorted(rows.get((group, key), ()), key=repr):
                    if nested(other, period) and selects(selected, label):
                        system.var((group, named(i, group, (period, key, label, measure))))


def _open_sums(system: System, publications, groups, named) -> None:
    """The sums over rows the reader does not all know (``Layout.open_sums``), for each
    group of posts: at least every row of that table, period and measure that some bilan
    gives the group, whatever rows this bilan has. Written last, over every unknown."""
    labels: dict = {}  # (group, period, table) -> row labels some bilan gives the group
    for group, (period, key, label, _) in list(system.variables):
        if label is not None:
            labels.setdefault((group, period, key), set()).add(label)
    for i, publication in enumerate(publications):
        for terms, (period, key, measure), selected in publication.lay.open_sums:
            for group in groups[i]:
                row = {}
                for quantity, coef in terms:
                    index = system.var((group, named(i, group, quantity)))
                    row[index] = row.get(index, 0) + coef
                chosen = {
                    lb for lb in labels.get((group, period, key), ()) if selects(selected, lb)
                }
                for label in sorted(chosen):
                    # The row as this bilan's data state counts it for the group.
                    index = system.variables.get(
                        (group, named(i, group, (period, key, label, measure)))
                    )
                    if index is not None:
                        row[index] = row.get(index, 0) - 1
                system.add(row, "ge", 0, key=("open", frozenset(row.items())))


def audit(publications: list[Publication], only=None) -> list[Finding]:
    """The protected cells a reader can narrow (of publication ``only`` if given, else
    of all). Empty: nothing can be narrowed below the protection interval."""
    system = build(publications)
    solver = Solver(system)
    targets = [t for t in system.targets if t.primary and (only is None or t.publication == only)]
    try:
        return _narrowed(system, solver, targets)
    except Infeasible:
        # What was published no longer adds up: nothing can be vouched for (NaN bounds
        # tell protect to stop, see INCONSISTENT).
        return [
            Finding(t.publication, t.cell, t.value, math.nan, math.nan, INCONSISTENT)
            for t in targets
        ]


def _narrowed(system: System, solver: Solver, targets: list) -> list[Finding]:
    findings = []
    # Cells that competed with others for the same mass may reach without them: again
    # with those not yet witnessed, as long as each program witnesses more of them (one
    # program for hundreds of cells, where one per cell took 60 ms each on a département's
    # nested bilans).
    pending = [t.expression for t in targets]
    while pending:
        solver.certify(pending)
        left = [e for e in pending if not solver.witnessed(e)]
        if len(left) == len(pending):
            break
        pending = left
    solver.spread(pending)
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
    """{(publication, cell): (low, high)} of every masked cell of a bilan, exactly (integer bounds:
    the counts are whole)."""
    system = build(publications)
    solver = Solver(system)
    result = {}
    for target in system.targets:
        if target.publication == GROUP:
            continue
        low, high = solver.interval(target.expression)
        low = math.ceil(low - EPSILON) if math.isfinite(low) else low
        high = math.floor(high + EPSILON) if math.isfinite(high) else high
        result[(target.publication, target.cell)] = (low, high)
    return result
