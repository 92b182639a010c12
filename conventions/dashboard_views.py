"""The funding dashboard of the conventions an administrator edits, and its export."""

from django.shortcuts import render

from conventions import exports, plans
from conventions.models import Convention
from conventions.roles import EDIT_ROLES
from iscg.audit import access_log_record, audited
from iscg.models import AccessAction
from iscg.permissions import role_required


def _dashboard_conventions(request):
    return Convention.objects.visible_to(request.user).editable_by(request.user)


@role_required(EDIT_ROLES)
def dashboard(request):
    data = plans.funding_dashboard(_dashboard_conventions(request))
    return render(request, "conventions/dashboard.html", {"data": data})


@role_required(EDIT_ROLES)
@audited
def dashboard_export(request):
    data = plans.funding_dashboard(_dashboard_conventions(request))
    # Several conventions at once: no single object, the row says what was exported.
    access_log_record(
        user=request.user,
        action=AccessAction.EXPORT,
        request=request,
        detail="tableau des financements",
    )
    return exports.xlsx_response(exports.dashboard_workbook(data), "tableau-financements.xlsx")
