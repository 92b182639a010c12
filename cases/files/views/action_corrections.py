"""Correcting or withdrawing an acte, from the case page, with the reason kept."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from cases.files.forms import ActionCorrectionForm, ActionWithdrawalForm
from cases.files.services.actions import CORRECTABLE_FIELDS, action_correct, action_withdraw
from cases.models import Action
from cases.permissions import worker_required
from iscg.audit import audited
from iscg.forms import apply_service_errors
from iscg.models import AccessAction


def _visible_action(request, pk) -> Action:
    return get_object_or_404(
        Action.objects.visible_to(request.user).select_related(
            "case__beneficiary", "case__post", "kind", "site"
        ),
        pk=pk,
    )


def _case_actes(action) -> str:
    return reverse("cases:case_detail", args=[action.case_id]) + "#actes"


@worker_required
@audited
def action_correct_view(request, pk):
    action = _visible_action(request, pk)
    request.audit = (AccessAction.VIEW, action.case)
    form = ActionCorrectionForm(
        request.POST if request.method == "POST" else None, instance=action, case=action.case
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in CORRECTABLE_FIELDS}
        try:
            action_correct(
                action=action,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
                **fields,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Acte corrigé ; le motif est conservé dans l'historique.")
            return redirect(_case_actes(action))
    status = 400 if form.errors else 200
    return render(
        request, "cases/files/action_correct.html", {"form": form, "action": action}, status=status
    )


@worker_required
@audited
def action_withdraw_view(request, pk):
    action = _visible_action(request, pk)
    request.audit = (AccessAction.VIEW, action.case)
    form = ActionWithdrawalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            action_withdraw(
                action=action, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Acte retiré ; le motif est conservé dans l'historique.")
            return redirect(_case_actes(action))
    status = 400 if form.errors else 200
    return render(
        request, "cases/files/action_withdraw.html", {"form": form, "action": action}, status=status
    )
