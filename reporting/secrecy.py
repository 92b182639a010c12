"""Statistical secrecy of the bilans and exports that leave the workers' scope.

Primary suppression: a count of 1 or 2 (it could single out a person, notably in a
small commune) is shown as "< 3". Zero is shown: it singles out nobody.

Secondary suppression: where cells add up to a shown total (a column and its total
row, or the columns of a row and their "total" column), a single masked cell could be
recomputed by subtraction; the smallest other cell of that sum (preferring a non-zero
one) is masked too, shown as "s". This repeats until every sum has either no masked
cell or at least two (or a masked total).

Share columns (percentages) are masked with the count they derive from, and the median
duration is withheld when fewer than 3 files were closed.
"""

import copy

PRIMARY = "< 3"
SECONDARY = "s"
THRESHOLD = 3

LEGEND = (
    "« < 3 » : effectif de 1 ou 2, masqué pour ne pas permettre d'identifier une personne ; "
    "« s » : effectif masqué pour qu'un total ne permette pas de recalculer un effectif "
    "masqué (secret secondaire)."
)


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def suppress(grid, equations):
    """Cells to mask in ``grid`` (rows of values; non-int values are never masked).

    ``equations`` is a list of (total_cell, [part_cells]) where a cell is (row, col):
    the parts add up to the total. Returns (primary, secondary) sets of cells.
    """
    primary = {
        (r, c)
        for r, row in enumerate(grid)
        for c, value in enumerate(row)
        if _is_count(value) and 0 < value < THRESHOLD
    }
    masked = set(primary)
    secondary = set()
    changed = True
    while changed:
        changed = False
        for total, parts in equations:
            if total in masked:
                continue
            hidden = [p for p in parts if p in masked]
            if len(hidden) != 1:
                continue
            candidates = [p for p in parts if p not in masked and _is_count(grid[p[0]][p[1]])]
            if not candidates:
                masked.add(total)
                secondary.add(total)
                changed = True
                continue
            candidates.sort(key=lambda p: (grid[p[0]][p[1]] == 0, grid[p[0]][p[1]], p))
            masked.add(candidates[0])
            secondary.add(candidates[0])
            changed = True
    return primary, secondary


def mask_table(table: dict) -> dict:
    """A copy of an indicator table with small counts masked (see the module doc)."""
    table = copy.deepcopy(table)
    rows = table["rows"]
    shares = {int(k): v for k, v in (table.get("shares") or {}).items()}
    grid = [list(row["values"]) for row in rows]
    has_total = table.get("total") is not None
    if has_total:
        grid.append(list(table["total"]))
    width = len(table["columns"])
    count_cols = [c for c in range(width) if c not in shares]
    equations = []
    if has_total:
        total_row = len(grid) - 1
        for c in count_cols:
            equations.append(((total_row, c), [(r, c) for r in range(len(rows))]))
    for total_col, parts in table.get("sums") or []:
        for r in range(len(grid)):
            equations.append(((r, total_col), [(r, p) for p in parts]))
    for c in shares:  # shares are not counts: keep them out of the suppression itself
        for row in grid:
            row[c] = None if not _is_count(row[c]) else row[c]
    primary, secondary = suppress(grid, equations)

    def shown(r, c, original):
        if (r, c) in primary:
            return PRIMARY
        if (r, c) in secondary:
            return SECONDARY
        if c in shares and ((r, shares[c]) in primary or (r, shares[c]) in secondary):
            return SECONDARY
        return original

    for r, row in enumerate(rows):
        row["values"] = [shown(r, c, v) for c, v in enumerate(row["values"])]
    if has_total:
        r = len(grid) - 1
        table["total"] = [shown(r, c, v) for c, v in enumerate(table["total"])]
    if table["key"] == "duration_median":
        closed, median = rows[0]["values"], rows[1]["values"]
        for c in range(len(closed)):
            if not _is_count(closed[c]) or closed[c] < THRESHOLD:
                median[c] = SECONDARY if median[c] != "—" else median[c]
    table["masked"] = True
    return table


def mask_figures(figures: dict) -> dict:
    """The whole snapshot of a bilan with every table masked."""
    figures = copy.deepcopy(figures)
    for section in figures.get("sections", []):
        section["tables"] = [mask_table(t) for t in section["tables"]]
    figures["masked"] = True
    return figures
