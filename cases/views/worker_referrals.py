"""The worker's view of a referral routed to their post: read it, take it into account."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases.enums import ReferralStatus
from cases.models import Referral
from cases.services.referrals import referral_take
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
        {"referral": referral, "can_take": referral.status == ReferralStatus.RECEIVED},
    )


@require_POST
@role_required(*WORKER_ROLES)
def worker_referral_take(request, pk):
    referral = worker_referral(request, pk)
    try:
        referral_take(referral=referral, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"La saisine {referral.number} est prise en compte.")
    return redirect("referrals:worker_detail", pk=referral.pk)
