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
    charts.add_chart_uris(_figures(table("actes", "Actes", "Type", [("Entretien", [12, 7])])))
    changed = charts.add_chart_uris(
        _figures(table("actes", "Actes", "Type", [("Entretien", [13, 7])]))
    )
    other_period = _figures(table("actes", "Actes", "Type", [("Entretien", [13, 7])]))
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
