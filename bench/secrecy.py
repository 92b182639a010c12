"""The cost of the statistical secrecy beside the cost of the figures it protects."""

import datetime
import time

from iscg.models import Department, Employer, Post, Unit
from reporting import indicators
from reporting.consolidation import consolidate
from reporting.periods import year_of
from reporting.scope import Scope
from reporting.secrecy import Publication, audit, layout, protect
from reporting.secrecy.reports import posts_ahead


def _best(func, repeat=3):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - started)
    return best, result


def _measure(compute) -> dict:
    computed_s, figures = _best(compute)
    protect_s, (hidden, findings) = _best(lambda: protect(figures))
    audit_s, left = _best(lambda: audit([Publication(figures, hidden)]))
    cells = layout(figures).cells
    return {
        "compute_s": round(computed_s, 3),
        "protect_s": round(protect_s, 3),
        "audit_s": round(audit_s, 3),
        "added_pct": round(100 * protect_s / computed_s, 1),
        "cells": len(cells),
        "primary": sum(1 for _, v in cells.values() if 0 < v < 3),
        "masked": len(hidden),
        "unprotected": len(findings) + len(left),
    }


def secrecy_costs(department_id: int) -> dict:
    """Annual bilan of the département (read from the files) and national consolidation
    (from the validated annual bilans): time to compute, to protect (secondary
    suppression, the audit included in its last round), and of one more audit."""
    period = year_of(datetime.date.today().replace(month=1, day=1) - datetime.timedelta(days=1))
    ain = Department.objects.get(pk=department_id)
    return {
        "period": period.short_label(),
        "department": _measure(lambda: indicators.compute(Scope.for_department(ain.pk), period)),
        "national": _measure(lambda: consolidate(period=period).figures),
    }


def nested_costs(department_id: int, posts_first: bool = False, units: bool = False) -> dict:
    """The annual bilans of the département, of each of its employers and of each of their
    posts (or the posts' first), with ``units`` then those of each unit its posts serve
    (a unit's bilan counts the whole activity of the posts serving it), protected one
    after the other as the préfecture receives
    them (each jointly with those before it and with the posts' bilans not made yet,
    anticipated as ``report_protect`` does), then audited all together: the time of each
    protection, the bilans refused at the audit and what the joint audit still finds."""
    period = year_of(datetime.date.today().replace(month=1, day=1) - datetime.timedelta(days=1))
    scopes = [Scope.for_department(department_id)]
    employers = Employer.objects.filter(department_id=department_id, posts__isnull=False)
    scopes += [Scope.for_employer(e) for e in employers.distinct().order_by("pk")]
    posts = Post.objects.filter(employer__department_id=department_id).select_related("employer")
    scopes += [Scope.for_post(p) for p in posts.order_by("employer_id", "pk")]
    if posts_first:
        scopes.reverse()
    if units:
        served = Unit.objects.filter(posts__employer__department_id=department_id)
        scopes += [Scope.for_unit(unit) for unit in served.distinct().order_by("pk")]
    figures_of = {p.pk: indicators.compute(Scope.for_post(p), period) for p in posts.order_by("pk")}
    published, times, failed, masked = [], [], 0, 0
    for scope in scopes:
        figures = indicators.compute(scope, period)
        members = frozenset(scope.post_ids().values_list("pk", flat=True))
        # The posts' bilans not made yet, as report_protect anticipates them.
        ahead = [
            Publication(figures_of[post], set(), posts=frozenset({post}), anticipated=True)
            for post in posts_ahead(members, [p.posts for p in published])
        ]
        started = time.perf_counter()
        hidden, findings = protect(figures, published=published + ahead, posts=members)
        times.append(time.perf_counter() - started)
        failed += bool(findings)
        if not findings:  # a bilan whose audit fails is not sent, and shows no figure
            published.append(Publication(figures, hidden, posts=members))
            masked += len(hidden)
    started = time.perf_counter()
    left = audit(published)
    return {
        "period": period.short_label(),
        "bilans": len(scopes),
        "published": len(published),
        "cells_masked": masked,
        "cells_published": sum(len(p.lay.cells) for p in published),
        "protect_total_s": round(sum(times), 2),
        "protect_max_s": round(max(times), 2),
        "protect_last_s": round(times[-1], 2),
        "protect_each_s": [round(t, 2) for t in times],
        "joint_audit_s": round(time.perf_counter() - started, 2),
        "masked_whole": failed,
        "unprotected": len(left),
    }
