"""Charts are drawn once per content: a page shows the cached SVG of a table whose figures
did not change, and a table whose figures changed gets a new chart."""

import base64

import pytest

from reporting import charts
from reporting.indicators.base import table


def _figures(*tables):
    return {
        "period": {"short_label": "T3 2026"},
        "previous_period": {"short_label": "T2 2026"},
        "sections": [{"number": 1, "title": "S", "tables": list(tables)}],
    }


@pytest.fixture
def drawings(monkeypatch):
    drawn = []
    real = charts.chart_svg

    def counting(table_, period, previous):
        drawn.append(table_["key"])
        return real(table_, period, previous)

    monkeypatch.setattr(charts, "chart_svg", counting)
    return drawn


def _svg(uri):
    return base64.b64decode(uri.removeprefix("data:image/svg+xml;base64,")).decode("utf-8")


def test_a_chart_is_drawn_once_and_read_from_the_cache_afterwards(drawings):
    first = charts.add_chart_uris(
        _figures(table("actes", "Actes", "Type", [("Entretien", [12, 7]), ("Appel", [5, 3])]))
    )
    second = charts.add_chart_uris(
        _figures(table("actes", "Actes", "Type", [("Entretien", [12, 7]), ("Appel", [5, 3])]))
    )
    assert drawings == ["actes"]
    uri = first["sections"][0]["tables"][0]["chart_uri"]
    assert uri == second["sections"][0]["tables"][0]["chart_uri"]
    assert "Entretien" in _svg(uri)


def test_changed_figures_or_periods_get_a_new_chart(drawings):
    def acts(interviews):
        return table("actes", "Actes", "Type", [("Entretien", [interviews, 7]), ("Appel", [2, 1])])

    charts.add_chart_uris(_figures(acts(12)))
    changed = charts.add_chart_uris(_figures(acts(13)))
    other_period = _figures(acts(13))
    other_period["period"]["short_label"] = "T4 2026"
    charts.add_chart_uris(other_period)
    assert drawings == ["actes", "actes", "actes"]
    assert "T4 2026" in _svg(other_period["sections"][0]["tables"][0]["chart_uri"])
    assert "T4 2026" not in _svg(changed["sections"][0]["tables"][0]["chart_uri"])


def test_a_table_without_chart_is_remembered_as_such(drawings):
    figures = _figures(
        table("note", "Sans graphique", "X", [("a", [4, 9])], chart=None),
        table("pie", "Camembert vide", "X", [("a", [0, 2])], chart="pie"),
    )
    charts.add_chart_uris(figures)
    again = charts.add_chart_uris(
        _figures(
            table("note", "Sans graphique", "X", [("a", [4, 9])], chart=None),
            table("pie", "Camembert vide", "X", [("a", [0, 2])], chart="pie"),
        )
    )
    assert [t["chart_uri"] for t in again["sections"][0]["tables"]] == [None, None]
    assert drawings == ["note", "pie"]


def test_a_pie_of_one_slice_is_not_drawn():
    """Reproduced before: a pie chart showed one slice at 100 %."""
    one = table("sexe", "Sexe", "Sexe", [("Femme", [4, 3]), ("Homme", [0, 1])], chart="pie")
    assert charts.chart_svg(one, "T3 2026", "T2 2026") is None
    two = table("sexe", "Sexe", "Sexe", [("Femme", [4, 3]), ("Homme", [2, 1])], chart="pie")
    assert charts.chart_svg(two, "T3 2026", "T2 2026") is not None


def test_a_table_of_one_category_has_no_chart():
    """Reproduced before: a bar chart was drawn for a table of one row, saying no more
    than its two cells."""
    one = table("contacts", "Contacts", "Mode", [("Téléphone", [5, 3])])
    assert charts.chart_svg(one, "T3 2026", "T2 2026") is None
    two = table("contacts", "Contacts", "Mode", [("Téléphone", [5, 3]), ("Visite", [2, 1])])
    assert charts.chart_svg(two, "T3 2026", "T2 2026") is not None


def test_count_axes_have_whole_ticks():
    """Reproduced before: a count axis had ticks 0.2, 0.4…"""
    assert charts.count_ticks(1) == [0, 1, 2]
    assert charts.count_ticks(4) == [0, 1, 2, 3, 4, 5]
    assert charts.count_ticks(40) == [0, 7, 14, 21, 28, 35, 42]
    small = table("actes", "Actes", "Type", [("Entretien", [1, 0]), ("Appel", [1, 1])])
    svg = charts.chart_svg(small, "T3 2026", "T2 2026")
    for fraction in (">0.2<", ">0.4<", ">0.5<", ">1.5<"):
        assert fraction not in svg


def test_long_labels_are_not_cut():
    label = "Souffrance psychique, troubles psychiatriques"
    rows = [(label, [5, 3]), ("Conflit familial", [2, 4])]
    svg = charts.chart_svg(table("pb", "P", "P", rows, chart="hbar"), "T3 2026", "T2 2026")
    assert label in svg and "…" not in svg
