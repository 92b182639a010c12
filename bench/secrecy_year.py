"""The secrecy of a year of bilans of nested periods: each post's monthly bilans, the
quarterly bilans and the annual ones of the département, its employers and its posts.

The préfecture holds them all at the year's end: a quarter's actes are its months' added
up, so a month masked in its own bilan is the quarter minus the two others, unless the
quarter's bilan was protected with its months' (reporting.secrecy.timeline). This makes
the year's bilans in calendar order by ``report_create`` (bench.secrecy_made: each
protected by the product's rules, with the bilans tied to it and the posts' bilans it
anticipates; one joined to more than ``INLINE_JOINED`` by the task that makes its PDF),
then audits them all together, the sums over periods included.

``late``: the annual bilans first, then the fourth quarter's, then the posts' months of
October to December (a year made before its quarter and months, which the year does not
anticipate: reporting.secrecy.reports.months_inside).
"""

import datetime

from bench.secrecy_made import department_scopes, making, outcome
from reporting.models import ReportKind
from reporting.periods import Period, month_of, quarter_of
from reporting.scope import ScopeKind


def plan(year: int, scopes: list, *, late: bool = False) -> list[tuple]:
    """(kind, period, scope) of each bilan, in the order they are made."""
    post_scopes = [s for s in scopes if s.kind == ScopeKind.POST]
    annual = Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    if late:
        fourth = quarter_of(datetime.date(year, 10, 1))
        months = [month_of(datetime.date(year, number, 1)) for number in (10, 11, 12)]
        return [
            *((ReportKind.ANNUAL, annual, scope) for scope in scopes),
            *((ReportKind.QUARTERLY, fourth, scope) for scope in scopes),
            *((ReportKind.MONTHLY, month, scope) for month in months for scope in post_scopes),
        ]
    made = []
    for number in range(1, 13):
        month = month_of(datetime.date(year, number, 1))
        made += [(ReportKind.MONTHLY, month, scope) for scope in post_scopes]
        if number % 3 == 0:
            made += [(ReportKind.QUARTERLY, quarter_of(month.start), scope) for scope in scopes]
    return made + [(ReportKind.ANNUAL, annual, scope) for scope in scopes]


def year_costs(department_id: int, *, late: bool = False) -> dict:
    year = datetime.date.today().year - 1
    scopes = department_scopes(department_id)
    made: dict = {kind: [] for kind in ("monthly", "quarterly", "annual")}
    with making(department_id) as maker:
        for kind, period, scope in plan(year, scopes, late=late):
            made[str(kind)].append(maker.make(kind, period, scope))
        joint = maker.audit_all()
    each = [m for ms in made.values() for m in ms]
    return {
        **outcome(year, each, joint),
        # The secondary suppression and its audit; "made" adds what report_create does
        # around it (figures, previous-period column, related and anticipated bilans).
        "protect_s": {k: round(sum(m["protect_s"] for m in ms), 1) for k, ms in made.items()},
        "protect_max_s": {k: round(max(m["protect_s"] for m in ms), 2) for k, ms in made.items()},
        "made_s": {k: round(sum(m["made_s"] for m in ms), 1) for k, ms in made.items()},
        "made_max_s": {k: round(max(m["made_s"] for m in ms), 2) for k, ms in made.items()},
        "made_cpu_s": {k: round(sum(m["made_cpu_s"] for m in ms), 1) for k, ms in made.items()},
        "made_cpu_max_s": {k: round(max(m["made_cpu_s"] for m in ms), 2) for k, ms in made.items()},
        "joined_max": {k: max(m["joined"] for m in ms) for k, ms in made.items()},
        "anticipated_max": {k: max(m["anticipated"] for m in ms) for k, ms in made.items()},
        # Left pending by the request (more than INLINE_JOINED bilans joined).
        "pending": {k: sum(m["pending"] for m in ms) for k, ms in made.items()},
        "joint_audit_s": joint["joint_audit_s"],
        "unprotected": joint["unprotected"],
        "unprotected_first": joint["unprotected_first"],
        # Cells of the refused bilans that the published ones give away.
        "refused_given_away": joint["refused_given_away"],
    }
