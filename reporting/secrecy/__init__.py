"""Statistical secrecy of the bilans, pages, exports and charts that leave the workers
(the live statistics, asked for any scope and dates, are perturbed instead:
reporting.secrecy.perturbation).

Secondary cell suppression, proven by an audit (see the methodology page):

- a count of 1 or 2 is masked (primary secrecy); every masked cell is shown the same way,
  « s », so that a reader cannot tell a small count from a cell masked to protect it;
- more cells are masked (``protect``) until the audit (``audit``: linear programming
  over every figure, total and identity the recipient receives, nested scopes and
  previous-period columns included) shows that no count of 1 or 2 can be narrowed to
  an interval that excludes 1 or 3;
- shown figures are exact; a share is shown only when the counts it is computed from
  are all shown, the median duration only when 3 files or more were closed.
"""

import copy

from reporting.secrecy.audit import Finding, Publication, audit, intervals
from reporting.secrecy.layout import (
    DATA_ROWS,
    RANKED,
    THRESHOLD,
    TOTAL,
    WITHHELD,
    layout,
    rank_by_published,
    tables_of,
)
from reporting.secrecy.protect import protect

MASKED = "s"
# Kept names: every masked cell now reads the same.
PRIMARY = SECONDARY = MASKED

LEGEND = (
    "« s » : effectif masqué (secret statistique), soit parce qu'il vaut 1 ou 2, soit pour "
    "qu'aucun calcul à partir des totaux, des autres tableaux ou des autres bilans ne "
    "permette de le retrouver."
)

__all__ = [
    "LEGEND",
    "MASKED",
    "PRIMARY",
    "SECONDARY",
    "THRESHOLD",
    "Finding",
    "Publication",
    "apply_mask",
    "audit",
    "cells_of",
    "intervals",
    "layout",
    "mask_figures",
    "protect",
]


def cells_of(hidden) -> set:
    """Cell ids from their JSON form ([table key, row, column] lists)."""
    return {(key, int(row), int(col)) for key, row, col in hidden}


def _share_inputs(table: dict, row: int, part_col: int) -> list[tuple]:
    """The count cells a share is computed from: its count and the counts of its
    denominator (the total; for the residence, the people whose commune is known)."""
    key = table["key"]
    if key == "residence":
        whole = [(key, 0, part_col), (key, 1, part_col)]
    else:
        whole = [(key, TOTAL, part_col)]
    return [(key, row, part_col), *whole]


def apply_mask(figures: dict, hidden, withheld=()) -> dict:
    """A copy of the figures with the ``hidden`` cells, and what derives from them, shown
    as « s »; the ``withheld`` tables masked whole, their rows not listed
    (reporting.secrecy.withholding)."""
    hidden = cells_of(hidden) if not isinstance(hidden, set) else hidden
    figures = copy.deepcopy(figures)
    for key, table in tables_of(figures).items():
        if key in withheld:
            table[WITHHELD] = True
            if key in DATA_ROWS:
                table["rows"] = []
            columns = range(len(table["columns"]))
            rows = [*range(len(table["rows"])), TOTAL]
            hidden = hidden | {(key, r, c) for r in rows for c in columns}
        shares = {int(k): v for k, v in (table.get("shares") or {}).items()}
        lines = [*((r, row["values"]) for r, row in enumerate(table["rows"]))]
        if table.get("total"):
            lines.append((TOTAL, table["total"]))
        for r, values in lines:
            for c in range(len(values)):
                if c in shares:
                    if r != TOTAL and any(
                        cell in hidden for cell in _share_inputs(table, r, shares[c])
                    ):
                        values[c] = MASKED
                elif (key, r, c) in hidden:
                    values[c] = MASKED
        if key == "duration_median" and len(table["rows"]) > 1:
            closed, median = table["rows"][0]["values"], table["rows"][1]["values"]
            for c, n in enumerate(closed):
                if (not isinstance(n, int) or n < THRESHOLD) and median[c] != "—":
                    median[c] = MASKED
        if key in RANKED:
            rank_by_published(table)
        table["masked"] = True
    figures["masked"] = True
    return figures


def mask_figures(figures: dict, hidden=None, withheld=()) -> dict:
    """The figures as a recipient sees them: with the mask recorded for them, else the
    mask protecting them alone."""
    if hidden is None:
        hidden, _ = protect(figures)
    return apply_mask(figures, hidden, withheld)
