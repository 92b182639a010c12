"""Figures of several départements consolidated from their frozen bilans.

A national observatory (or a région) adds up what each département has validated: for a
period, the latest validated or sent version of every employer's bilan of exactly that
period. Each bilan froze the grouped rows its figures were built from (attributes and
counts: ``Report.sources``); the rows of all these bilans are concatenated and the same
indicator code builds the tables, so nothing is read again from the files, actes or
referrals of hundreds of posts.

People add up because a person's record (``Beneficiary``) belongs to one post, hence to
one département and in practice to one employer: a person accompanied by the posts of
two employers in the period would count twice (the methodology says so). Durations
(median included) are rebuilt from the histogram of each bilan, the residence "in the
département" is the one of the département that counted the person.
"""

import gc
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from cases.enums import OrientationStatus
from iscg.models import Employer
from reporting import indicators
from reporting.indicators import base, people
from reporting.indicators.base import merge_packed
from reporting.models import Report, ReportStatus
from reporting.periods import Period
from reporting.scope import ScopeKind

CONSOLIDATED_STATUSES = (ReportStatus.VALIDATED, ReportStatus.SENT)
# The counts of each source's rows where they are not (current, previous).
COUNTS = {
    "people": people.MEASURES,
    "orientations": [f"s_{value}" for value in OrientationStatus.values] + ["total", "previous"],
}


@dataclass(frozen=True)
class Consolidation:
    period: Period
    figures: dict
    reports: list  # [(report id, département code, employer name)]
    missing: list  # [(département code, employer name)]: employers with posts, no bilan


def consolidated_reports(period: Period, department_ids=None):
    """The latest validated or sent version of each employer's bilan of exactly
    ``period`` that froze its grouped rows (the earlier versions' rows are not read)."""
    candidates = Report.objects.filter(
        scope_kind=ScopeKind.EMPLOYER,
        period_start=period.start,
        period_end=period.end,
        status__in=CONSOLIDATED_STATUSES,
    ).exclude(sources={})
    # Ranked in one pass (a correlated subquery would compare every version's rows again
    # for each bilan).
    rank = Window(
        RowNumber(), partition_by=[F("employer")], order_by=[F("version").desc(), F("pk").desc()]
    )
    reports = (
        candidates.annotate(rank=rank)
        .filter(rank=1)
        .defer("figures")
        .select_related("department", "employer")
        .order_by("employer_id")
    )
    if department_ids is not None:
        reports = reports.filter(department_id__in=department_ids)
    return list(reports)


@contextmanager
def collector_paused():
    """Pauses Python's cyclic garbage collector, as long as the block runs.

    A consolidation decodes and merges a few million small lists and dicts (the rows of
    every bilan), none of them in a reference cycle: the collector, triggered by the
    number of objects created, would walk the growing heap again and again for nothing
    (a third of the national consolidation's time). Memory is still freed by reference
    counting; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def consolidate(*, period: Period, department_ids=None) -> Consolidation:
    with collector_paused():
        return _consolidate(period, department_ids)


def _consolidate(period: Period, department_ids) -> Consolidation:
    reports = consolidated_reports(period, department_ids)
    rows = {
        name: merge_packed(
            [report.sources[name] for report in reports if name in report.sources],
            COUNTS.get(name, base.COUNTS),
        )
        for name in base.SOURCES
    }
    employers = (
        Employer.objects.filter(posts__isnull=False)
        .exclude(pk__in=[report.employer_id for report in reports])
        .distinct()
    )
    if department_ids is not None:
        employers = employers.filter(department_id__in=department_ids)
    missing = sorted(employers.values_list("department__code", "name"))
    return Consolidation(
        period=period,
        figures=indicators.compute_from_sources(period, rows),
        reports=[(r.pk, r.department.code, r.employer.name) for r in reports],
        missing=missing,
    )
