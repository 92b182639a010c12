"""A bilan computed: its figures frozen with their statistical secrecy, its recipients, a
new version of the same series computed from today's data."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from conventions.selectors import funder_ids_covering
from iscg.models import Department, Funder, Post, Unit, User
from reporting import evaluation, indicators
from reporting.models import Report, ReportKind, ReportStatus
from reporting.periods import Period, period_problem
from reporting.scope import Scope, ScopeKind
from reporting.secrecy.reports import carry_from_previous, report_protect
from reporting.services.authors import can_author, is_scope_worker
from reporting.services.pdf_generation import pdf_dispatch, pdf_request


def _recipients(report: Report) -> None:
    """The funders of the conventions covering its posts over its period; for a monthly
    bilan, the units its posts serve."""
    post_ids = list(report.scope.post_ids().values_list("pk", flat=True))
    funders = funder_ids_covering(
        post_ids=post_ids, start=report.period_start, end=report.period_end
    )
    report.recipient_funders.set(Funder.objects.filter(pk__in=funders))
    if report.kind == ReportKind.MONTHLY:
        report.recipient_units.set(
            Unit.objects.filter(posts__in=post_ids, department_id=report.department_id)
            .distinct()
            .values_list("pk", flat=True)
        )
    else:
        report.recipient_units.clear()


def _freeze(report: Report) -> None:
    """The figures, and the statistical secrecy decided with them (see reporting.secrecy)."""
    report.figures, report.sources, report.post_states = indicators.compute_with_sources(
        report.scope, report.period
    )
    report.computed_at = timezone.now()
    # The département locked (as report_protect does) before the previous bilan is read:
    # one being made at the same time in another tab is read once saved, and carried.
    Department.objects.select_for_update().filter(pk=report.department_id).first()
    carry_from_previous(report)
    report_protect(report)


def _author_part(acting_user, scope: Scope) -> str:
    """The part of the evaluation its author writes: the post's worker writes the worker's,
    the employer's manager the employer's."""
    if acting_user is None or is_scope_worker(acting_user, scope):
        return "worker"
    return "employer"


@transaction.atomic
def report_create(
    *, kind: str, period: Period, scope: Scope, acting_user, evaluation_text: str = ""
) -> Report:
    """A bilan of this kind, period and scope; asked again, the series' next version.

    ``evaluation_text``: typed in the creation form, the observations of the author's own
    part of the evaluation (``_author_part``); never lost, a new version included."""
    if acting_user is not None and not can_author(acting_user, scope):
        raise PermissionDenied("Vous ne pouvez pas établir un bilan sur ce périmètre.")
    if kind not in ReportKind.values:
        raise ValidationError("Type de bilan inconnu.")
    problem = period_problem(kind, period, timezone.localdate())
    if problem:
        raise ValidationError({"preset": problem})
    employer_id = scope.employer_id
    if scope.kind == ScopeKind.POST and not employer_id:
        employer_id = Post.objects.get(pk=scope.post_id).employer_id
    _answers_field, text_field = evaluation.PARTS[_author_part(acting_user, scope)]
    # One version series per scope, kind and period: asked again, the bilan is computed
    # anew as its next version, carrying the evaluations over.
    latest = (
        Report.objects.of_series(
            department_id=scope.department_id,
            kind=kind,
            period_start=period.start,
            period_end=period.end,
            scope=Scope(scope.kind, scope.department_id, employer_id, scope.post_id, scope.unit_id),
        )
        .latest_versions()
        .order_by("-version")
        .first()
    )
    if latest is not None:
        return _next_version(latest, acting_user, {text_field: evaluation_text.strip()})
    report = Report(
        department_id=scope.department_id,
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        scope_kind=scope.kind,
        employer_id=employer_id,
        scope_post_id=scope.post_id,
        scope_unit_id=scope.unit_id,
        scope_label=scope.label(),
        created_by=acting_user or User.objects.filter(is_superuser=True).first(),
    )
    setattr(report, text_field, evaluation_text.strip())
    _freeze(report)
    # The frozen figures and the secrecy mask and audit are computed, never typed in.
    report.full_clean(exclude=["created_by", "figures", "masked_cells", "audit_report"])
    report.save()
    _recipients(report)
    pdf_dispatch(report)
    return report


@transaction.atomic
def report_regenerate(*, report: Report, acting_user) -> Report:
    """A new version computed from today's data; the old one stays as it was."""
    return _next_version(report, acting_user, {})


def _next_version(report: Report, acting_user, typed: dict) -> Report:
    """``typed``: evaluation fields typed with the request, replacing the carried-over ones
    where not blank."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_latest:
        raise ValidationError("Une version plus récente de ce bilan existe déjà.")
    new = Report.objects.get(pk=report.pk)
    new.pk = None
    new.id = None
    new._state.adding = True
    new.version = report.version + 1
    new.previous_version = report
    new.status = ReportStatus.DRAFT
    new.validated_by = None
    new.validated_at = None
    new.sent_at = None
    new.pdf = ""
    for field, text in typed.items():
        if text:
            setattr(new, field, text)
    pdf_request(new)
    new.created_by = acting_user or report.created_by
    _freeze(new)
    new.save()
    _recipients(new)
    pdf_dispatch(new)
    return new
