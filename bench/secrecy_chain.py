"""The secrecy of a year of quarterly bilans, made quarter after quarter.

Each quarter's bilan shows the quarter before it in its previous-period column: that
column is the period column of the previous quarter's bilans, so a recipient reads the
same counts in two bilans, masked perhaps in one and not the other. This measures the
four quarterly bilans of last year of the département, its employers and its posts,
made top-down in each quarter by ``report_create`` (bench.secrecy_made: the product
protects each with the bilans already made that it joins and anticipates the posts'
bilans not made yet, by its own rules), then audited all together as the préfecture
holds them at the year's end.
"""

import datetime

from bench.secrecy_made import department_scopes, making, outcome
from reporting.models import ReportKind
from reporting.periods import quarter_of


def quarterly_chain_costs(department_id: int, quarters_made: int = 4) -> dict:
    year = datetime.date.today().year - 1
    months = (1, 4, 7, 10)[:quarters_made]
    quarters = [quarter_of(datetime.date(year, month, 1)) for month in months]
    scopes = department_scopes(department_id)
    with making(department_id) as maker:
        made = [
            maker.make(ReportKind.QUARTERLY, quarter, scope)
            for quarter in quarters
            for scope in scopes
        ]
        joint = maker.audit_all()
    protect_each = [m["protect_s"] for m in made]
    return {
        **outcome(year, made, joint),
        # The secondary suppression and its audit; "made" adds what report_create does
        # around it (figures, previous-period column, related and anticipated bilans).
        "protect_total_s": round(sum(protect_each), 2),
        "protect_max_s": round(max(protect_each), 2),
        "protect_each_s": [round(t, 2) for t in protect_each],
        "made_total_s": round(sum(m["made_s"] for m in made), 2),
        "made_max_s": round(max(m["made_s"] for m in made), 2),
        "made_cpu_total_s": round(sum(m["made_cpu_s"] for m in made), 2),
        "made_cpu_max_s": round(max(m["made_cpu_s"] for m in made), 2),
        "joint_audit_s": joint["joint_audit_s"],
        # How many bilans each protection was audited with (the chain it is tied to), and
        # how many posts' bilans it anticipated.
        "joined_each": [m["joined"] for m in made],
        "anticipated_each": [m["anticipated"] for m in made],
        "pending": sum(m["pending"] for m in made),
        "unprotected": joint["unprotected"],
        "unprotected_first": joint["unprotected_first"],
    }
