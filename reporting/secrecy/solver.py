"""The linear programs of the audit (SciPy's ``linprog``, HiGHS).

Fixed unknowns (shown figures, and those an equation already determines) are substituted
first; the rest splits into independent components; and every solution found is a
witness that may already prove other cells protected, so most cells need no program of
their own: one program pushes all cells up at once, then one per round holds one cell of
each component, and only a cell still below the threshold gets its own (whose dual
values name the shown figures that bound it).
"""

import math

import numpy as np

from reporting.secrecy.layout import THRESHOLD

EPSILON = 1e-7
HIGH = THRESHOLD  # a protected cell's interval reaches up to this


class Infeasible(ValueError):
    """No counts satisfy everything published: figures frozen at different times that no
    longer agree (an entry made late between two bilans)."""


def _key(free: dict) -> frozenset:
    return frozenset(free.items())


class Solver:
    """Substitutes what is fixed, splits the rest in components, bounds expressions."""

    def __init__(self, system):  # an audit.System: rows, variables, targets
        self.system = system
        self.fixed: dict[int, float] = {}
        self._presolve()
        self._components()
        self._programs: dict = {}  # components -> (rows, index)
        self._matrices: dict = {}  # id of a component's index -> its constraints' matrices
        self.witnesses: list = []  # (roots, index, solution), in the order found
        self._seen: dict = {}  # a cell's free part -> (witnesses read, least, greatest)
        self.optima: dict = {}  # a cell's free part -> (its maximum, the blockers)

    def _presolve(self):
        rows = self.system.rows
        self.sources: dict[int, list] = {}  # a derived unknown -> what fixed it
        changed = True
        while changed:
            changed = False
            for terms, sense, rhs in rows:
                if sense != "eq":
                    continue
                free = [v for v in terms if v not in self.fixed and terms[v]]
                if len(free) == 1:
                    (v,) = free
                    rest = sum(c * self.fixed[u] for u, c in terms.items() if u != v)
                    self.fixed[v] = (rhs - rest) / terms[v]
                    self.sources[v] = [u for u in terms if u != v]
                    changed = True
        self.reduced = []
        self.origin: dict[int, dict] = {}  # id of a reduced row -> the row's terms
        self.consistent = True
        for terms, sense, rhs in rows:
            free = {v: c for v, c in terms.items() if v not in self.fixed and c}
            rest = rhs - sum(c * self.fixed[v] for v, c in terms.items() if v in self.fixed)
            if free:
                row = (free, sense, rest)
                self.reduced.append(row)
                self.origin[id(row)] = terms
            elif (
                (sense == "eq" and abs(rest) > 1e-6)
                or (sense == "le" and rest < -1e-6)
                or (sense == "ge" and rest > 1e-6)
            ):
                self.consistent = False

    def _components(self):
        parent: dict[int, int] = {}

        def find(v):
            parent.setdefault(v, v)
            while parent[v] != v:
                parent[v] = parent[parent[v]]
                v = parent[v]
            return v

        for terms, _, _ in self.reduced:
            first, *others = terms
            for other in others:
                parent[find(other)] = find(first)
        self.find = find
        self.rows_of: dict[int, list] = {}
        for row in self.reduced:
            self.rows_of.setdefault(find(next(iter(row[0]))), []).append(row)

    def reduce(self, expression: dict) -> tuple[float, dict]:
        constant = sum(c * self.fixed[v] for v, c in expression.items() if v in self.fixed)
        return constant, {v: c for v, c in expression.items() if v not in self.fixed}

    def _program(self, free: dict):
        """The rows of the components of ``free`` and the columns' index (the same
        objects for the same components, so that their matrices are built once)."""
        roots = frozenset(self.find(v) for v in free)
        if roots not in self._programs:
            rows = [row for root in roots for row in self.rows_of.get(root, [])]
            columns = sorted({v for terms, _, _ in rows for v in terms})
            self._programs[roots] = (rows, {v: j for j, v in enumerate(columns)})
        rows, index = self._programs[roots]
        if any(v not in index for v in free):  # an unknown in no row: a column more
            columns = sorted(set(index) | set(free))
            index = {v: j for j, v in enumerate(columns)}
        return roots, rows, index

    def _solve(self, rows, index, c, extra=(), bounds=None):
        """linprog over ``rows`` (columns ``index``) plus ``extra`` rows ({column: coef},
        rhs) meaning <=, on columns beyond the variables' if ``c`` is longer."""
        n = len(c)
        # Only a component's own index is asked again (one built for an unknown in no
        # row is used once, and kept it would only hold memory).
        reuse = not extra and any(index is kept for _, kept in self._programs.values())
        if reuse and id(index) in self._matrices:
            return self._linprog(c, self._matrices[id(index)], bounds)
        matrices = {}
        for sense in ("eq", "ub"):
            data, ri, ci, rhs = [], [], [], []
            for terms, row_sense, value in rows:
                if (sense == "eq") != (row_sense == "eq"):
                    continue
                sign = -1 if row_sense == "ge" else 1
                for v, coef in terms.items():
                    data.append(sign * coef)
                    ri.append(len(rhs))
                    ci.append(index[v])
                rhs.append(sign * value)
            if sense == "ub":
                for columns, value in extra:
                    for column, coef in columns.items():
                        data.append(coef)
                        ri.append(len(rhs))
                        ci.append(column)
                    rhs.append(value)
            # Loaded on first use: SciPy takes 50 MB in each web worker that imports it,
            # and most never audit (bench/README.md, « Réglages mesurés »).
            from scipy.sparse import coo_matrix

            matrices[sense] = (
                (coo_matrix((data, (ri, ci)), shape=(len(rhs), n)).tocsr(), np.array(rhs))
                if rhs
                else (None, None)
            )
        if reuse:  # the index lives as long as the solver: its id is not reused
            self._matrices[id(index)] = matrices
        return self._linprog(c, matrices, bounds)

    @staticmethod
    def _linprog(c, matrices, bounds):
        # Loaded on first use, as coo_matrix above.
        from scipy.optimize import linprog

        return linprog(
            c,
            A_ub=matrices["ub"][0],
            b_ub=matrices["ub"][1],
            A_eq=matrices["eq"][0],
            b_eq=matrices["eq"][1],
            bounds=bounds if bounds is not None else (0, None),
            method="highs",
        )

    def optimum(self, free: dict, maximise: bool) -> tuple[float, np.ndarray | None, dict]:
        """max (or min) of the free part of an expression; inf when unbounded."""
        roots, rows, index = self._program(free)
        c = np.zeros(len(index))
        for v, coef in free.items():
            c[index[v]] = -coef if maximise else coef
        result = self._solve(rows, index, c)
        if result.status == 3:
            return math.inf if maximise else -math.inf, None, index
        if result.status != 0:
            raise Infeasible(f"programme linéaire sans solution ({result.message})")
        value = -result.fun if maximise else result.fun
        self.witnesses.append((roots, index, result.x))
        self.last_blockers = self._blockers(rows, result)
        return value, result.x, index

    def _blockers(self, rows, result) -> set:
        """The fixed unknowns (shown figures) in the constraints that bound the optimum:
        masking one of them is what can widen the interval."""
        marginals = list(result.eqlin.marginals) if result.eqlin.marginals.size else []
        ub = list(result.ineqlin.marginals) if result.ineqlin.marginals.size else []
        binding = []
        eq_rows = [r for r in rows if r[1] == "eq"]
        ub_rows = [r for r in rows if r[1] != "eq"]
        for group, duals in ((eq_rows, marginals), (ub_rows, ub)):
            binding += [r for r, d in zip(group, duals, strict=False) if abs(d) > 1e-9]
        return self._closure({v for r in binding for v in self.origin[id(r)] if v in self.fixed})

    def _closure(self, found: set) -> set:
        found = set(found)
        todo = list(found)
        while todo:  # an unknown an equation fixed is bound by what fixed it
            for u in self.sources.get(todo.pop(), []):
                if u not in found:
                    found.add(u)
                    todo.append(u)
        return found

    def certify(self, expressions: list[dict]) -> None:
        """Witnesses for many cells at once: one program pushes every cell up to HIGH
        (max of the sum of min(cell, HIGH)); the cells it brings there need no program
        of their own."""
        group = []
        for expression in expressions:
            constant, free = self.reduce(expression)
            if free:
                group.append((constant, free))
        # One program for all components (they are independent, the objective adds up).
        if group:
            union = {}
            for _, free in group:
                union.update(free)
            roots, rows, index = self._program(union)
            n, k = len(index), len(group)
            c = np.zeros(n + k)
            c[n:] = -1
            extra = []
            for j, (constant, free) in enumerate(group):
                columns = {index[v]: -coef for v, coef in free.items()}
                columns[n + j] = 1  # z_j <= the cell
                extra.append((columns, constant))
            bounds = [(0, None)] * n + [(None, HIGH)] * k
            result = self._solve(rows, index, c, extra, bounds)
            if result.status == 0:
                self.witnesses.append((roots, index, result.x[:n]))

    def interval(self, expression: dict) -> tuple[float, float]:
        constant, free = self.reduce(expression)
        if not free:
            return constant, constant
        low, _, _ = self.optimum(free, maximise=False)
        high, _, _ = self.optimum(free, maximise=True)
        return constant + low, constant + high

    def _witnessed(self, free: dict) -> tuple[float, float]:
        """(least, greatest) value of the free part in the witnesses found so far (each
        witness read once per cell: the cells are asked again after every program)."""
        key = _key(free)
        read, low, high = self._seen.get(key, (0, math.inf, -math.inf))
        if read < len(self.witnesses):
            roots = frozenset(self.find(v) for v in free)
            for found, index, x in self.witnesses[read:]:
                if roots <= found:
                    value = sum(c * x[index[v]] for v, c in free.items())
                    low, high = min(low, value), max(high, value)
            self._seen[key] = (len(self.witnesses), low, high)
        return low, high

    def spread(self, expressions: list[dict]) -> None:
        """Witnesses from one program per round holding one cell of each component (the
        components are independent: maximising the sum maximises each): a cell not yet
        shown to reach HIGH (or LOW) gets its own optimum, many at a time."""
        pending = []
        for expression in expressions:
            constant, free = self.reduce(expression)
            if free:
                pending.append((constant, free))
        for upward in (True,):
            todo = list(pending)
            while todo:
                picked, later, used = [], [], set()
                for constant, free in todo:
                    if upward and constant + self._witnessed(free)[1] >= HIGH - EPSILON:
                        continue
                    roots = {self.find(v) for v in free}
                    if roots & used:
                        later.append((constant, free))
                    else:
                        used |= roots
                        picked.append(free)
                if not picked:
                    break
                union = {}
                for free in picked:
                    union.update(free)
                roots, rows, index = self._program(union)
                c = np.zeros(len(index))
                for v, coef in union.items():
                    c[index[v]] = -coef if upward else coef
                result = self._solve(rows, index, c)
                if result.status == 0:
                    self.witnesses.append((roots, index, result.x))
                    if len(picked) == 1:  # this cell's own optimum: kept for protected()
                        self.optima[_key(picked[0])] = (-result.fun, self._blockers(rows, result))
                todo = later

    def seen(self, free: dict) -> tuple[float, float]:
        """(least, greatest) value of the free part of an expression in the witnesses."""
        return self._witnessed(free)

    def witnessed(self, expression: dict) -> bool:
        """Whether the witnesses found so far already prove the cell protected."""
        constant, free = self.reduce(expression)
        return bool(free) and constant + self._witnessed(free)[1] >= HIGH - EPSILON

    def protected(self, expression: dict) -> tuple[bool, float, float]:
        """Whether the expression's interval reaches HIGH; its bounds as far as computed
        (the lower one is the least value seen; the upper one exact when below HIGH)."""
        constant, free = self.reduce(expression)
        if not free:  # determined: by the figures that fixed it
            self.last_blockers = self._closure(set(expression))
            return False, constant, constant
        low, high = self._witnessed(free)
        low, high = constant + low, constant + high
        self.last_blockers = set()
        blockers = set()
        if high < HIGH - EPSILON:
            if _key(free) in self.optima:  # solved alone by spread()
                optimum, found = self.optima[_key(free)]
                high, blockers = constant + optimum, blockers | found
            else:
                high = constant + self.optimum(free, maximise=True)[0]
                blockers |= self.last_blockers
        self.last_blockers = blockers
        return high >= HIGH - EPSILON, low, high
