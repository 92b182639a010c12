"""Archived files: listed for the admin acting as DPO, opened only with a logged reason."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from cases.files.selectors import search_condition
from cases.lifecycle.forms import ReasonForm
from cases.lifecycle.services.register import log_event
from cases.lifecycle.services.rights import (
    beneficiary_data,
    dpo_beneficiaries,
    identity_rows,
    without_confidential_notes,
)
from cases.models import DataProtectionAction, DataProtectionEvent
from iscg.audit import audited
from iscg.enums import Role
from iscg.models import AccessAction
from iscg.pagination import BoundedCountPaginator
from iscg.permissions import Roles, role_required

# The departmental administrator acts as the DPO's relay; not the technical operator
# (archived files hold personal data).
DPO = Roles((Role.ADMIN,))


def _dpo_or_403(user):
    if not DPO.allow(user):
        raise PermissionDenied(DPO.refusal)
    return dpo_beneficiaries(user)


def archive_list(request):
    archived = (
        _dpo_or_403(request.user)
        .filter(archived_at__isnull=False)
        .select_related("post")
        .order_by("-archived_at", "pk")
    )
    query = request.GET.get("q", "").strip()
    if query.isdigit() and len(query) < 10:
        archived = archived.filter(pk=int(query))  # the file's number, as the list shows it
    elif query:
        # The same search as the worker's list, on the same stored key.
        archived = archived.filter(search_condition(query))
    page = BoundedCountPaginator(archived, 50).get_page(request.GET.get("page"))
    return render(request, "cases/lifecycle/archive_list.html", {"page_obj": page, "q": query})


@audited
def archive_open(request, pk):
    beneficiary = get_object_or_404(
        _dpo_or_403(request.user).filter(archived_at__isnull=False).select_related("post"), pk=pk
    )
    form = ReasonForm(request.POST or None)
    data = None
    if request.method == "POST" and form.is_valid():
        log_event(
            action=DataProtectionAction.ARCHIVE_OPEN,
            acting_user=request.user,
            obj=beneficiary,
            reason=form.cleaned_data["reason"],
        )
        # Two registers: the DPO's (with the reason) and the access log (who read what).
        request.audit = (AccessAction.ARCHIVE_OPEN, beneficiary)
        # The administrator reads everything but confidential notes (see DESIGN.md).
        data = without_confidential_notes(beneficiary_data(beneficiary))
    return render(
        request,
        "cases/lifecycle/archive_open.html",
        {
            "beneficiary": beneficiary,
            "form": form,
            "data": data,
            "identity": identity_rows(data) if data else None,
        },
    )


@role_required(DPO)
def register(request):
    events = DataProtectionEvent.objects.visible_to(request.user).select_related("actor", "post")
    action = request.GET.get("action", "")
    if action in DataProtectionAction.values:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/lifecycle/register.html",
        {"page_obj": page, "actions": DataProtectionAction.choices, "current": action},
    )
