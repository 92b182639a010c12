"""What bilans of periods nested in one another tell together.

A recipient holds a post's monthly bilans, the quarterly bilan and the annual one: the
quarter's actes are the sum of its three months', so a month masked in its own bilan is
the quarter's count minus the two others; the people of the quarter are at most those of
its months added up and at least those of each month; the files still open at the end of
the quarter are those open at the end of its last month. The audit writes these
relations (``time_relations``) between the quantities of every group of posts it reasons
about, and a bilan is protected with the bilans of every period nested in its own
(``tied_periods``).

- *Additive* counts (files opened or closed, actes, legal reports, anonymous contacts,
  orientations, referrals, durations of the files closed) count events dated in the
  period: a period is the sum of the periods that tile it (every way they do), and at
  least the sum of periods inside it that do not overlap (a quarter made before its
  months: July's and August's masked counts add up to at most the quarter's).
- Relations that the counts as frozen break are left out: an entry made late between two
  bilans makes the reader's sum wrong, not telling.
- The other counts (people, active files, communes, sites, profiles) count what was
  present at some time in the period: at most the sum of the periods that tile it, at
  least each period inside it. The age bands are left out: a person's age band is read at
  a date of each period, so it is not monotone from a period to a longer one.
- The files open at the end of a period are one quantity per end date (``layout``).
"""

import datetime

from reporting.secrecy.layout import ACTIVITY, AUTOMATIC_LABEL, CLOSED_LABEL

ADDITIVE_TABLES = {
    "referral_unit",
    "origin",
    "problem",
    "orientation",
    "duration",
    "actes",
    "legal_reports",
    "anonymous",
}
ADDITIVE_ROWS = {
    ("activity", ACTIVITY["opened"]),
    ("activity", ACTIVITY["closed"]),
    ("duration_median", CLOSED_LABEL),
    ("duration_median", AUTOMATIC_LABEL),
}
NOT_MONOTONE_TABLES = {"age"}
STOCK = ("activity", ACTIVITY["open_at_end"])
MAX_PARTS = 62  # a tiling of more parts than the days of two months is not looked for
MAX_TILINGS = 8
MAX_WALKED = 256  # ways looked at, kept or not (a year of weeks has millions)


def _dates(period: tuple) -> tuple[datetime.date, datetime.date]:
    return datetime.date.fromisoformat(period[0]), datetime.date.fromisoformat(period[1])


def inside(inner: tuple, outer: tuple) -> bool:
    (a, b), (c, d) = _dates(inner), _dates(outer)
    return c <= a and b <= d


def nested(one: tuple, other: tuple) -> bool:
    return inside(one, other) or inside(other, one)


def _inside_by_start(period: tuple, periods: set) -> dict:
    """{first day: periods inside ``period`` (not itself) starting that day, longest first}."""
    by_start: dict = {}
    for other in periods:
        if other != period and inside(other, period):
            by_start.setdefault(_dates(other)[0], []).append(other)
    for options in by_start.values():
        options.sort(key=lambda p: (_dates(p)[1], p), reverse=True)
    return by_start


def tilings(period: tuple, periods: set) -> list[list[tuple]]:
    """The ways (up to MAX_TILINGS, the longest parts first) periods of ``periods`` follow
    one another from ``period``'s first day to its last: each gives a relation (with
    overlapping periods of chosen dates, two ways may tell different things).

    A way whose every part lies inside one part of a way already kept tells nothing more:
    each part of that way is tiled by those parts, a relation written for that shorter
    period (the year by its twelve months is its four quarters, each by its months). Only
    ways with a part across the bounds of every way kept before are kept: the year's 16
    ways by quarters and months were each a row of every program, for nothing."""
    start, end = _dates(period)
    by_start = _inside_by_start(period, periods)
    found: list = []
    failed: set = set()
    walked = 0

    def brings_a_period(parts) -> bool:
        return all(
            any(not any(inside(part, whole) for whole in kept) for part in parts) for kept in found
        )

    def walk(day, parts) -> bool:
        nonlocal walked
        if len(found) >= MAX_TILINGS or walked >= MAX_WALKED:
            return True
        if day == end + datetime.timedelta(days=1):
            walked += 1
            if brings_a_period(parts):
                found.append(parts)
            return True
        if day in failed or len(parts) >= MAX_PARTS:
            return False
        reached = False
        for option in by_start.get(day, []):
            following = _dates(option)[1] + datetime.timedelta(days=1)
            reached |= walk(following, [*parts, option])
        if not reached:
            failed.add(day)
        return reached

    walk(start, [])
    return found


def tiling(period: tuple, periods: set) -> list[tuple] | None:
    """The first of ``tilings``, None if there is none."""
    found = tilings(period, periods)
    return found[0] if found else None


def disjoint_inside(period: tuple, periods: set) -> list[tuple]:
    """Periods inside ``period`` that do not overlap, taken from its first day on, the
    longest first, skipping the days no period starts on (July and August of a quarter
    whose September has no bilan): their additive counts add up to at most its own."""
    start, end = _dates(period)
    by_start = _inside_by_start(period, periods)
    parts, day = [], start
    while day <= end and len(parts) < MAX_PARTS:
        if by_start.get(day):
            part = by_start[day][0]
            parts.append(part)
            day = _dates(part)[1] + datetime.timedelta(days=1)
        else:
            day += datetime.timedelta(days=1)
    return parts


def kind_of(key: str, label) -> str:
    """ "additive", "present" (counted if present at some time) or "none" (no relation)."""
    if key in ADDITIVE_TABLES or (key, label) in ADDITIVE_ROWS:
        return "additive"
    if key in NOT_MONOTONE_TABLES or (key, label) == STOCK:
        return "none"
    return "present"


def _holds(terms: dict, sense: str, known: dict) -> bool:
    """False only if every count of the relation is known and breaks it."""
    if any(key not in known for key in terms):
        return True
    total = sum(known[key] * coef for key, coef in terms.items())
    return {"eq": abs(total) < 1e-9, "le": total <= 1e-9, "ge": total >= -1e-9}[sense]


def time_relations(variables, zeros=frozenset(), known=None) -> list[tuple[dict, str]]:
    """({variable key: coefficient}, sense) relations, each ``… sense 0``, between the
    (group, quantity) variables of the same group, table, row and measure whose periods
    are nested (see the module doc). ``zeros``: (group, period, table, measure) whose rows
    not listed are zero (a month whose table of actes lists no « Entretien physique »).
    ``known``: {variable key: count} as bilans froze them; a relation they break is left
    out (the data changed between the two bilans: the reader's sum would be wrong)."""
    relations = [
        (terms, sense)
        for terms, sense in _time_relations(variables, zeros)
        if known is None or _holds(terms, sense, known)
    ]
    return relations


def _time_relations(variables, zeros) -> list[tuple[dict, str]]:
    by_base: dict = {}
    for group, quantity in variables:
        period, key, label, measure = quantity
        kind = kind_of(key, label)
        if kind != "none":
            by_base.setdefault((group, key, label, measure), {})[period] = kind
    zero_periods: dict = {}
    for group, period, key, measure in zeros:
        zero_periods.setdefault((group, key, measure), set()).add(period)
    relations = []
    for (group, key, label, measure), periods in by_base.items():
        kind = next(iter(periods.values()))
        present = set(periods)
        if label is not None:
            present |= zero_periods.get((group, key, measure), set())
        if len(present) < 2:
            continue

        def terms_of(pairs, group=group, key=key, label=label, measure=measure, periods=periods):
            # A period not listed for the row counts zero: no term.
            return {
                (group, (period, key, label, measure)): coef
                for period, coef in pairs
                if period in periods
            }

        for period in periods:
            for parts in tilings(period, present):
                terms = terms_of([(period, 1), *((part, -1) for part in parts)])
                relations.append((terms, "eq" if kind == "additive" else "le"))
            if kind == "additive":
                # At least the periods inside it that do not overlap, added up.
                parts = disjoint_inside(period, present)
                if len(parts) > 1:
                    terms = terms_of([(period, 1), *((part, -1) for part in parts)])
                    relations.append((terms, "ge"))
            for other in periods:
                if other != period and inside(other, period):
                    relations.append((terms_of([(period, 1), (other, -1)]), "ge"))
    return relations


def tied_periods(current: tuple, previous: tuple, sealed: bool, others: dict, source=None) -> set:
    """The keys of ``others`` ({key: (current period, previous period, sealed)}, the other
    bilans) a bilan of ``current`` is audited with: the previous bilan it carries
    (``source``), those of a period nested in one of the periods so tied, from its own
    (and its previous one if it is not sealed), and those whose previous-period column,
    not sealed, is such a period or nested in one (an employer's third quarter made first
    tells of the months of the second), each bringing its own period, and its previous one
    if it is not sealed."""
    periods = {current} | ({previous} if not sealed else set())
    kept: set = set()
    new = {source} if source in others else set()
    while True:
        new |= {
            key
            for key, (mine, before, closed) in others.items()
            if key not in kept
            and any(nested(mine, p) or (not closed and nested(before, p)) for p in periods)
        }
        if not new:
            return kept
        kept |= new
        for key in new:
            mine, before, closed = others[key]
            periods.add(mine)
            if not closed:
                periods.add(before)
        new = set()
