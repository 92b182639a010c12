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
  period: a period is the sum of the periods that tile it.
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


def _dates(period: tuple) -> tuple[datetime.date, datetime.date]:
    return datetime.date.fromisoformat(period[0]), datetime.date.fromisoformat(period[1])


def inside(inner: tuple, outer: tuple) -> bool:
    (a, b), (c, d) = _dates(inner), _dates(outer)
    return c <= a and b <= d


def nested(one: tuple, other: tuple) -> bool:
    return inside(one, other) or inside(other, one)


def tiling(period: tuple, periods: set) -> list[tuple] | None:
    """Periods of ``periods`` (others than ``period``) that follow one another from its
    first day to its last, the longest first where there is a choice; None if none do."""
    start, end = _dates(period)
    by_start: dict = {}
    for other in periods:
        if other != period and inside(other, period):
            by_start.setdefault(_dates(other)[0], []).append(other)
    for options in by_start.values():
        options.sort(key=lambda p: _dates(p)[1], reverse=True)
    failed: set = set()

    def walk(day, parts):
        if day == end + datetime.timedelta(days=1):
            return parts
        if day in failed or len(parts) >= MAX_PARTS:
            return None
        for option in by_start.get(day, []):
            found = walk(_dates(option)[1] + datetime.timedelta(days=1), [*parts, option])
            if found:
                return found
        failed.add(day)
        return None

    return walk(start, [])


def kind_of(key: str, label) -> str:
    """ "additive", "present" (counted if present at some time) or "none" (no relation)."""
    if key in ADDITIVE_TABLES or (key, label) in ADDITIVE_ROWS:
        return "additive"
    if key in NOT_MONOTONE_TABLES or (key, label) == STOCK:
        return "none"
    return "present"


def time_relations(variables, zeros=frozenset()) -> list[tuple[dict, str]]:
    """({variable key: coefficient}, sense) relations, each ``… sense 0``, between the
    (group, quantity) variables of the same group, table, row and measure whose periods
    are nested (see the module doc). ``zeros``: (group, period, table, measure) whose rows
    not listed are zero (a month whose table of actes lists no « Entretien physique »)."""
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
        known = set(periods)
        if label is not None:
            known |= zero_periods.get((group, key, measure), set())
        if len(known) < 2:
            continue

        def terms_of(pairs, group=group, key=key, label=label, measure=measure, periods=periods):
            # A period not listed for the row counts zero: no term.
            return {
                (group, (period, key, label, measure)): coef
                for period, coef in pairs
                if period in periods
            }

        for period in periods:
            parts = tiling(period, known)
            if parts:
                terms = terms_of([(period, 1), *((part, -1) for part in parts)])
                relations.append((terms, "eq" if kind == "additive" else "le"))
            for other in periods:
                if other != period and inside(other, period):
                    relations.append((terms_of([(period, 1), (other, -1)]), "ge"))
    return relations


def tied_periods(current: tuple, previous: tuple, sealed: bool, others: dict, source=None) -> set:
    """The keys of ``others`` ({key: (current period, previous period, sealed)}, the other
    bilans) a bilan of ``current`` is audited with: the previous bilan it carries
    (``source``), those of a period nested in one of the periods so tied, from its own
    (and its previous one if it is not sealed), and those that tell of such a period in
    their previous-period column without being sealed, each bringing its own period, and
    its previous one if it is not sealed."""
    periods = {current} | ({previous} if not sealed else set())
    kept: set = set()
    new = {source} if source in others else set()
    while True:
        new |= {
            key
            for key, (mine, before, closed) in others.items()
            if key not in kept
            and (any(nested(mine, p) for p in periods) or (not closed and before in periods))
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
