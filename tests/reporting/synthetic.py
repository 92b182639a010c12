"""Tables built by hand for the secrecy tests, as the indicators build them."""

from reporting.indicators.base import table

CLOSED = "Accompagnements clôturés"
MEDIAN = "Durée médiane (jours)"


def median_table(closed: list, median: list, automatic: list | None = None) -> dict:
    """The « Durée médiane d'accompagnement » table (reporting.indicators.activity):
    closed files and their median per column, then the automatic closures if given."""
    rows = [(CLOSED, closed), (MEDIAN, median)]
    if automatic is not None:
        rows.append(("Clôtures automatiques sans contact (hors durée)", automatic))
    return table("duration_median", "Durée", "Mesure", rows, total=False, chart=None)
