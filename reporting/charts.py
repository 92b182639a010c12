"""Server-side SVG charts (pygal) of the indicator tables, for the PDF and the pages.

Drawing a chart costs a few milliseconds and a bilan has about fifteen: the charts of a
page are read from the cache in one round trip, keyed by a digest of what they show
(kind, labels, the plotted values, period labels). A chart is a pure function of that
content, so a cached chart is never stale and nothing has to invalidate it; a table whose
figures changed gets a new key. The cache holds aggregated (and, outside a worker's own
post, masked) figures only, never a name.
"""

import base64
import hashlib
import json
import math
import sys

import pygal
from django.core.cache import cache
from pygal.style import Style

# pygal appends a legacy meta-path finder (for its map plugins, unused here) that makes
# every later failed import emit an ImportWarning on Python 3.11+: take it out.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#161616",
    foreground_strong="#161616",
    foreground_subtle="#666666",
    colors=("#000091", "#8585f6", "#c9191e", "#18753c", "#b34000", "#6a6af4", "#929292"),
    font_family="Marianne, Arial, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    title_font_size=13,
    value_font_size=10,
)


def _number(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


MASKED_MARK = "(s : secret statistique)"


def _masked(value) -> bool:
    """A cell masked for statistical secrecy: the only text in a charted count column
    (« s », see reporting.secrecy)."""
    return isinstance(value, str)


def count_ticks(highest: int, most: int = 6) -> list[int]:
    """Whole-number ticks from 0 past ``highest``: people and actes are counted, a tick at
    0.2 reads as a fifth of a person."""
    step = max(1, math.ceil(highest / most))
    return list(range(0, highest + step + 1, step)) if highest else [0, 1]


def chart_svg(table: dict, period_label: str, previous_label: str) -> str | None:
    """An SVG string for the table's chart, or None. A masked cell is drawn as masked:
    no bar (a bar of height zero would read as "nobody"), its label marked « s »."""
    kind = table.get("chart")
    if not kind or len(table["rows"]) < 2:
        return None  # one category is no distribution: the table says it all
    current_col, previous_col = (
        (len(table["columns"]) - 2, len(table["columns"]) - 1) if table.get("sums") else (0, 1)
    )
    rows = table["rows"]
    current = [_number(row["values"][current_col]) for row in rows]
    previous = [_number(row["values"][previous_col]) for row in rows]
    masked_rows = [
        any(_masked(row["values"][col]) for col in (current_col, previous_col)) for row in rows
    ]
    labels = [
        f"{row['label']} {MASKED_MARK}" if masked else row["label"]
        for row, masked in zip(rows, masked_rows, strict=True)
    ]
    if not any(current) and not any(previous):
        return None
    common = {
        "style": STYLE,
        "width": 640,
        "height": max(260, 36 * len(labels) + 90) if kind == "hbar" else 300,
        "disable_xml_declaration": True,
        "show_legend": True,
        "legend_at_bottom": True,
        "print_values": False,
        "explicit_size": True,
        "js": [],
        # Whole labels: a cut one ("Souffrance psychique, trou…") says nothing.
        "truncate_label": -1,
        "truncate_legend": -1,
    }
    if kind == "pie":
        if sum(1 for value in current if value) < 2:
            return None  # one slice at 100 % is not a distribution: the table says it
        chart = pygal.Pie(inner_radius=0.45, **common)
        chart.title = f"Répartition — {period_label}"
        hidden = [row["label"] for row in rows if _masked(row["values"][current_col])]
        if hidden:  # a pie cannot draw them: say which parts are left out
            chart.title += f"\nhors effectifs masqués (s) : {', '.join(hidden)}"
        for row, value in zip(rows, current, strict=True):
            if value:
                chart.add(row["label"], value)
    else:
        chart = (pygal.HorizontalBar if kind == "hbar" else pygal.Bar)(**common)
        chart.x_labels = labels
        chart.y_labels = count_ticks(max(value or 0 for value in (*current, *previous)))
        chart.add(period_label, current)
        chart.add(previous_label, previous)
    return chart.render(is_unicode=True)


def chart_data_uri(table: dict, period_label: str, previous_label: str) -> str | None:
    """The chart as a data: URI for an <img>: the SVG keeps its own styles under the
    pages' Content-Security-Policy (no inline style in the page) and gets an alt text."""
    svg = chart_svg(table, period_label, previous_label)
    if svg is None:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


# Bump when the drawing changes (style, sizes, pygal upgrade) so that old charts go.
CHART_VERSION = 3
CHART_TIMEOUT = 24 * 3600
NO_CHART = ""  # cached "this table has no chart", distinct from a cache miss (None)


def _chart_key(table: dict, period_label: str, previous_label: str) -> str:
    drawn = [
        CHART_VERSION,
        table.get("chart"),
        table["columns"],
        bool(table.get("sums")),
        [[row["label"], row["values"]] for row in table["rows"]],
        period_label,
        previous_label,
    ]
    digest = hashlib.sha256(json.dumps(drawn, default=str).encode("utf-8")).hexdigest()
    return f"chart:{digest}"


def add_chart_uris(figures: dict) -> dict:
    """Set ``chart_uri`` on every table of a bilan's figures (in place, and returned):
    one cache read for all the charts, drawing and storing only the missing ones."""
    period = figures["period"]["short_label"]
    previous = figures["previous_period"]["short_label"]
    tables = [table for section in figures["sections"] for table in section["tables"]]
    keys = [_chart_key(table, period, previous) for table in tables]
    cached = cache.get_many(keys)
    drawn = {}
    for table, key in zip(tables, keys, strict=True):
        uri = cached.get(key)
        if uri is None:
            uri = drawn[key] = chart_data_uri(table, period, previous) or NO_CHART
        table["chart_uri"] = uri or None
    if drawn:
        cache.set_many(drawn, CHART_TIMEOUT)
    return figures
