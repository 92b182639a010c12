"""The reference lists of the departmental administration: the shared entries, switched
on or off for her département, and the département's own entries."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from iscg.forms import DsfrModelForm, apply_service_errors
from iscg.models import Department
from iscg.permissions import administrator_required
from iscg.services.reference_lists import (
    REFERENCE_LISTS,
    reference_entry_save,
    reference_entry_switch,
)


def _list_or_404(kind):
    if kind not in REFERENCE_LISTS:
        raise Http404
    return REFERENCE_LISTS[kind]


def _department(request):
    """The administered département the page is about (``?departement=`` among hers)."""
    departments = Department.objects.administered_by(request.user).order_by("code")
    wanted = request.GET.get("departement") or request.POST.get("departement")
    if wanted:
        department = departments.filter(code=wanted).first()
        if department is None:
            raise Http404
        return department, departments
    return departments.first(), departments


def _entry_form(reference):
    class EntryForm(DsfrModelForm):
        class Meta:
            model = reference.model
            fields = list(reference.fields)

    return EntryForm


@administrator_required
def reference_lists(request):
    return redirect("administration:reference_list", kind=next(iter(REFERENCE_LISTS)))


@administrator_required
def reference_list(request, kind):
    reference = _list_or_404(kind)
    department, departments = _department(request)
    entries = (
        reference.model.objects.known_in([department.pk])
        .order_by("department_id", "order", "label")
        .prefetch_related("disabled_in")
    )
    rows = []
    for entry in entries:
        switched_off = department in entry.disabled_in.all()
        in_use = entry.is_active and not switched_off
        rows.append({"entry": entry, "shared": entry.department_id is None, "in_use": in_use})
    context = {
        "reference": reference,
        "department": department,
        "departments": departments,
        "rows": rows,
        "lists": REFERENCE_LISTS.values(),
    }
    return render(request, "iscg/admin/reference_list.html", context)


def _own_entry(request, reference, department, pk):
    return get_object_or_404(reference.model.objects.filter(department=department), pk=pk)


@administrator_required
def reference_entry_form(request, kind, pk=None):
    reference = _list_or_404(kind)
    department, _departments = _department(request)
    entry = reference.model() if pk is None else _own_entry(request, reference, department, pk)
    form = _entry_form(reference)(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            reference_entry_save(
                entry=form.instance, department=department, acting_user=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"« {form.instance.label} » est enregistrée.")
            return redirect(_list_url(kind, department))
    verb = "Ajouter" if pk is None else "Modifier"
    return render(
        request,
        "iscg/admin/reference_form.html",
        {
            "form": form,
            "title": f"{verb} : {reference.entry_name} ({department})",
            "reference": reference,
            "department": department,
        },
    )


class SwitchForm(forms.Form):
    in_use = forms.TypedChoiceField(choices=[("oui", "oui"), ("non", "non")], coerce="oui".__eq__)


@require_POST
@administrator_required
def reference_entry_switch_view(request, kind, pk):
    reference = _list_or_404(kind)
    department, _departments = _department(request)
    entry = get_object_or_404(reference.model.objects.known_in([department.pk]), pk=pk)
    form = SwitchForm(request.POST)
    if form.is_valid():
        in_use = form.cleaned_data["in_use"]
        reference_entry_switch(
            entry=entry, department=department, in_use=in_use, acting_user=request.user
        )
        state = "remise en usage" if in_use else "désactivée"
        messages.success(request, f"« {entry.label} » est {state} pour {department}.")
    return redirect(_list_url(kind, department))


def _list_url(kind, department):
    return f"{reverse('administration:reference_list', args=[kind])}?departement={department.code}"
