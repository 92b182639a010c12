"""The worker's view of a referral routed to their post: read it, take it into account."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases.models import Referral
from cases.views.referral_access import WORKER_ROLES, role_required
from iscg.audit import audited
from iscg.models import AccessAction


def worker_referral(request, pk) -> Referral:
    return get_object_or_404(
        Referral.objects.for_workers_of(request.user).select_related(
            "source_unit", "submitted_by", "main_problem", "person_commune", "post", "taken_by"
        ),
        pk=pk,
    )


@role_required(*WORKER_ROLES)
@audited
def worker_referral_detail(request, pk):
    referral = worker_referral(request, pk)
    request.audit = (AccessAction.VIEW, referral)
    return render(
        request,
        "referrals/worker_detail.html",
        {"referral": referral},
    )


@require_POST
@role_required(*WORKER_ROLES)
def worker_referral_take(request, pk):
    """Taking a saisine over attaches it to a person's file: this address (the former
    status-only button, which left the saisine attached to nothing and out of "Nouvelles
    saisines") leads to that flow and changes nothing by itself."""
    referral = worker_referral(request, pk)
    return redirect("cases:referral_take", pk=referral.pk)
