"""The bilans a reader of a bilan also holds, with which its secrecy is decided.

A bilan's recipients (its employer, the préfecture, funders, unit leads) may also hold the
bilans of nested or overlapping scopes for the same period, the bilans of the period
before (whose figures are this bilan's previous-period column), and the earlier
versions of each (reporting.secrecy.versions).
"""

from django.db.models import F
from django.db.models.fields.json import KT

from reporting.models import Report
from reporting.scope import post_sets
from reporting.secrecy.audit import Publication
from reporting.secrecy.changes import post_changes, stored_changes
from reporting.secrecy.continuity import sealed
from reporting.secrecy.timeline import tied_periods
from reporting.secrecy.versions import series_of, versions_apart
from reporting.secrecy.withholding import withheld_tables


def _spans(report) -> tuple[tuple, tuple]:
    """(start, end) of the bilan's period and of its previous period, as ISO dates."""
    period = report.period
    previous = period.previous()
    return (
        (period.start.isoformat(), period.end.isoformat()),
        (previous.start.isoformat(), previous.end.isoformat()),
    )


def held_bilans(report):
    """Every version of the département's other bilans whose audit passed (one that
    failed publishes nothing: report_masked_figures): a version superseded by a newer one
    stays readable by whoever received it."""
    return Report.objects.filter(department_id=report.department_id, audit_passed=True).exclude(
        pk=report.pk
    )


def audited_bilans(report):
    """The latest versions of the département's other bilans whose audit passed."""
    candidates = (
        Report.objects.filter(department_id=report.department_id, audit_passed=True)
        .latest_versions()
        .exclude(pk=report.pk)
    )
    if report.previous_version_id:
        candidates = candidates.exclude(pk=report.previous_version_id)
    return candidates


def previous_bilan(report):
    """The bilan of the same scope for the period before, whose published previous-period
    figures this one carries (reporting.secrecy.continuity); None if there is none."""
    previous = report.period.previous()
    return (
        audited_bilans(report)
        .of_period_and_scope(
            period_end=previous.end,
            scope_kind=report.scope_kind,
            employer_id=report.employer_id,
            post_id=report.scope_post_id,
            unit_id=report.scope_unit_id,
        )
        # Not a provisional one (computed before its period ended): its figures are not
        # the period's.
        .filter(period_start=previous.start, computed_at__date__gt=F("period_end"))
        .order_by("-computed_at", "-pk")
        .first()
    )


def _is_sealed(value) -> bool:
    # The JSON boolean as the database's ->> gives it: 'true' (PostgreSQL) or 1 (SQLite).
    return value in (True, 1, "true", "1")


def related_publications(report, changes=None) -> list[tuple[int, Publication]]:
    """The versions held (``held_bilans``) of the département's bilans of a period nested
    in this one's, or tied to it so (timeline.tied_periods: the bilans of the year for a
    month's, the previous period's through a bilan that is not sealed), the previous
    bilan it carries (continuity), and that share a post with its scope, or with the
    scope of a bilan so related. The counts of a post in another data state than the
    bilan's own, that versions of one series tell apart, are set apart
    (versions.versions_apart), and so are those its posts' own bilans tell apart
    (reporting.secrecy.changes). ``changes``: a list that receives the latter, told now
    (recorded with the bilan)."""
    rows = (
        held_bilans(report)
        .defer("sources", "figures")
        .annotate(sealed=KT("figures__continuity__sealed"))
    )
    others = {other.pk: other for other in rows}
    current, previous = _spans(report)
    tied = tied_periods(
        current,
        previous,
        sealed(report.figures),
        {pk: (*_spans(o), _is_sealed(o.sealed)) for pk, o in others.items()},
        source=(report.figures.get("continuity") or {}).get("report"),
    )
    tied = sorted(tied)
    own, *sets = post_sets(report.department_id, [report.scope, *(others[pk].scope for pk in tied)])
    reach = set(own)
    pending = [(others[pk], posts) for pk, posts in zip(tied, sets, strict=True)]
    # Transitively: the employer's bilan ties its posts' bilans to one another (the
    # employer's count minus post A's is post B's).
    kept = []
    while True:
        joined = [(other, posts) for other, posts in pending if posts & reach]
        if not joined:
            break
        kept += joined
        pending = [(other, posts) for other, posts in pending if not posts & reach]
        reach.update(*(posts for _, posts in joined))
    kept.sort(key=lambda pair: pair[0].pk)
    figures = dict(
        Report.objects.filter(pk__in=[o.pk for o, _ in kept]).values_list("pk", "figures")
    )
    held = [
        (
            other,
            Publication(
                figures[other.pk],
                hidden={tuple(c) for c in other.masked_cells},
                posts=posts,
                withheld=withheld_tables(other),
            ),
        )
        for other, posts in kept
    ]
    told = post_changes(report, held)
    if changes is not None:
        changes += told
    # The bilan's own data states are the reference for its posts.
    versions_apart(
        held,
        (report.pk, series_of(report), frozenset(own), report.post_states, report.figures),
        [*stored_changes(held), *told],
    )
    return [(other.pk, publication) for other, publication in held]
