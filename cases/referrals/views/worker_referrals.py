"""The worker's view of a referral routed to their post: read it, take it into account."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases.enums import ReferralOrigin, ReferralStatus
from cases.models import Referral
from cases.referrals.access import WORKER_ROLES
from cases.referrals.filters import WorkerReferralFilter
from cases.view_helpers import _bounded_page, _query_without_page
from iscg.audit import audited
from iscg.models import AccessAction
from iscg.permissions import role_required


def worker_referral(request, pk) -> Referral:
    return get_object_or_404(
        Referral.objects.for_workers_of(request.user).select_related(
            "source_unit", "submitted_by", "main_problem", "person_commune", "post", "taken_by"
        ),
        pk=pk,
    )


@role_required(WORKER_ROLES)
@audited
def worker_referral_detail(request, pk):
    referral = worker_referral(request, pk)
    request.audit = (AccessAction.VIEW, referral)
    return render(
        request,
        "cases/referrals/worker_detail.html",
        {"referral": referral},
    )


@require_POST
@role_required(WORKER_ROLES)
def worker_referral_take(request, pk):
    """Taking a saisine over attaches it to a person's file: this address (the former
    status-only button, which left the saisine attached to nothing and out of "Nouvelles
    saisines") leads to that flow and changes nothing by itself."""
    referral = worker_referral(request, pk)
    return redirect("cases:referral_take", pk=referral.pk)


LIST_ROW = (
    "pk",
    "number",
    "received_at",
    "urgency",
    "status",
    "origin",
    "person_last_name",
    "person_first_name",
    "source_unit__name",
    "main_problem__label",
)


@role_required(WORKER_ROLES)
def worker_referral_list(request):
    """Every saisine that reached the worker's posts, whatever became of it: one taken,
    answered or closed stays findable here, not only through the dashboard's blocks."""
    queryset = Referral.objects.for_workers_of(request.user).order_by("-received_at", "-pk")
    filterset = WorkerReferralFilter(request.GET or None, queryset=queryset, request=request)
    page = _bounded_page(request, filterset.qs.values(*LIST_ROW))
    statuses, origins = dict(ReferralStatus.choices), dict(ReferralOrigin.choices)
    for row in page.object_list:
        row["person"] = Referral.person_name_of(row["person_last_name"], row["person_first_name"])
        row["source"] = row["source_unit__name"] or origins.get(row["origin"], row["origin"])
        row["status_label"] = statuses[row["status"]]
    return render(
        request,
        "cases/referrals/worker_list.html",
        {"filter": filterset, "page_obj": page, "query": _query_without_page(request)},
    )
