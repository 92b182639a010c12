"""« Importer l'activité »: upload, preview with the error report, confirmation, undo."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases.lifecycle.forms import ImportUploadForm
from cases.lifecycle.imports import analysis, services
from cases.lifecycle.imports.plans import COUNT_LABELS
from cases.lifecycle.imports.template_files import (
    TEMPLATE_NAMES,
    template_csv,
    template_help,
    template_xlsx,
)
from cases.models import ImportBatch, ImportStatus, ImportTemplate
from iscg.enums import Role
from iscg.permissions import Roles, role_required

IMPORTERS = Roles((Role.WORKER, Role.EMPLOYER_MANAGER))


def _labelled(counts: dict) -> list[tuple[str, int]]:
    return [(COUNT_LABELS[key], counts.get(key, 0)) for key in COUNT_LABELS]


@role_required(IMPORTERS)
def import_start(request):
    posts = services.importable_posts(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None, posts=posts)
    if request.method == "POST" and form.is_valid():
        try:
            batch = analysis.import_upload(
                post=form.cleaned_data["post"],
                uploaded_file=form.cleaned_data["file"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("lifecycle:import_preview", pk=batch.pk)
    batches = ImportBatch.objects.visible_to(request.user).select_related("post")[:20]
    return render(
        request,
        "cases/lifecycle/import_start.html",
        {
            "form": form,
            "has_posts": posts.exists(),
            "batches": batches,
            "templates": [
                (value, label, template_help(value)) for value, label in ImportTemplate.choices
            ],
        },
    )


@role_required(IMPORTERS)
def import_template(request, template, fmt):
    if template not in ImportTemplate.values or fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        content, content_type = template_csv(template), "text/csv; charset=utf-8"
    else:
        content = template_xlsx(template)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAMES[template]}.{fmt}"'
    return response


def _batch(request, pk):
    if not IMPORTERS.allow(request.user):
        raise PermissionDenied(IMPORTERS.refusal)
    return get_object_or_404(
        ImportBatch.objects.visible_to(request.user).select_related("post"), pk=pk
    )


def import_preview(request, pk):
    batch = _batch(request, pk)
    context = {
        "batch": batch,
        "uploader": batch.created_by_id == request.user.pk,
        "report": analysis.report_for(batch, request.user),
        "counts": _labelled(batch.counts),
        # While a worker reads or writes the file, the page asks again every 2 s.
        "in_progress": batch.status in (ImportStatus.ANALYSING, ImportStatus.IMPORTING),
    }
    return render(request, "cases/lifecycle/import_preview.html", context)


@require_POST
def import_confirm(request, pk):
    batch = _batch(request, pk)
    try:
        analysis.import_confirm(batch=batch, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("lifecycle:import_preview", pk=batch.pk)


@require_POST
def import_undo(request, pk):
    batch = _batch(request, pk)
    try:
        services.import_undo(batch=batch, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "L'import a été annulé : toutes ses données sont supprimées.")
    return redirect("lifecycle:import_preview", pk=batch.pk)
