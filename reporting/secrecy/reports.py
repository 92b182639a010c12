"""The secrecy of a stored bilan, decided jointly with the bilans its recipients also get.

A bilan's recipients (its employer, the préfecture, funders, unit leads) may also hold the
bilans of nested or overlapping scopes (the employer and each of its posts, the units
they serve, the département) for the same period, and the bilans of the period before
(whose figures are this bilan's previous-period column). The mask of a new bilan is
chosen so that the audit passes over all of them together, their masks kept as they are:
masks only grow with each new bilan, never uncover what an earlier one hid.
"""

from django.utils import timezone

from reporting.models import Report
from reporting.secrecy import mask_figures
from reporting.secrecy.audit import Publication
from reporting.secrecy.layout import THRESHOLD, layout
from reporting.secrecy.protect import protect


def _periods(report) -> set:
    period = report.period
    previous = period.previous()
    return {
        (period.start.isoformat(), period.end.isoformat()),
        (previous.start.isoformat(), previous.end.isoformat()),
    }


def related_publications(report) -> list[tuple[int, Publication]]:
    """The latest versions of the département's audited bilans that share a period with
    this one (its period or its previous period) and a post with its scope."""
    periods = _periods(report)
    earliest = min(start for start, _ in periods)
    candidates = (
        Report.objects.filter(
            department_id=report.department_id,
            period_start__lte=report.period_end,
            period_end__gte=earliest,
            audit_passed__isnull=False,
        )
        .latest_versions()
        .exclude(pk=report.pk)
        .defer("sources", "figures")
    )
    if report.previous_version_id:
        candidates = candidates.exclude(pk=report.previous_version_id)
    mine = frozenset(report.scope.post_ids().values_list("pk", flat=True))
    kept = []
    for other in candidates:
        if not periods & _periods(other):
            continue
        posts = frozenset(other.scope.post_ids().values_list("pk", flat=True))
        if posts & mine:
            kept.append((other, posts))
    figures = dict(
        Report.objects.filter(pk__in=[o.pk for o, _ in kept]).values_list("pk", "figures")
    )
    return [
        (
            other.pk,
            Publication(
                figures[other.pk],
                hidden={tuple(c) for c in other.masked_cells},
                posts=posts,
            ),
        )
        for other, posts in kept
    ]


def report_masked_figures(report) -> dict:
    """The figures as the bilan's recipients see them (a bilan frozen before its mask
    was recorded is protected alone; one whose audit failed shows no count at all)."""
    if report.audit_passed is False:
        return mask_figures(report.figures, set(layout(report.figures).cells))
    hidden = report.masked_cells if report.audit_passed is not None else None
    return mask_figures(report.figures, hidden)


def report_protect(report) -> None:
    """Sets the bilan's mask and the audit's result (the bilan is not saved here)."""
    related = related_publications(report)
    posts = frozenset(report.scope.post_ids().values_list("pk", flat=True))
    hidden, findings = protect(
        report.figures, published=[p for _, p in related], posts=posts if related else None
    )
    cells = layout(report.figures).cells
    report.masked_cells = sorted([list(cell) for cell in hidden])
    report.audit_passed = not findings
    report.audit_report = {
        "audited_at": timezone.now().isoformat(),
        "masked": len(hidden),
        "primary": sum(1 for _, v in cells.values() if 0 < v < THRESHOLD),
        "with_reports": [pk for pk, _ in related],
        # Which cells could still be narrowed (never their values).
        "unprotected": [
            [related[f.publication - 1][0] if f.publication else None, *f.cell] for f in findings
        ],
    }
