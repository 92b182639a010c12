"""The shape shared by every indicator table, and the filters every indicator uses.

A table is a plain dict (JSON-serialisable: it is frozen into the bilan's snapshot):

    {"key", "title", "label_header", "columns": [header...], "rows": [{"label", "values"}],
     "total": [values] | None, "sums": [[total_col, [part_cols]]...], "shares": {col: of_col},
     "chart": "bar" | "hbar" | "pie" | None, "note": str}

``values`` are counts (int), or for share columns a percentage (float) derived from a
count column, or a short text (median). ``sums`` says which columns of a row add up to
another one, ``total`` which row totals the others: the statistical secrecy needs both.
"""

from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from django.db.models import Q
from django.utils.module_loading import import_string

from iscg.models import Department
from reporting.periods import Period
from reporting.scope import Scope

CURRENT = "Période"
PREVIOUS = "Période précédente"


# The reads of the database behind the indicators, by name: each returns grouped rows
# (lists of dicts of JSON values: attributes and counts, never a name). Rows of disjoint
# scopes can be concatenated: every table adds up the rows that share a key, so the same
# table code builds a bilan from the database or from the frozen rows of several bilans
# (reporting.consolidation).
SOURCES = {
    "people": "reporting.indicators.people.grouped_files",
    "referrals": "reporting.indicators.problems.grouped_referrals",
    "communes": "reporting.indicators.territory.commune_rows",
    "sites": "reporting.indicators.territory.site_rows",
    "durations": "reporting.indicators.activity.duration_rows",
    "actes": "reporting.indicators.activity.acte_rows",
    "contacts": "reporting.indicators.activity.contact_rows",
    "orientations": "reporting.indicators.orientations.orientation_rows",
}
# The counts of a source's rows; every other field is part of the row's key.
COUNTS = ("current", "previous")


def pack(rows: list[dict]) -> dict:
    """Rows as {"fields": [...], "rows": [[values]...]}: a frozen bilan does not repeat
    the field names in each of its thousands of rows."""
    fields = list(rows[0]) if rows else []
    return {"fields": fields, "rows": [[row[field] for field in fields] for row in rows]}


def merge_packed(packs: list[dict], counts) -> list[dict]:
    """The rows of several packed sources, those sharing a key added up into one row.

    Fields are matched by name: a bilan frozen by an earlier version, whose rows lack a
    field, gets None as that field (a key) or 0 (a count)."""
    fields: list[str] = []
    for packed in packs:
        fields += [field for field in packed["fields"] if field not in fields]
    keys = [i for i, field in enumerate(fields) if field not in counts]
    measures = [i for i, field in enumerate(fields) if field in counts]
    key_of = itemgetter(*keys) if keys else (lambda row: ())
    merged: dict = {}
    for packed in packs:
        if packed["fields"] != fields:
            where = {field: i for i, field in enumerate(packed["fields"])}
            default = [0 if field in counts else None for field in fields]
            rows = [
                [row[where[f]] if f in where else default[i] for i, f in enumerate(fields)]
                for row in packed["rows"]
            ]
        else:
            rows = packed["rows"]
        for row in rows:
            key = key_of(row)
            kept = merged.get(key)
            if kept is None:
                merged[key] = list(row)
            else:
                for i in measures:
                    kept[i] += row[i]
    return [dict(zip(fields, row, strict=True)) for row in merged.values()]


def post_field(ctx) -> list[str]:
    """["post"] when the context groups its rows by post too (``Context.by_post``)."""
    return ["post"] if ctx.by_post else []


def post_of(row: dict) -> dict:
    """The post a grouped row carries, if read by post (``post_field``)."""
    return {"post": row["post"]} if "post" in row else {}


@dataclass(frozen=True)
class Context:
    """What the indicators are computed on: a scope's rows read from the database, or,
    with ``given``, rows read before (a consolidation of frozen bilans; scope is then
    None). ``keyed``: each count of the rows read comes with the sum of its records' keys
    (``<count>_key``, reporting.indicators.keys), for the live statistics' perturbation."""

    scope: Scope | None
    period: Period
    given: dict | None = field(default=None, compare=False, hash=False)
    keyed: bool = False
    # Each row also grouped by its post ("post"): the posts' data states a bilan of
    # several posts records (reporting.indicators.states), never its figures.
    by_post: bool = False

    @property
    def previous(self) -> Period:
        return self.period.previous()

    @property
    def both(self) -> tuple[Period, Period]:
        return self.period, self.previous

    @cached_property
    def post_ids(self) -> list[int]:
        """The posts covered, read once: a short list of integers lets the database use the
        (post, date) indexes, where a subquery would make it scan whole tables."""
        return list(self.scope.post_ids().values_list("pk", flat=True))

    def source(self, name: str) -> list[dict]:
        """The rows of one source (``SOURCES``), read once."""
        cache = self.__dict__.setdefault("_sources", {})
        if name not in cache:
            if self.given is not None:
                cache[name] = self.given.get(name, [])
            else:
                cache[name] = import_string(SOURCES[name])(self) + self.retained.get(name, [])
        return cache[name]

    @cached_property
    def department_code(self) -> str | None:
        """The INSEE code of the scope's département (None for a consolidation)."""
        if self.scope is None:
            return None
        codes = Department.objects.filter(pk=self.scope.department_id)
        return codes.values_list("code", flat=True).first()

    @cached_property
    def department_names(self) -> dict[str, str]:
        """{INSEE code: name} of the départements, for a consolidation's residence."""
        return dict(Department.objects.values_list("code", "name"))

    @cached_property
    def retained(self) -> dict[str, list[dict]]:
        """What anonymised files left to the scope's months, quarters and years: counts
        added to the live rows (reporting.retained)."""
        return import_string("reporting.retained.retained_rows")(self)

    def sources(self) -> dict[str, list[dict]]:
        """Every source's rows: what a bilan freezes for a later consolidation."""
        return {name: self.source(name) for name in SOURCES}

    @property
    def people(self) -> list[dict]:
        """The files in scope grouped by the person's attributes (see indicators.people)."""
        return self.source("people")

    @property
    def referrals(self) -> list[dict]:
        """The referrals in scope grouped by origin, unit and problem (indicators.problems)."""
        return self.source("referrals")


def case_overlap(period: Period, prefix: str = "") -> Q:
    """A file (case) counts in a period if it was open at some point in it."""
    return Q(**{f"{prefix}opened_on__lte": period.end}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": period.start})
    )


def span(ctx: Context) -> Period:
    """The previous period and the period, which follow each other, as one period: one
    range lets the database read a (post, date) index in a single pass."""
    return Period(ctx.previous.start, ctx.period.end)


def either_overlap(ctx: Context, prefix: str = "") -> Q:
    """Open at some point in the period or the previous one."""
    return case_overlap(span(ctx), prefix)


def in_either_dates(ctx: Context, field: str) -> Q:
    return in_dates(span(ctx), field)


def in_either_datetimes(ctx: Context, field: str) -> Q:
    return in_datetimes(span(ctx), field)


def in_dates(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def in_datetimes(period: Period, field: str) -> Q:
    start, end = period.datetime_bounds()
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def add_up(rows, key_fields, values) -> dict[tuple, list[int]]:
    """{(key field values): [sum of each value function]} over grouped rows."""
    totals: dict[tuple, list[int]] = {}
    for row in rows:
        key = tuple(row[field] for field in key_fields)
        sums = totals.setdefault(key, [0] * len(values))
        for index, value in enumerate(values):
            sums[index] += value(row)
    return totals


def merged_by_label(rows) -> list[tuple[str, list]]:
    """(label, counts) rows with the rows of one label added up, at the first one's place:
    entries of reference lists under one label (the shared list's and a département's
    own, or two départements' in a consolidation) are one row. A reader could not tell
    two such rows apart, and the statistical secrecy names a row by its label
    (reporting.secrecy.layout.row_keys): numbered « X#2 », a row could take another
    bilan's « X »."""
    merged: dict[str, list] = {}
    for label, values in rows:
        if label in merged:
            merged[label] = [a + b for a, b in zip(merged[label], values, strict=True)]
        else:
            merged[label] = list(values)
    return list(merged.items())


# The two counts of a grouped row: the period's and the previous period's.
CURRENT_AND_PREVIOUS = (itemgetter("current"), itemgetter("previous"))


def table(
    key,
    title,
    label_header,
    rows,
    *,
    columns=(CURRENT, PREVIOUS),
    total=True,
    sums=(),
    shares=None,
    chart="bar",
    note="",
):
    rows = [{"label": str(label), "values": list(values)} for label, values in rows]
    total_values = None
    if total:
        total_values = []
        for index in range(len(columns)):
            if shares and str(index) in shares:
                total_values.append(100.0 if any(r["values"][index] for r in rows) else None)
            else:
                total_values.append(sum(r["values"][index] or 0 for r in rows))
    return {
        "key": key,
        "title": title,
        "label_header": label_header,
        "columns": list(columns),
        "rows": rows,
        "total": total_values,
        "sums": [list(s) for s in sums],
        "shares": shares or {},
        "chart": chart,
        "note": note,
    }


def share(part: int, whole: int) -> float | None:
    if not whole:
        return None
    return round(100.0 * part / whole, 1)
