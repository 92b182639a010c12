import pytest

from reporting.indicators.base import table
from reporting.secrecy import PRIMARY, SECONDARY, mask_figures, mask_table, suppress

pytestmark = pytest.mark.no_db


def values(t):
    return [row["values"] for row in t["rows"]]


def test_small_counts_become_less_than_three_and_zero_stays():
    t = mask_table(table("k", "T", "X", [("a", [1, 0]), ("b", [2, 0]), ("c", [7, 9])]))
    assert values(t) == [[PRIMARY, 0], [PRIMARY, 0], [7, 9]]
    assert t["total"] == [10, 9]


def test_counts_of_three_or_more_are_shown():
    t = mask_table(table("k", "T", "X", [("a", [3, 4]), ("b", [5, 6])]))
    assert values(t) == [[3, 4], [5, 6]]
    assert t["total"] == [8, 10]


def test_single_masked_cell_in_a_column_with_total_masks_the_next_smallest():
    t = mask_table(table("k", "T", "X", [("a", [1, 10]), ("b", [4, 10]), ("c", [9, 10])]))
    # 1 alone could be recomputed from the total 14: the smallest other (4) is masked too.
    assert values(t) == [[PRIMARY, 10], [SECONDARY, 10], [9, 10]]
    assert t["total"] == [14, 30]


def test_secondary_prefers_a_non_zero_cell():
    t = mask_table(table("k", "T", "X", [("a", [2, 5]), ("b", [0, 5]), ("c", [6, 5])]))
    assert values(t)[0][0] == PRIMARY
    assert values(t)[1][0] == 0
    assert values(t)[2][0] == SECONDARY


def test_two_masked_cells_need_no_secondary():
    t = mask_table(table("k", "T", "X", [("a", [1, 5]), ("b", [2, 5]), ("c", [6, 5])]))
    assert values(t) == [[PRIMARY, 5], [PRIMARY, 5], [6, 5]]


def test_no_total_no_secondary():
    t = mask_table(table("k", "T", "X", [("a", [1, 5]), ("b", [4, 5])], total=False))
    assert values(t) == [[PRIMARY, 5], [4, 5]]
    assert t["total"] is None


def test_row_sums_are_protected_too():
    # direct + indirect = total; a lone "< 3" in a row would be recomputed from its total
    t = table(
        "u",
        "T",
        "Unité",
        [("A", [1, 5, 6, 8]), ("B", [4, 4, 8, 9])],
        columns=["D", "I", "Total", "Prev"],
        sums=[[2, [0, 1]]],
    )
    masked = mask_table(t)
    assert values(masked)[0][:3] == [PRIMARY, SECONDARY, 6]
    # the column D now has one primary in row A; the column D total (5) would give it back
    # through row B: B's D (4) is masked as well, and so B's I to protect B's total.
    assert values(masked)[1][0] == SECONDARY
    assert values(masked)[1][1] == SECONDARY
    # every equation left with one hidden cell is impossible
    cells = [*values(masked), masked["total"]]
    for row in cells:
        hidden = [v for v in row[:2] if v in (PRIMARY, SECONDARY)]
        assert len(hidden) != 1 or row[2] in (PRIMARY, SECONDARY)


def test_total_below_three_is_masked_with_its_parts():
    t = mask_table(table("k", "T", "X", [("a", [1, 0]), ("b", [1, 0])]))
    assert t["total"] == [PRIMARY, 0]
    assert values(t) == [[PRIMARY, 0], [PRIMARY, 0]]


def test_shares_follow_their_count():
    t = table(
        "known",
        "T",
        "X",
        [("Oui", [1, 4, 10.0]), ("Non", [5, 4, 50.0]), ("NSP", [4, 4, 40.0])],
        columns=["P", "PP", "Part"],
        shares={"2": 0},
    )
    masked = mask_table(t)
    assert values(masked)[0] == [PRIMARY, 4, SECONDARY]
    assert values(masked)[2] == [SECONDARY, 4, SECONDARY]
    assert values(masked)[1] == [5, 4, 50.0]


def test_median_withheld_below_three_closed_files():
    t = table(
        "duration_median",
        "T",
        "M",
        [("Accompagnements clôturés", [2, 5]), ("Durée médiane (jours)", ["40 j", "12 j"])],
        total=False,
        chart=None,
    )
    masked = mask_table(t)
    assert values(masked) == [[PRIMARY, 5], [SECONDARY, "12 j"]]


def test_suppress_cascades_until_stable():
    grid = [[1, 3, 4], [3, 3, 6], [4, 6, 10]]
    equations = [((2, c), [(0, c), (1, c)]) for c in range(3)] + [
        ((r, 2), [(r, 0), (r, 1)]) for r in range(3)
    ]
    primary, secondary = suppress(grid, equations)
    assert primary == {(0, 0)}
    masked = primary | secondary
    for total, parts in equations:
        if total not in masked:
            assert len([p for p in parts if p in masked]) != 1


def test_mask_figures_masks_every_table_and_keeps_the_original():
    figures = {
        "sections": [{"number": 1, "title": "S", "tables": [table("k", "T", "X", [("a", [1, 9])])]}]
    }
    masked = mask_figures(figures)
    assert masked["sections"][0]["tables"][0]["rows"][0]["values"][0] == PRIMARY
    assert figures["sections"][0]["tables"][0]["rows"][0]["values"][0] == 1


def test_charts_leave_masked_cells_out():
    from reporting.charts import chart_data_uri, chart_svg

    t = table("k", "T", "X", [("a", [4, 9]), ("b", [5, 2])], chart="bar")
    assert "<svg" in chart_svg(t, "T1 2026", "T4 2025")
    assert chart_data_uri(t, "T1", "T4").startswith("data:image/svg+xml;base64,")
    pie = mask_table(table("k", "T", "X", [("a", [1, 0]), ("b", [2, 0])], chart="pie"))
    assert chart_svg(pie, "T1", "T4") is None
