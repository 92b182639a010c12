"""What one bilan publishes, as linear statements about counts.

A reader of a bilan knows more than each table's declared total: the same people are
counted in several tables (profile, sex, age, family situation and commune all add up to
the people accompanied), the active files are the closed ones plus those still open,
the referrals by unit are the referrals whose origin is a unit, a row of communes exists
only because someone lives there, the median duration bounds the duration bands, and
the previous-period column of one bilan is the period column of the bilan before it.
This module writes all of that down, per bilan, in terms of *quantities*: what a count
means independently of the bilan that shows it (period, table, row label, measure), so
that the same quantity in two bilans, or two columns, is one unknown for the audit.

Two kinds of relations:

- ``identities`` hold for every post (sums and differences of counts that are additive
  over posts: a person's file belongs to one post): the audit writes them for every
  group of posts it reasons about;
- ``statements`` hold for the bilan's scope as a whole (a row exists, the median).

A relation is ``(terms, sense, rhs)``: terms are ``(quantity, coefficient)`` pairs,
sense one of ``"eq"``, ``"le"``, ``"ge"``.
"""

from dataclasses import dataclass, field

from cases.enums import ReferralOrigin
from reporting.indicators.activity import DURATION_BANDS
from reporting.indicators.base import CURRENT, PREVIOUS
from reporting.indicators.territory import DEPARTMENT
from reporting.secrecy.open_rows import EVERY_ROW, UNKNOWN_ROW, department_prefix, selects

THRESHOLD = 3
TOTAL = -1  # the row index of a table's total row, in a cell id (table key, row, column)

PREVIOUS_HEADERS = {PREVIOUS, "Total période précédente"}
CURRENT_HEADERS = {CURRENT, "Total période"}
# Tables whose rows are listed only when something was counted in them (either period):
# the row itself tells the reader its counts are not all zero.
DATA_ROWS = {"commune", "site", "referral_unit", "orientation", "actes", "problem"}
# figures["rows"] of a bilan whose DATA_ROWS tables list the rows counted in its own period
# only (reporting.secrecy.continuity): their previous-period column is then partial.
PERIOD_ROWS = "period"

PEOPLE_TABLES = ("profile", "age", "sex", "family", "commune", "residence")
ACTIVITY = {
    "people": "Personnes accompagnées",
    "files": "Accompagnements (dossiers) actifs",
    "opened": "Accompagnements ouverts",
    "closed": "Accompagnements clôturés",
    "open_at_end": "Accompagnements en cours en fin de période",
}
UNKNOWN_COMMUNE = "Commune non renseignée"
RESIDENCE = ("Dans le département", "Hors du département", "Non renseignée")
CLOSED_LABEL = "Accompagnements clôturés"
AUTOMATIC_LABEL = "Clôtures automatiques sans contact (hors durée)"


def is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def column_meaning(table: dict, col: int) -> tuple[str, str] | None:
    """(measure, "current" | "previous") of a count column; None for a share column."""
    if str(col) in (table.get("shares") or {}):
        return None
    header = table["columns"][col]
    if header in PREVIOUS_HEADERS:
        return ("count", "previous")
    if header in CURRENT_HEADERS:
        return ("count", "current")
    return (header, "current")


def row_keys(table: dict) -> list[str]:
    """Row labels, made unique (a label repeated in one table is numbered)."""
    seen: dict[str, int] = {}
    keys = []
    for row in table["rows"]:
        n = seen[row["label"]] = seen.get(row["label"], 0) + 1
        keys.append(row["label"] if n == 1 else f"{row['label']}#{n}")
    return keys


# Tables whose rows come ranked by their true count (communes, sites). Shown ranked so,
# masked or perturbed, the order would tell what the mask or the perturbation hides (two
# « s » below a 3, out of their names' order, are 2 then 1): a recipient's copy ranks
# them by what it shows, masked rows last, then by name (« non renseignée » last).
RANKED = {"commune", "site"}
LAST_ROWS = {UNKNOWN_COMMUNE}


def rank_by_published(table: dict) -> None:
    def rank(row):
        shown = row["values"][0]
        return (row["label"] in LAST_ROWS, not is_count(shown), -shown if is_count(shown) else 0)

    table["rows"].sort(key=lambda row: (*rank(row), row["label"]))


def tables_of(figures: dict) -> dict[str, dict]:
    return {t["key"]: t for s in figures.get("sections", []) for t in s["tables"]}


WITHHELD = "withheld"  # a table masked whole, its rows not listed (a flag of the shown table)


def cell_value(table: dict, row: int, col: int):
    values = table["total"] if row == TOTAL else table["rows"][row]["values"]
    return values[col] if values and col < len(values) else None


def quantity_of(period: tuple, key: str, label, measure: str) -> tuple:
    """What a count means whatever the bilan that shows it. The files still open at the
    end of a period are those open on its last day: one quantity per day, whatever the
    period's first day (the year's and its last quarter's are one)."""
    if key == "activity" and label == ACTIVITY["open_at_end"]:
        period = (period[1], period[1])
    return (period, key, label, measure)


@dataclass
class Layout:
    """The count cells of one bilan and the relations a reader knows between them."""

    periods: dict  # "current" / "previous" -> (start, end)
    # The DATA_ROWS tables list the rows of the current period only: a row not listed may
    # still count someone in the previous period.
    partial_previous: bool = False
    cells: dict = field(default_factory=dict)  # cell id -> (quantity, value)
    identities: list = field(default_factory=list)
    statements: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # [cell ids] that one relation ties together
    # Sums over the rows of a table whose rows the reader does not all know (withheld, or
    # not listed for the previous period): ([(quantity, coefficient)], (period, table,
    # measure), labels left out). For each group of posts, the audit writes terms ≥ the
    # rows of that table, period and measure it knows from any bilan (audit.build), not
    # only this bilan's rows: equal to their sum, the total said that every other row was
    # zero (a withheld table); at least their sum, it left out the rows other bilans show.
    open_sums: list = field(default_factory=list)

    def quantity(self, table: dict, row: int, col: int, labels=None):
        meaning = column_meaning(table, col)
        if meaning is None:
            return None
        measure, which = meaning
        labels = labels if labels is not None else row_keys(table)
        label = None if row == TOTAL else labels[row]
        return quantity_of(self.periods[which], table["key"], label, measure)


def layout(figures: dict, unlisted=frozenset()) -> Layout:
    """``unlisted``: tables of rows whose rows the bilan does not list (withheld: its
    rows still count, but a reader does not learn that they count someone)."""
    period, previous = figures["period"], figures["previous_period"]
    lay = Layout(
        periods={
            "current": (period["start"], period["end"]),
            "previous": (previous["start"], previous["end"]),
        },
        partial_previous=figures.get("rows") == PERIOD_ROWS,
    )
    tables = tables_of(figures)
    where: dict = {}  # quantity -> cell id
    for key, table in tables.items():
        rows = [*range(len(table["rows"])), *([TOTAL] if table.get("total") else [])]
        labels = row_keys(table)
        for row in rows:
            for col in range(len(table["columns"])):
                value = cell_value(table, row, col)
                quantity = lay.quantity(table, row, col, labels)
                if quantity is None or not is_count(value):
                    continue
                lay.cells[(key, row, col)] = (quantity, value)
                where[quantity] = (key, row, col)
    _Relations(lay, tables, where, unlisted).write()
    return lay


class _Relations:
    """Writes the identities and statements of one bilan (see the module doc)."""

    def __init__(self, lay: Layout, tables: dict, where: dict, unlisted=frozenset()):
        self.lay, self.tables, self.where = lay, tables, where
        self.unlisted = unlisted
        self.prefix = None  # the département's code prefix, once a column tells it

    def q(self, key, label, measure="count", which="current"):
        """The quantity of a cell, or None if the bilan does not show it."""
        quantity = quantity_of(self.lay.periods[which], key, label, measure)
        return quantity if quantity in self.where else None

    def relation(self, terms, sense="eq", rhs=0, *, identity=True):
        if any(quantity is None for quantity, _ in terms):
            return
        values = {q: self.lay.cells[self.where[q]][1] for q, _ in terms}
        lhs = sum(values[q] * c for q, c in terms)
        holds = {"eq": abs(lhs - rhs) < 1e-9, "le": lhs <= rhs + 1e-9, "ge": lhs >= rhs - 1e-9}
        if not holds[sense]:  # data that break a rule (a file closed before it opened)
            return
        (self.lay.identities if identity else self.lay.statements).append(
            (tuple(terms), sense, rhs)
        )
        self.lay.groups.append([self.where[q] for q, _ in terms])

    def equal(self, total, parts, **kwargs):
        self.relation([(total, 1), *[(p, -1) for p in parts]], **kwargs)

    def sense(self, key, which) -> str:
        """A total is the sum of its rows, or at least that of the rows listed when the
        table does not list every row of that period, or withholds its rows."""
        partial = self.lay.partial_previous and which == "previous" and key in DATA_ROWS
        return "ge" if partial or key in self.unlisted else "eq"

    def open_sum(self, terms, key, measure, which, *, rows=EVERY_ROW):
        """``terms`` ≥ the rows of table ``key`` that ``rows`` selects (``selects``,
        ``Layout.open_sums``), if this bilan shows every one of ``terms`` and the rows it
        has do not exceed them."""
        if any(quantity is None for quantity, _ in terms):
            return
        table = self.tables[key]
        mine = [
            self.q(key, label, measure, which) for label in row_keys(table) if selects(rows, label)
        ]
        values = [self.lay.cells[self.where[q]][1] for q in mine if q is not None]
        lhs = sum(self.lay.cells[self.where[q]][1] * c for q, c in terms)
        if lhs < sum(values):  # data that break a rule
            return
        self.lay.open_sums.append((tuple(terms), (self.lay.periods[which], key, measure), rows))

    def write(self):
        self.declared_sums()
        for which in ("current", "previous"):
            self.people_and_files(which)
            self.residence(which)
            self.referrals(which)
            self.median(which)
        files = self.q("activity", ACTIVITY["files"])
        carried = self.q("activity", ACTIVITY["open_at_end"], which="previous")
        opened = self.q("activity", ACTIVITY["opened"])
        self.equal(files, [carried, opened])  # still open at the start, or opened since
        self.rows_exist()

    def declared_sums(self):
        for key, table in self.tables.items():
            labels = row_keys(table)
            columns = [c for c in range(len(table["columns"])) if column_meaning(table, c)]
            if table.get("total"):
                for col in columns:
                    measure, which = column_meaning(table, col)
                    total = self.q(key, None, measure, which)
                    if self.sense(key, which) == "ge":
                        self.open_sum([(total, 1)], key, measure, which)
                        continue
                    self.equal(total, [self.q(key, label, measure, which) for label in labels])
            for total_col, parts in table.get("sums") or []:
                for label in [*labels, None]:
                    self.equal(
                        self.q(key, label, *column_meaning(table, total_col)),
                        [self.q(key, label, *column_meaning(table, p)) for p in parts],
                    )

    def people_and_files(self, which):
        def activity(name):
            return self.q("activity", ACTIVITY[name], which=which)

        people, files = activity("people"), activity("files")
        for key in PEOPLE_TABLES:
            self.equal(people, [self.q(key, None, which=which)])
        for key in ("known_department", "known_caf"):
            self.equal(files, [self.q(key, None, which=which)])
        self.equal(files, [activity("closed"), activity("open_at_end")])
        self.relation([(people, 1), (files, -1)], "le")
        self.relation([(activity("opened"), 1), (files, -1)], "le")
        # Files closed = closed with a duration + closed by retention for want of contact
        # (a row absent from bilans computed before such closures existed).
        closed = activity("closed")
        with_duration = self.q("duration_median", CLOSED_LABEL, which=which)
        automatic = self.q("duration_median", AUTOMATIC_LABEL, which=which)
        self.equal(closed, [with_duration] + ([automatic] if automatic is not None else []))
        self.equal(with_duration, [self.q("duration", None, which=which)])
        if with_duration is None:
            self.equal(closed, [self.q("duration", None, which=which)])
        actes, legal = (
            self.q("actes", None, which=which),
            self.q("legal_reports", None, which=which),
        )
        self.relation([(legal, 1), (actes, -1)], "le")

    def residence(self, which):
        communes = self.tables.get("commune")
        if communes is None or "residence" not in self.tables:
            return
        inside, outside, unknown = (self.q("residence", label, which=which) for label in RESIDENCE)
        labels = row_keys(communes)
        known = [
            self.q("commune", label, which=which) for label in labels if label != UNKNOWN_COMMUNE
        ]
        sense = self.sense("commune", which)
        # « Non renseignée » is the row « Commune non renseignée », listed or not.
        if UNKNOWN_COMMUNE in labels:
            self.equal(unknown, [self.q("commune", UNKNOWN_COMMUNE, which=which)])
        elif sense == "eq":
            self.equal(unknown, [])
        else:
            self.open_sum([(unknown, 1)], "commune", "count", which, rows=UNKNOWN_ROW)
        # A reader tells the communes of the département by their code: the bilan's
        # département, or (figures made before the table held it) the code prefix whose
        # communes in this column add up to « dans le département ».
        found = self.tables["residence"].get(DEPARTMENT)
        if found is None and inside is not None:
            amounts = {
                label: self.lay.cells[self.where[q]][1]
                for label in labels
                if (q := self.q("commune", label, which=which)) is not None
            }
            found = department_prefix(amounts, self.lay.cells[self.where[inside]][1])
        if sense != "eq":
            # Some communes of that period are not listed: inside + outside ≥ the communes
            # known, of whatever bilan; inside ≥ the département's communes known and
            # outside ≥ the others, the prefix told by this column's communes, else by
            # another column's (the département is the same: a partial column's often
            # do not add up).
            self.open_sum(
                [(inside, 1), (outside, 1)],
                "commune",
                "count",
                which,
                rows=("except", frozenset({UNKNOWN_COMMUNE})),
            )
            self.prefix = found or self.prefix
            if inside is not None and self.prefix is not None:
                mine, others = ("in", self.prefix), ("out", self.prefix)
                self.open_sum([(inside, 1)], "commune", "count", which, rows=mine)
                self.open_sum([(outside, 1)], "commune", "count", which, rows=others)
            return
        # inside + outside = the communes that are known
        self.relation([(inside, 1), (outside, 1), *[(k, -1) for k in known]])
        if found is None:
            return

        def communes_of(rows):
            return [
                self.q("commune", label, which=which) for label in labels if selects(rows, label)
            ]

        # Both sides are known sums.
        before = len(self.lay.identities)
        self.equal(inside, communes_of(("in", found)))
        if len(self.lay.identities) > before:
            self.equal(outside, communes_of(("out", found)))
            self.prefix = found

    def referrals(self, which):
        origins = dict(ReferralOrigin.choices)
        direct = self.q("origin", origins[ReferralOrigin.FSI_DIRECT], which=which)
        indirect = self.q("origin", origins[ReferralOrigin.FSI_INDIRECT], which=which)
        self.equal(self.q("origin", None, which=which), [self.q("problem", None, which=which)])
        self.equal(self.q("referral_unit", None, which=which), [direct, indirect])
        if which == "current":
            self.equal(self.q("referral_unit", None, "Directes"), [direct])
            self.equal(self.q("referral_unit", None, "Indirectes"), [indirect])

    def median(self, which):
        """A median m of N durations: at most N/2 are below m, at least N/2 up to m."""
        table = self.tables.get("duration_median")
        if table is None or "duration" not in self.tables or len(table["rows"]) < 2:
            return
        col = 0 if which == "current" else 1
        shown = table["rows"][1]["values"][col]
        try:
            median = float(str(shown).removesuffix(" j"))
        except ValueError:
            return
        n = self.q("duration_median", CLOSED_LABEL, which=which)
        if n is None or self.lay.cells[self.where[n]][1] < THRESHOLD:
            return  # the median is withheld
        bands = [self.q("duration", band.label, which=which) for band in DURATION_BANDS]
        # Calendar bands: a band lies wholly below the median when its longest duration
        # in days does, and may reach it when its shortest does (reporting.indicators).
        below = [
            b
            for b, band in zip(bands, DURATION_BANDS, strict=True)
            if band.days_to is not None and band.days_to < median
        ]
        upto = [
            b for b, band in zip(bands, DURATION_BANDS, strict=True) if band.days_from <= median
        ]
        self.relation([*[(b, 1) for b in below], (n, -0.5)], "le", identity=False)
        self.relation([*[(b, 1) for b in upto], (n, -0.5)], "ge", identity=False)

    def rows_exist(self):
        for key in (DATA_ROWS & set(self.tables)) - set(self.unlisted):
            table = self.tables[key]
            for label in row_keys(table):
                # Listed because of either period, or of its own (PERIOD_ROWS).
                periods = ("current",) if self.lay.partial_previous else ("current", "previous")
                terms = [(self.q(key, label, "count", which), 1) for which in periods]
                self.relation([t for t in terms if t[0] is not None], "ge", 1, identity=False)
