"""A convention's files: its signed documents and amendments (PDF) and its financing plan
(XLSX), each download recorded in the access log."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from conventions import exports, plans
from conventions.models import Amendment, ConventionDocument
from conventions.roles import READ_ROLES
from conventions.views import convention_or_404
from iscg.audit import audited
from iscg.models import AccessAction
from iscg.permissions import role_required


def _pdf_response(field_file, filename):
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )


@role_required(READ_ROLES)
@audited
def document_download(request, pk, item):
    convention = convention_or_404(request, pk)
    document = get_object_or_404(
        ConventionDocument.objects.visible_to(request.user), pk=item, convention=convention
    )
    request.audit = (AccessAction.PDF_DOWNLOAD, document)
    return _pdf_response(document.file, f"convention-{convention.pk}-document-{document.pk}.pdf")


@role_required(READ_ROLES)
@audited
def amendment_document(request, pk, item):
    convention = convention_or_404(request, pk)
    amendment = get_object_or_404(
        Amendment.objects.visible_to(request.user), pk=item, convention=convention
    )
    request.audit = (AccessAction.PDF_DOWNLOAD, amendment)
    return _pdf_response(
        amendment.document, f"convention-{convention.pk}-avenant-{amendment.number}.pdf"
    )


@role_required(READ_ROLES)
@audited
def plan_export(request, pk):
    convention = convention_or_404(request, pk)
    request.audit = (AccessAction.EXPORT, convention)
    return exports.xlsx_response(
        exports.plan_workbook(convention, plans.financing_plan(convention)),
        f"plan-de-financement-{convention.pk}.xlsx",
    )
