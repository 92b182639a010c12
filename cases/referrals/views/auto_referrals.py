"""Auto-saisine: the worker records referrals found in the weekly activity summary."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cases.models import WeeklySummaryUpload
from cases.referrals import auto_import as importer
from cases.referrals.access import WORKER_ROLES
from cases.referrals.forms.auto import AutoReferralRowForm
from cases.referrals.services import weekly_summaries
from cases.referrals.services.referrals import auto_referrals_import, worker_units
from cases.referrals.views.unit_referrals import _communes_for
from iscg.forms import DsfrForm, apply_service_errors
from iscg.permissions import role_required


class BaseRowFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError("Remplissez au moins une ligne.")


RowFormSet = forms.formset_factory(
    AutoReferralRowForm, formset=BaseRowFormSet, extra=3, max_num=30, validate_max=True
)


class UploadForm(DsfrForm):
    file = forms.FileField(
        label="Fichier du résumé hebdomadaire (.csv ou .xlsx)",
        error_messages={"required": "Choisissez un fichier à importer."},
    )


MAX_ROWS = 30


def _with_one_more_row(data, units):
    """The rows typed so far, unvalidated (no error shown for a row being written), and
    one empty row more: "Ajouter une situation" works without JavaScript."""
    row_fields = list(AutoReferralRowForm(units=units).fields)
    try:
        count = min(int(data.get("lignes-TOTAL_FORMS", 0)), MAX_ROWS - 1)
    except ValueError:
        count = 0
    initial = [
        {name: data.get(f"lignes-{index}-{name}") for name in row_fields} for index in range(count)
    ]
    grown = forms.formset_factory(AutoReferralRowForm, formset=BaseRowFormSet, extra=1)
    return grown(initial=initial, form_kwargs={"units": units, "shared": {}}, prefix="lignes")


@role_required(WORKER_ROLES)
def auto_referral_bulk(request):
    units = worker_units(request.user)
    if request.method == "POST" and "add_row" in request.POST:
        formset = _with_one_more_row(request.POST, units)
        return render(
            request,
            "cases/referrals/auto_bulk.html",
            {"formset": formset, "communes": _communes_for(request.user), "max_rows": MAX_ROWS},
        )
    formset = RowFormSet(
        request.POST or None, form_kwargs={"units": units, "shared": {}}, prefix="lignes"
    )
    if request.method == "POST" and formset.is_valid():
        rows = [form.referral_fields() for form in formset.forms if form.has_changed()]
        created = auto_referrals_import(rows=rows, acting_user=request.user)
        messages.success(request, _created_message(created))
        return redirect("referrals:auto_bulk")
    return render(
        request,
        "cases/referrals/auto_bulk.html",
        {"formset": formset, "communes": _communes_for(request.user), "max_rows": MAX_ROWS},
    )


def _created_message(created) -> str:
    numbers = ", ".join(referral.number for referral in created)
    count = len(created)
    plural = "s" if count > 1 else ""
    return f"{count} auto-saisine{plural} enregistrée{plural} : {numbers}."


@role_required(WORKER_ROLES)
def auto_referral_upload(request):
    """Stores the file and answers at once: a worker reads it (see weekly_summaries)."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = weekly_summaries.weekly_summary_upload(
                uploaded_file=form.cleaned_data["file"], acting_user=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("referrals:auto_upload_detail", pk=upload.pk)
    recent = WeeklySummaryUpload.objects.visible_to(request.user)[:5]
    context = {"columns": importer.COLUMNS, "form": form, "recent": recent}
    return render(request, "cases/referrals/auto_upload.html", context)


@role_required(WORKER_ROLES)
def auto_referral_upload_detail(request, pk):
    """The analysis of an uploaded summary (polled while a worker reads it), and its
    confirmation."""
    upload = get_object_or_404(WeeklySummaryUpload.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        try:
            created = weekly_summaries.weekly_summary_confirm(
                upload=upload, acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _created_message(created))
        return redirect("referrals:auto_upload_detail", pk=upload.pk)
    return render(request, "cases/referrals/auto_upload_detail.html", {"upload": upload})


@role_required(WORKER_ROLES)
def auto_referral_template(request):
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            importer.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="modele-auto-saisines.xlsx"'
        return response
    response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-auto-saisines.csv"'
    return response
