"""A bilan's previous-period column as the previous bilan published it, its rows those of
its own period: bilans made period after period are then not chained to one another.

Computed afresh, the previous-period column of the third quarter's bilan counts the
second quarter again, and its rows (listed when either quarter counted someone) say which
communes had nobody in the second quarter: the second quarter's bilan, whose own
previous-period column is the first quarter, then gives away counts of the first quarter
that neither it nor the third quarter's audit saw together (233 cells of the first
quarter's post bilans on the departmental base, bench ``quarterly_chain``). Auditing every
bilan ever made with each new one would grow with the years.

So a bilan made after the bilan of the same scope for the previous period:

- shows in its previous-period column that bilan's counts (and median), masked where it
  masked them (``protect``: a figure masked in a bilan of the same posts is masked);
- lists in the tables of rows (communes, sites, units, partners, actes, problems) the rows
  counted in its own period only: a row absent says nothing of the period before.

What it tells of the previous period is then what its recipients already hold, except
through the files still open at the end of that period (the files of a period are those
still open at its start plus those opened since): when the previous bilan masked that
count, the two periods stay tied and the audit takes the chain of bilans so tied
(``related.related_publications``). A bilan with no previous bilan to follow computes its previous
column afresh, tied to the bilans of that period the same way.
"""

from reporting.secrecy.layout import (
    ACTIVITY,
    DATA_ROWS,
    PERIOD_ROWS,
    TOTAL,
    cell_value,
    column_meaning,
    is_count,
    layout,
    quantity_of,
    row_keys,
    tables_of,
)

MEDIAN_LABEL = "Durée médiane (jours)"


def sealed(figures: dict) -> bool:
    """Whether the bilan tells nothing of its previous period that the previous bilan of
    its scope did not publish (see the module doc)."""
    return bool((figures.get("continuity") or {}).get("sealed"))


def _current_columns(table: dict) -> list[int]:
    return [
        c
        for c in range(len(table["columns"]))
        if (column_meaning(table, c) or ("", ""))[1] == "current"
    ]


def _drop_rows_of_the_previous_period(figures: dict) -> None:
    for key, table in tables_of(figures).items():
        if key not in DATA_ROWS:
            continue
        current = _current_columns(table)
        table["rows"] = [
            row
            for row in table["rows"]
            if any(is_count(row["values"][c]) and row["values"][c] for c in current)
        ]


def _published(source: dict) -> tuple[dict, dict]:
    """{quantity: value} of the source's own period, and {table key: median shown}."""
    lay = layout(source)
    mine = lay.periods["current"]
    # Its own period's counts, and the files still open on its last day (quantity_of).
    values = {q: v for q, v in lay.cells.values() if q[0] in (mine, (mine[1], mine[1]))}
    medians = {}
    table = tables_of(source).get("duration_median")
    for row in (table or {}).get("rows", []):
        if row["label"] == MEDIAN_LABEL:
            medians["duration_median"] = row["values"][0]
    return values, medians


def carry_previous(
    figures: dict, source: dict | None, source_hidden: set, *, report=None, withheld=frozenset()
):
    """Rewrites ``figures`` (a bilan's, just computed) as the module doc says, from the
    figures of the previous bilan of its scope (``source``, None if there is none) and the
    cells it masked; records in ``figures["continuity"]`` whether the bilan is sealed.
    ``withheld``: the source's tables published masked whole, not carried (their rows,
    which the source did not list, stay this bilan's own counts)."""
    _drop_rows_of_the_previous_period(figures)
    figures["rows"] = PERIOD_ROWS
    if source is None or (source["period"] != figures["previous_period"]):
        figures["continuity"] = {"report": None, "sealed": False}
        return
    values, medians = _published(source)
    lay = layout(figures)
    complete = True
    source_tables = set(tables_of(source))
    # A table of the previous bilan listing two rows of one label (frozen before such
    # rows were one: reporting.indicators.base.merged_by_label) is not carried: its
    # « X » is one of this bilan's « X » rows only. The table keeps its own counts.
    twice = {
        key
        for key, table in tables_of(source).items()
        if len({row["label"] for row in table["rows"]}) < len(table["rows"])
    }
    for key, table in tables_of(figures).items():
        if key in twice or key in withheld:
            complete = False
            continue
        labels = row_keys(table)
        rows = [*range(len(table["rows"])), *([TOTAL] if table.get("total") else [])]
        for col in range(len(table["columns"])):
            meaning = column_meaning(table, col)
            if meaning is None or meaning[1] != "previous":
                continue
            for row in rows:
                line = table["total"] if row == TOTAL else table["rows"][row]["values"]
                quantity = lay.quantity(table, row, col, labels)
                if quantity in values:
                    line[col] = values[quantity]
                elif key in DATA_ROWS and row != TOTAL and key in source_tables:
                    line[col] = 0  # not listed by the previous bilan: nobody then
                elif (
                    key in medians and row != TOTAL and table["rows"][row]["label"] == MEDIAN_LABEL
                ):
                    line[col] = medians[key]
                elif is_count(cell_value(table, row, col)):
                    complete = False  # a count the previous bilan did not show
    source_lay = layout(source)
    carried = quantity_of(
        source_lay.periods["current"], "activity", ACTIVITY["open_at_end"], "count"
    )
    carried_cells = [c for c, (q, _) in source_lay.cells.items() if q == carried]
    carried_shown = bool(carried_cells) and not any(c in source_hidden for c in carried_cells)
    figures["continuity"] = {
        "report": getattr(report, "pk", None),
        "sealed": complete and carried_shown,
    }


def previous_column_note(figures: dict) -> str | None:
    """What a recipient reads under the tables: where the previous-period column comes
    from, and why a table of rows may list fewer rows than its total counts."""
    if figures.get("rows") != PERIOD_ROWS:
        return None
    rows = (
        "Les tableaux de lignes (communes, lieux d'accueil, unités, partenaires, actes, "
        "problématiques) ne listent que les lignes comptées dans la période ; le total de la "
        "période précédente compte aussi les lignes qui n'y figurent plus."
    )
    if (figures.get("continuity") or {}).get("report"):
        return (
            "La colonne « Période précédente » reprend les chiffres publiés par le bilan de "
            "la période précédente, cases masquées comprises. " + rows
        )
    return rows
