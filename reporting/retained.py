"""Anonymised people and files, replaced by their contribution to the bilans' grouped rows.

Anonymisation deletes every individual row of a person (beneficiary, files, actes,
orientations, referrals, feedback, and their history). Before that, for each post their
files belong to and each calendar month, quarter and year their data touch, the grouped
rows every indicator reads (``reporting.indicators.base.SOURCES``) are computed with them
and without them; the difference is kept (``RetainedCounts``): counts per group, in the
role of that period's own figures. The indicators add these rows to the live ones
(``Context.source``), for the period and for the previous period, so a month, quarter
or year recomputes to the figures it gave before. Periods of other lengths (chosen
dates) no longer count the anonymised files: docs/rgpd.md says so.

Every count adds up: people anonymised and people still present are distinct persons, and
a person's files belong to one post (the consolidation of bilans relies on the same).
"""

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.utils.module_loading import import_string

from cases.enums import OrientationStatus
from reporting.indicators import people
from reporting.indicators.base import SOURCES, Context, pack
from reporting.models import RetainedCounts
from reporting.periods import Period, month_of, quarter_of, year_of
from reporting.scope import Scope, ScopeKind

# AnonymousContact rows name nobody and are never anonymised.
PERSON_SOURCES = [name for name in SOURCES if name != "contacts"]


def _roles(name: str) -> dict[str, str | None]:
    """{field of the period's own figures: the same field in the previous-period role}."""
    if name == "people":
        roles: dict[str, str | None] = {
            measure: measure.replace("_current", "_previous")
            for measure in people.MEASURES
            if measure.endswith("_current")
        }
        roles["age_current"] = "age_previous"
        return roles
    if name == "orientations":
        roles = {f"s_{value}": None for value in OrientationStatus.values}
        roles["total"] = "previous"
        return roles
    return {"current": "previous"}


def count_fields(name: str) -> set[str]:
    """The counts of a source's rows (every other field is part of the row's key)."""
    if name == "people":
        return set(people.MEASURES)
    if name == "orientations":
        return {f"s_{value}" for value in OrientationStatus.values} | {"total", "previous"}
    return {"current", "previous"}


def is_grid(period: Period) -> bool:
    """A calendar month, quarter or year: the periods whose figures are kept."""
    months = period.whole_months()
    return (
        months == 1
        or (months == 3 and period.start.month in (1, 4, 7, 10))
        or (months == 12 and period.start.month == 1)
    )


def grid_periods(start: datetime.date, end: datetime.date) -> list[Period]:
    """Every calendar month, quarter and year that meets [start, end]."""
    periods: list[Period] = []
    for of in (month_of, quarter_of, year_of):
        period = of(start)
        while period.start <= end:
            periods.append(period)
            period = of(period.end + datetime.timedelta(days=1))
    return periods


def own_role(name: str, rows: Iterable[dict]) -> dict[tuple, dict]:
    """The rows in the role of the period's own figures: previous-period fields dropped,
    rows left with the same key added up, empty rows dropped. {key: row}."""
    roles, counts = _roles(name), count_fields(name)
    previous_fields = {field for field in roles.values() if field}
    merged: dict[tuple, dict] = {}
    for row in rows:
        own = {field: value for field, value in row.items() if field not in previous_fields}
        key = tuple(sorted((f, v) for f, v in own.items() if f not in counts))
        kept = merged.get(key)
        if kept is None:
            merged[key] = own
        else:
            for field in own:
                if field in counts:
                    kept[field] += own[field]
    return {key: row for key, row in merged.items() if any(row[f] for f in row if f in counts)}


def difference(name: str, before: dict[tuple, dict], after: dict[tuple, dict]) -> list[dict]:
    """What ``before`` holds more than ``after`` (own-role rows), group by group."""
    counts = count_fields(name)
    rows = []
    for key, row in before.items():
        other = after.get(key)
        left = dict(row)
        if other is not None:
            for field in counts & row.keys():
                left[field] = row[field] - other[field]
        if any(left[f] for f in left if f in counts):
            rows.append(left)
    return rows


def _in_role(name: str, row: dict, previous: bool) -> dict:
    """A kept row as a source row: as the period's figures, or as the previous period's."""
    roles, counts = _roles(name), count_fields(name)
    result = dict(row)
    for own, other in roles.items():
        if previous:
            if other:
                result[other] = row.get(own, 0 if own in counts else None)
            result[own] = 0 if own in counts else None
        elif other:
            result[other] = 0 if other in counts else None
    return result


def retained_rows(ctx: Context) -> dict[str, list[dict]]:
    """The kept rows of the scope's posts for the period and the previous period, as
    source rows (one query)."""
    if ctx.scope is None:
        return {}
    wanted = [(p, role) for p, role in ((ctx.period, False), (ctx.previous, True)) if is_grid(p)]
    if not wanted:
        return {}
    which = Q()
    for period, _ in wanted:
        which |= Q(period_start=period.start, period_end=period.end)
    roles = {(p.start, p.end): role for p, role in wanted}
    rows: dict[str, list[dict]] = {}
    kept = RetainedCounts.objects.filter(which, post__in=ctx.post_ids).values_list(
        "period_start", "period_end", "post_id", "sources"
    )
    for start, end, post, sources in kept:
        previous = roles[(start, end)]
        for name, packed in sources.items():
            fields = packed["fields"]
            rows.setdefault(name, []).extend(
                {
                    **_in_role(name, dict(zip(fields, values, strict=True)), previous),
                    **({"post": post} if ctx.by_post else {}),
                }
                for values in packed["rows"]
            )
    return rows


def _own_rows(scope: Scope, period: Period) -> dict[str, dict[tuple, dict]]:
    """The grouped rows of one post and period as the database holds them now, without
    the rows kept before (they are added, not recomputed)."""
    ctx = Context(scope=scope, period=period)
    return {name: own_role(name, import_string(SOURCES[name])(ctx)) for name in PERSON_SOURCES}


class Footprint:
    """The (post, period) pairs whose grouped rows a deletion changes, read before it."""

    def __init__(self, posts: dict[int, tuple[int, int]], start, end):
        # posts: {post id: (département id, employer id)}
        self.scopes = [
            Scope(ScopeKind.POST, department_id, employer_id, post_id)
            for post_id, (department_id, employer_id) in sorted(posts.items())
        ]
        self.periods = grid_periods(start, end) if posts and start and end else []
        self.before = {
            (scope.post_id, period): _own_rows(scope, period)
            for scope in self.scopes
            for period in self.periods
        }

    def keep(self) -> int:
        """After the deletion: stores what was removed from each (post, period). Returns
        the number of records written."""
        records = []
        for (post_id, period), before in self.before.items():
            scope = next(s for s in self.scopes if s.post_id == post_id)
            after = _own_rows(scope, period)
            sources = {}
            for name in PERSON_SOURCES:
                rows = difference(name, before[name], after[name])
                if rows:
                    sources[name] = pack(rows)
            if sources:
                records.append(
                    RetainedCounts(
                        post_id=post_id,
                        period_start=period.start,
                        period_end=period.end,
                        sources=sources,
                    )
                )
        RetainedCounts.objects.bulk_create(records, batch_size=500)
        return len(records)
