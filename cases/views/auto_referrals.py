"""Auto-saisine: the worker records referrals found in the weekly activity summary."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cases import auto_referral_import as importer
from cases.referral_forms import AutoReferralRowForm, DsfrForm
from cases.services.referrals import auto_referrals_import, worker_units
from cases.views.referral_access import WORKER_ROLES, role_required
from cases.views.unit_referrals import _communes_for

SIGNING_SALT = "cases.auto_referrals.rows"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class BaseRowFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError("Remplissez au moins une ligne.")


RowFormSet = forms.formset_factory(AutoReferralRowForm, formset=BaseRowFormSet, extra=3)


class UploadForm(DsfrForm):
    file = forms.FileField(
        label="Fichier du résumé hebdomadaire (.csv ou .xlsx)",
        error_messages={"required": "Choisissez un fichier à importer."},
    )


@role_required(*WORKER_ROLES)
def auto_referral_bulk(request):
    units = worker_units(request.user)
    formset = RowFormSet(request.POST or None, form_kwargs={"units": units}, prefix="lignes")
    if request.method == "POST" and formset.is_valid():
        rows = [form.referral_fields() for form in formset.forms if form.has_changed()]
        created = auto_referrals_import(rows=rows, acting_user=request.user)
        messages.success(request, _created_message(created))
        return redirect("referrals:auto_bulk")
    return render(
        request,
        "referrals/auto_bulk.html",
        {"formset": formset, "communes": _communes_for(request.user)},
    )


def _created_message(created) -> str:
    numbers = ", ".join(referral.number for referral in created)
    count = len(created)
    plural = "s" if count > 1 else ""
    return f"{count} auto-saisine{plural} enregistrée{plural} : {numbers}."


def _check(rows, units):
    """[(row, form)] for every line; the form carries the line's errors in French."""
    unit_list = list(units)
    return [
        (row, AutoReferralRowForm(importer.row_to_form_data(row, unit_list), units=units))
        for row in rows
    ]


def _report(checked):
    report = []
    for row, form in checked:
        if form.is_valid():
            continue
        errors = []
        for name, field_errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else "Ligne"
            errors.extend(f"{label} : {error}" for error in field_errors)
        report.append({"line": row["_line"], "errors": errors})
    return report


@role_required(*WORKER_ROLES)
def auto_referral_upload(request):
    units = worker_units(request.user)
    context = {"columns": importer.COLUMNS, "form": UploadForm()}
    if request.method == "POST" and request.POST.get("step") == "valid_only":
        try:
            rows = signing.loads(request.POST.get("payload", ""), salt=SIGNING_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, "Ce rapport d'import a expiré : déposez le fichier à nouveau.")
            return redirect("referrals:auto_upload")
        valid = [form for _row, form in _check(rows, units) if form.is_valid()]
        if not valid:
            messages.error(request, "Aucune ligne valide à importer.")
            return redirect("referrals:auto_upload")
        created = auto_referrals_import(
            rows=[form.referral_fields() for form in valid], acting_user=request.user
        )
        messages.success(request, _created_message(created))
        return redirect("referrals:auto_upload")
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            if uploaded.size > MAX_UPLOAD_BYTES:
                form.add_error("file", "Fichier trop volumineux (2 Mo au plus).")
            else:
                try:
                    rows = importer.read_rows(uploaded)
                except importer.ImportFileError as error:
                    form.add_error("file", str(error))
                else:
                    checked = _check(rows, units)
                    report = _report(checked)
                    if not report:
                        created = auto_referrals_import(
                            rows=[f.referral_fields() for _r, f in checked],
                            acting_user=request.user,
                        )
                        messages.success(request, _created_message(created))
                        return redirect("referrals:auto_upload")
                    context.update(
                        report=report,
                        total=len(rows),
                        valid_count=len(rows) - len(report),
                        payload=signing.dumps(rows, salt=SIGNING_SALT, compress=True),
                    )
    return render(request, "referrals/auto_upload.html", context)


@role_required(*WORKER_ROLES)
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
