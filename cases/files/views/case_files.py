"""Worker screens: a case (open, detail, actes, close, reopen)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases.files.forms import ActionForm, CaseCloseForm
from cases.files.services.actions import action_log
from cases.files.services.cases import case_close, case_open, case_reopen
from cases.files.views.worker_objects import _visible_beneficiary, _visible_case
from cases.permissions import worker_required
from iscg.audit import access_log_record, audited
from iscg.forms import apply_service_errors
from iscg.models import AccessAction


@worker_required
@require_POST
def case_open_view(request, pk):
    beneficiary = _visible_beneficiary(request, pk)
    try:
        case = case_open(beneficiary=beneficiary, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:beneficiary_detail", pk=pk)
    messages.success(request, "Accompagnement ouvert.")
    return redirect("cases:case_detail", pk=case.pk)


def _case_context(request, case, *, action_form=None, close_form=None):
    return {
        "case": case,
        "beneficiary": case.beneficiary,
        "referrals": case.referrals.select_related("source_unit", "main_problem").prefetch_related(
            "feedbacks"
        ),
        "actions": case.actions.select_related("kind", "site", "author"),
        "orientations": case.orientations.select_related("partner", "partner__kind"),
        "action_form": action_form or ActionForm(case=case),
        "close_form": close_form or CaseCloseForm(),
    }


def _render_case(request, case, *, status=200, **forms):
    """The case page, its read recorded in the access log (also when a form is re-shown)."""
    access_log_record(user=request.user, action=AccessAction.VIEW, obj=case, request=request)
    return render(
        request,
        "cases/files/case_detail.html",
        _case_context(request, case, **forms),
        status=status,
    )


@worker_required
@audited
def case_detail(request, pk):
    return _render_case(request, _visible_case(request, pk))


@worker_required
@audited
def action_create(request, pk):
    case = _visible_case(request, pk)
    if request.method != "POST":
        return redirect(reverse("cases:case_detail", args=[pk]) + "#nouvel-acte")
    form = ActionForm(request.POST, case=case)
    if form.is_valid():
        try:
            action_log(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Acte enregistré.")
            return redirect(reverse("cases:case_detail", args=[pk]) + "#actes")
    return _render_case(request, case, status=400, action_form=form)


@worker_required
@audited
def case_close_view(request, pk):
    case = _visible_case(request, pk)
    if request.method != "POST":
        return redirect(reverse("cases:case_detail", args=[pk]) + "#cloture")
    form = CaseCloseForm(request.POST)
    if form.is_valid():
        try:
            case_close(
                case=case,
                reason=form.cleaned_data["reason"],
                closed_on=form.cleaned_data["closed_on"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Accompagnement clôturé.")
            return redirect("cases:case_detail", pk=pk)
    return _render_case(request, case, status=400, close_form=form)


@worker_required
@require_POST
def case_reopen_view(request, pk):
    case = _visible_case(request, pk)
    try:
        case_reopen(case=case, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Accompagnement rouvert.")
    return redirect("cases:case_detail", pk=pk)
