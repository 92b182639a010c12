"""Bilans: live dashboard, list, creation, detail (evaluations, validation, sending),
PDF download and CSV/XLSX exports, methodology. Thin views over services."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from iscg import access
from iscg.audit import audited
from iscg.enums import Role
from iscg.filters import YearFilter
from iscg.models import AccessAction
from iscg.permissions import role_required
from outbox.services import event_emails
from reporting import evaluation, exports, indicators, services
from reporting.charts import add_chart_uris
from reporting.forms import EvaluationForm, PeriodScopeForm, ReportCreateForm, parse_scope
from reporting.live import NotClosedQuarter, live_figures
from reporting.live_scopes import funding_problem, live_scope_choices
from reporting.models import GenerationState, Report, ReportKind, ReportStatus
from reporting.obligations import owed_reports
from reporting.roles import AUTHOR_ROLES, LIST_ROLES, LIVE_ROLES
from reporting.secrecy import LEGEND
from reporting.secrecy.continuity import previous_column_note
from reporting.secrecy.reports import report_masked_figures, secrecy_pending
from reporting.services.steps import AUDIT_REFUSAL, SECRECY_PENDING


@role_required(LIVE_ROLES)
def dashboard(request):
    choices = live_scope_choices(request.user)
    if not choices:
        raise PermissionDenied("Aucun périmètre de statistiques ne vous est rattaché.")
    # Workers read their posts' exact figures for any dates; everyone else, whose figures
    # are perturbed, reads closed quarters (reporting.live refuses any other period).
    exact = access.has_role(request.user, Role.WORKER)
    # Opened without a question: the current quarter on a post of the viewer's, else the
    # last ended one (a worker who also manages opens on the employer, perturbed).
    data = request.GET
    if not data:
        first = choices[0][0]
        mine = exact and services.is_scope_worker(request.user, parse_scope(first))
        data = {"scope": first, "preset": "quarter_current" if mine else "quarter"}
    form = PeriodScopeForm(data, user=request.user, choices=choices, perturbed=not exact)
    live = masked = None
    if form.is_valid():
        scope, period = form.scope_obj(), form.period()
        problem = funding_problem(request.user, scope, period)
        if problem:
            form.add_error("preset", problem)
        else:
            # Unmasked figures only for a worker looking at a post they work on.
            masked = not services.is_scope_worker(request.user, scope)
            try:
                live = live_figures(
                    scope=scope,
                    period=period,
                    masked=masked,
                    refresh=request.GET.get("recalculer") == "1",
                )
            except NotClosedQuarter as refused:  # said on the field that chose the period
                field = "start" if form.cleaned_data["preset"] == "custom" else "preset"
                form.add_error(field, str(refused))
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "figures": live.figures if live else None,
            "computed_at": live.computed_at if live else None,
            "frozen_at": live.frozen_at if live else None,
            # Rendered by reporting/partials/sections.html (autoescaped) in live_figures.
            "sections_html": mark_safe(live.sections_html) if live else "",  # noqa: S308
            # Before any figure (the form refused): perturbed for all but workers.
            "masked": (not exact) if masked is None else masked,
        },
    )


class ReportFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="Type", choices=ReportKind.choices, empty_label="Tous les types"
    )
    status = django_filters.ChoiceFilter(
        label="Statut", choices=ReportStatus.choices, empty_label="Tous les statuts"
    )
    year = YearFilter(label="Année", field_name="period_end", lookup_expr="year")

    class Meta:
        model = Report
        fields = ["kind", "status", "year"]


@role_required(LIST_ROLES)
def report_list(request):
    reports = (
        Report.objects.visible_to(request.user)
        .summaries()
        .with_replacement()
        .select_related("department")
    )
    filterset = ReportFilter(request.GET or None, queryset=reports)
    for field in filterset.form.fields.values():
        field.widget.attrs.setdefault(
            "class", "fr-select" if hasattr(field, "choices") else "fr-input"
        )
    page = Paginator(filterset.qs.order_by("-period_end", "-pk"), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reporting/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "can_create": AUTHOR_ROLES.allow(request.user),
            "owed": owed_reports(request.user),
        },
    )


@role_required(AUTHOR_ROLES)
def report_create(request):
    # The "Établir ce bilan" links of the bilans owed preselect its kind, scope and period.
    initial = {key: request.GET[key] for key in ("kind", "scope", "preset") if key in request.GET}
    form = ReportCreateForm(request.POST or None, user=request.user, initial=initial)
    if not form.fields["scope"].choices:
        raise PermissionDenied("Aucun poste ne vous est rattaché.")
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                kind=form.cleaned_data["kind"],
                period=form.period(),
                scope=form.scope_obj(),
                evaluation_text=form.cleaned_data["evaluation"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if report.version > 1:
                messages.success(
                    request,
                    f"Ce bilan existait déjà : sa version {report.version} est calculée avec les "
                    "données du jour, les évaluations de la précédente reprises ; son PDF est en "
                    "préparation.",
                )
            else:
                messages.success(request, "Le bilan a été créé ; son PDF est en préparation.")
            return redirect("reporting:detail", pk=report.pk)
    return render(request, "reporting/create.html", {"form": form})


def _visible(request, pk) -> Report:
    # The frozen rows are only read by a consolidation (the page shows the figures).
    return get_object_or_404(Report.objects.visible_to(request.user).defer("sources"), pk=pk)


def _displayed_figures(request, report):
    masked = not services.is_report_worker(request.user, report)
    if masked:
        return report_masked_figures(report), masked
    return {**report.figures, "previous_note": previous_column_note(report.figures)}, masked


def report_detail(request, pk):
    return _render_detail(request, _visible(request, pk))


def _render_detail(request, report, bound_form=None, bound_part=None):
    """The bilan's page; ``bound_form``: an evaluation form sent back with its errors."""
    figures, masked = _displayed_figures(request, report)
    is_manager = services.is_report_manager(request.user, report)
    is_worker = services.is_report_worker(request.user, report)
    editable = report.status == ReportStatus.DRAFT and report.is_latest

    def evaluation_form(part, allowed):
        if not (editable and allowed):
            return None
        if part == bound_part:
            return bound_form
        return EvaluationForm.for_report(report, part)

    return render(
        request,
        "reporting/detail.html",
        {
            "report": report,
            "figures": add_chart_uris(figures),
            "key_figures": indicators.key_figures(figures),
            "masked": masked,
            "legend": LEGEND,
            "audit_refusal": AUDIT_REFUSAL,
            "secrecy_pending": SECRECY_PENDING if secrecy_pending(report) else "",
            "is_manager": is_manager,
            "is_worker": is_worker,
            "steps": services.steps_open_to(request.user, report),
            "can_retry": _can_retry(request.user, report),
            "validator": services.validator_label(report),
            "editable": editable,
            "sent_emails": event_emails(services.report_sent_event(report))
            if report.sent_at and is_manager
            else None,
            "worker_form": evaluation_form("worker", is_worker),
            "employer_form": evaluation_form("employer", is_manager),
            "worker_answers": evaluation.answered(report, "worker"),
            "employer_answers": evaluation.answered(report, "employer"),
            "versions": Report.objects.visible_to(request.user)
            .summaries()
            .of_series(
                department_id=report.department_id,
                kind=report.kind,
                period_start=report.period_start,
                period_end=report.period_end,
                scope=report.scope,
            )
            .order_by("-version"),
            "recipient_funders": report.recipient_funders.all(),
            "recipient_units": report.recipient_units.all(),
        },
    )


@require_POST
def report_evaluation(request, pk, part):
    report = _visible(request, pk)
    allowed = {
        "worker": services.is_report_worker,
        "employer": services.is_report_manager,
    }.get(part)
    if allowed is None:
        raise Http404
    if not allowed(request.user, report):
        raise PermissionDenied("Cette partie de l'évaluation ne vous revient pas.")
    form = EvaluationForm.for_report(report, part, data=request.POST)
    if form.is_valid():
        try:
            services.report_update_evaluation(
                report=report,
                part=part,
                text=form.cleaned_data["text"],
                answers=form.answers(),
                seen=form.cleaned_data["seen"],
                acting_user=request.user,
            )
        except ValidationError as error:
            if getattr(error, "code", None) != "conflict":  # validated meanwhile, say
                messages.error(request, " ".join(error.messages))
                return redirect("reporting:detail", pk=report.pk)
            form.add_error(None, error)
            report.refresh_from_db()
            form.saw(evaluation.version(report, part))
        else:
            messages.success(request, "Votre évaluation qualitative est enregistrée.")
            return redirect("reporting:detail", pk=report.pk)
    # Sent back with what was typed and the reason (on its field, or above them all).
    return _render_detail(request, report, bound_form=form, bound_part=part)


@require_POST
def report_regenerate(request, pk):
    report = _visible(request, pk)
    if not services.is_report_author(request.user, report):
        raise PermissionDenied("Vous ne pouvez pas recalculer ce bilan.")
    try:
        new = services.report_regenerate(report=report, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reporting:detail", pk=report.pk)
    messages.success(request, f"La version {new.version} a été calculée avec les données du jour.")
    return redirect("reporting:detail", pk=new.pk)


def report_status(request, pk):
    report = _visible(request, pk)
    return render(
        request,
        "reporting/partials/status.html",
        {"report": report, "can_retry": _can_retry(request.user, report)},
    )


def _can_retry(user, report) -> bool:
    return report.generation_state == GenerationState.FAILED and services.is_report_author(
        user, report
    )


@require_POST
def report_pdf_retry(request, pk):
    report = _visible(request, pk)
    try:
        services.report_pdf_retry(report=report, acting_user=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, "La production du PDF est relancée.")
    return redirect("reporting:detail", pk=report.pk)


@audited
def report_download(request, pk):
    report = _visible(request, pk)
    if report.generation_state != GenerationState.DONE or not report.pdf:
        raise Http404("Le PDF de ce bilan n'est pas encore prêt.")
    request.audit = (AccessAction.PDF_DOWNLOAD, report)
    return FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=f"bilan-{report.get_kind_display().lower()}-{report.period_start:%Y-%m-%d}"
        f"-v{report.version}.pdf",
        content_type="application/pdf",
    )


@audited
def report_export(request, pk, fmt):
    report = _visible(request, pk)
    figures, _masked = _displayed_figures(request, report)
    request.audit = (AccessAction.EXPORT, report)
    name = f"bilan-{report.pk}-v{report.version}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(figures), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(figures),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def methodology(request):
    return render(request, "reporting/methodology.html")
