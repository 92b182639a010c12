"""Secondary suppression at the scale of a national consolidation: a table whose rows and
columns both add up is protected by masking a partner row, in a round or two."""

import json
import pathlib

import pytest

from reporting.indicators.base import table
from reporting.secrecy import Publication, audit, layout, protect
from reporting.secrecy.protect import _partner_row

pytestmark = pytest.mark.no_db

COLUMNS = ["Directes", "Indirectes", "Total période", "Total période précédente"]


def by_unit(rows) -> dict:
    units = table(
        "referral_unit", "Saisines par unité", "Unité", rows, columns=COLUMNS, sums=[[2, [0, 1]]]
    )
    return {
        "period": {"start": "2025-01-01", "end": "2025-12-31"},
        "previous_period": {"start": "2024-01-01", "end": "2024-12-31"},
        "sections": [{"number": 5, "title": "Saisines", "tables": [units]}],
    }


def test_the_partner_row_is_the_cheapest_whose_cells_can_give_and_take():
    rows = [
        ("Petite unité", [1, 2, 3, 5]),
        ("Unité avec un 2", [2, 40, 42, 40]),  # too small to give 2 back
        ("Grande unité", [50, 60, 110, 100]),
        ("Unité moyenne", [4, 5, 9, 9]),
    ]
    lay = layout(by_unit(rows))
    hidden = {("referral_unit", 0, c) for c in (0, 1, 2)}
    partner = _partner_row(lay, ("referral_unit", 0, 1), hidden, {"referral_unit"})
    assert partner == {("referral_unit", 3, c) for c in (0, 1, 2)}
    # Rows that do not add up have no partner row.
    assert _partner_row(lay, ("referral_unit", 0, 1), hidden, set()) == set()


def test_the_saisines_by_unit_of_a_national_consolidation():
    """The 810 units of the national bench base (2025; direct, indirect, total, previous
    year; names left out): masked whole before, 3,244 cells in 9 s; now the 7 rows with
    a count of 1 or 2 and their partners."""
    rows = json.loads((pathlib.Path(__file__).parent / "national_units_2025.json").read_text())
    figures = by_unit([(f"Unité {i:03}", values) for i, values in enumerate(rows)])

    hidden, findings = protect(figures)

    assert findings == [] and audit([Publication(figures, hidden)]) == []
    small = {(i, c) for i, values in enumerate(rows) for c, v in enumerate(values) if 0 < v < 3}
    assert small <= {(r, c) for _, r, c in hidden}
    assert len(hidden) <= 4 * len(small), len(hidden)
