"""The cost of the statistical secrecy beside the cost of the figures it protects."""

import datetime
import time

from bench.secrecy_made import department_scopes, making, outcome
from iscg.models import Department, Employer, Post, Unit
from reporting import indicators
from reporting.consolidation import consolidate
from reporting.models import ReportKind
from reporting.periods import year_of
from reporting.scope import Scope
from reporting.secrecy import Publication, audit, layout, protect


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
    posts (or the posts' first), with ``units`` then those of each unit its posts serve,
    for each employer serving it (the unit's bilan an employer's manager makes counts
    that employer's posts), made one after the other by ``report_create`` as the
    préfecture receives them (bench.secrecy_made: each protected by the product's rules,
    with the bilans already made and the posts' bilans not made yet), then audited all
    together: the time of each protection, the bilans refused at the audit and what the
    joint audit still finds."""
    period = year_of(datetime.date.today().replace(month=1, day=1) - datetime.timedelta(days=1))
    scopes = department_scopes(department_id)
    if posts_first:
        scopes.reverse()
    if units:
        served = Post.objects.filter(employer__department_id=department_id).values_list(
            "units", "employer_id"
        )
        employers = {e.pk: e for e in Employer.objects.filter(department_id=department_id)}
        units_of = Unit.objects.in_bulk({unit for unit, _ in served if unit})
        scopes += [
            Scope.for_unit(units_of[unit], employers[employer])
            for unit, employer in sorted(set(served))
            if unit
        ]
    with making(department_id) as maker:
        made = [maker.make(ReportKind.ANNUAL, period, scope) for scope in scopes]
        joint = maker.audit_all()
    times = [m["protect_s"] for m in made]
    return {
        **outcome(period.start.year, made, joint),
        "period": period.short_label(),
        "protect_total_s": round(sum(times), 2),
        "protect_max_s": round(max(times), 2),
        "protect_last_s": round(times[-1], 2),
        "protect_each_s": [round(t, 2) for t in times],
        "made_max_s": round(max(m["made_s"] for m in made), 2),
        "anticipated_each": [m["anticipated"] for m in made],
        "joint_audit_s": joint["joint_audit_s"],
        "unprotected": joint["unprotected"],
    }
