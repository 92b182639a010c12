"""The secrecy of a year of quarterly bilans, made quarter after quarter.

Each quarter's bilan shows the quarter before it in its previous-period column: that
column is the period column of the previous quarter's bilans, so a recipient reads the
same counts in two bilans, masked perhaps in one and not the other. This measures the
four quarterly bilans of last year of the département, its employers and its posts,
made top-down in each quarter, each protected as ``report_protect`` does (with the bilans
already made that share its period or its previous period, and the posts' bilans not
made yet anticipated), then audited all together as the préfecture holds them at the
year's end.
"""

import datetime
import time

from iscg.models import Employer, Post
from reporting import indicators
from reporting.periods import quarter_of
from reporting.scope import Scope
from reporting.secrecy import Publication, audit, protect
from reporting.secrecy.reports import posts_ahead


def _scopes(department_id: int) -> tuple[list[Scope], list[Post]]:
    scopes = [Scope.for_department(department_id)]
    employers = Employer.objects.filter(department_id=department_id, posts__isnull=False)
    scopes += [Scope.for_employer(e) for e in employers.distinct().order_by("pk")]
    posts = list(Post.objects.filter(employer__department_id=department_id).order_by("pk"))
    scopes += [Scope.for_post(p) for p in posts]
    return scopes, posts


def quarterly_chain_costs(department_id: int, quarters_made: int = 4) -> dict:
    year = datetime.date.today().year - 1
    months = (1, 4, 7, 10)[:quarters_made]
    quarters = [quarter_of(datetime.date(year, month, 1)) for month in months]
    scopes, posts = _scopes(department_id)
    members = {s: frozenset(s.post_ids().values_list("pk", flat=True)) for s in scopes}
    everything, times, refused, masked = [], [], 0, 0
    previous: list[Publication] = []
    for quarter in quarters:
        own_figures = {p.pk: indicators.compute(Scope.for_post(p), quarter) for p in posts}
        current: list[Publication] = []
        for scope in scopes:
            figures = indicators.compute(scope, quarter)
            ahead = [
                Publication(own_figures[post], set(), posts=frozenset({post}), anticipated=True)
                for post in posts_ahead(members[scope], [p.posts for p in current])
            ]
            started = time.perf_counter()
            hidden, findings = protect(
                figures, published=previous + current + ahead, posts=members[scope]
            )
            times.append(time.perf_counter() - started)
            refused += bool(findings)
            if not findings:
                current.append(Publication(figures, hidden, posts=members[scope]))
                masked += len(hidden)
        everything += current
        previous = current
    started = time.perf_counter()
    left = audit(everything)
    return {
        "year": year,
        "bilans": len(quarters) * len(scopes),
        "published": len(everything),
        "refused": refused,
        "cells_masked": masked,
        "cells_published": sum(len(p.lay.cells) for p in everything),
        "protect_total_s": round(sum(times), 2),
        "protect_max_s": round(max(times), 2),
        "protect_each_s": [round(t, 2) for t in times],
        "joint_audit_s": round(time.perf_counter() - started, 2),
        "unprotected": len(left),
        # (bilan, cell, value, interval) of the first cells a reader can narrow.
        "unprotected_first": [
            [f.publication, list(f.cell), f.value, round(f.low, 2), round(f.high, 2)]
            for f in left[:8]
        ],
    }
