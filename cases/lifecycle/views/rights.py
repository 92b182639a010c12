"""Rights of the people concerned: export (PDF, JSON), rectification, erasure."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases.lifecycle.forms import EraseForm, ExportForm, RectifyForm
from cases.lifecycle.services import rights
from iscg.audit import audited
from iscg.models import AccessAction


def _beneficiary(request, pk):
    if not rights.may_exercise_rights(request.user):
        raise PermissionDenied
    return get_object_or_404(
        rights.rights_beneficiaries(request.user).select_related("post"), pk=pk
    )


@audited
def rights_home(request, pk):
    beneficiary = _beneficiary(request, pk)
    request.audit = (AccessAction.VIEW, beneficiary)
    return render(
        request,
        "cases/lifecycle/rights.html",
        {"beneficiary": beneficiary, "export_form": ExportForm()},
    )


@audited
def rights_export(request, pk):
    beneficiary = _beneficiary(request, pk)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        content, content_type = rights.beneficiary_export(
            beneficiary=beneficiary,
            fmt=form.cleaned_data["format"],
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        )
        request.audit = (AccessAction.EXPORT, beneficiary)
        response = HttpResponse(content, content_type=content_type)
        name = f"donnees-personne-{beneficiary.pk}-{timezone.localdate():%Y%m%d}"
        response["Content-Disposition"] = (
            f'attachment; filename="{name}.{form.cleaned_data["format"]}"'
        )
        return response
    return render(
        request,
        "cases/lifecycle/rights.html",
        {"beneficiary": beneficiary, "export_form": form},
        status=400 if request.method == "POST" else 200,
    )


def rights_rectify(request, pk):
    beneficiary = _beneficiary(request, pk)
    if beneficiary.anonymised_at:
        messages.error(request, "Cette fiche est anonymisée : il n'y a plus rien à rectifier.")
        return redirect("lifecycle:rights", pk=beneficiary.pk)
    form = RectifyForm(request.POST or None, instance=beneficiary, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in rights.RECTIFIABLE_FIELDS}
        beneficiary.refresh_from_db()
        try:
            rights.beneficiary_rectify(
                beneficiary=beneficiary,
                changes=changes,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "La fiche a été rectifiée ; la rectification est tracée.")
            return redirect("lifecycle:rights", pk=beneficiary.pk)
    return render(
        request, "cases/lifecycle/rights_rectify.html", {"beneficiary": beneficiary, "form": form}
    )


def rights_erase(request, pk):
    beneficiary = _beneficiary(request, pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rights.beneficiary_erase(
            beneficiary=beneficiary, reason=form.cleaned_data["reason"], acting_user=request.user
        )
        messages.success(
            request,
            "Les données identifiantes ont été effacées ; seules restent les données "
            "statistiques. Le dossier ne figure plus dans vos listes.",
        )
        # The erased file is archived: only the DPO still reaches it.
        if rights.rights_beneficiaries(request.user).filter(pk=beneficiary.pk).exists():
            return redirect("lifecycle:rights", pk=beneficiary.pk)
        return redirect("home")
    return render(
        request, "cases/lifecycle/rights_erase.html", {"beneficiary": beneficiary, "form": form}
    )
