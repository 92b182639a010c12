"""Cases (accompagnements): opening, closing with a reason, reopening."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.dates import last_activity_on
from cases.enums import ClosingReason, ReferralStatus
from cases.models import Beneficiary, Case
from cases.referrals.services.referrals import ALLOWED_TRANSITIONS, referral_set_status
from cases.service_checks import check_post, check_visible
from iscg import access
from iscg.models import Post


def _check_case(acting_user, case: Case) -> None:
    check_visible(acting_user, Case, case, "Cet accompagnement ne relève pas de vos postes.")


@transaction.atomic
def case_open(
    *,
    beneficiary: Beneficiary,
    acting_user,
    post: Post | None = None,
    opened_on: datetime.date | None = None,
) -> Case:
    """Opens a new accompaniment of a beneficiary on one of the user's posts."""
    check_visible(
        acting_user,
        Beneficiary,
        beneficiary,
        "Ce ou cette bénéficiaire n'est pas suivi·e sur vos postes.",
    )
    if post is None:
        worked = Post.objects.filter(pk__in=access.worked_post_ids(acting_user))
        post = worked.filter(pk=beneficiary.post_id).first() or worked.order_by("pk").first()
    check_post(acting_user, post)
    case = Case(
        beneficiary=beneficiary,
        post=post,
        opened_on=opened_on or timezone.localdate(),
        created_by=acting_user,
    )
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def case_close(
    *, case: Case, reason: str, acting_user, closed_on: datetime.date | None = None
) -> Case:
    """Closes the case with a reason; its referrals are closed where their status allows."""
    _check_case(acting_user, case)
    if not case.is_open:
        raise ValidationError("Cet accompagnement est déjà clôturé.")
    if reason not in dict(ClosingReason.for_workers()):
        raise ValidationError({"reason": "Indiquez le motif de clôture."})
    closed_on = closed_on or timezone.localdate()
    if closed_on < case.opened_on:
        raise ValidationError(
            {"closed_on": "La clôture ne peut pas précéder l'ouverture de l'accompagnement."}
        )
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": "La date de clôture ne peut pas être dans le futur."})
    last = last_activity_on(case)
    if last and closed_on < last:
        raise ValidationError(
            {
                "closed_on": f"Cet accompagnement a un acte ou une orientation daté du "
                f"{last:%d/%m/%Y} : la clôture ne peut pas le précéder (corrigez la date de "
                "l'acte ou de l'orientation si elle est fausse)."
            }
        )
    case.closed_on = closed_on
    case.closing_reason = reason
    case.full_clean()
    case.save(update_fields=["closed_on", "closing_reason"])
    for referral in case.referrals.exclude(status=ReferralStatus.CLOSED):
        if ReferralStatus.CLOSED in ALLOWED_TRANSITIONS[referral.status]:
            referral_set_status(
                referral=referral, status=ReferralStatus.CLOSED, acting_user=acting_user
            )
    return case


@transaction.atomic
def case_reopen(*, case: Case, acting_user) -> Case:
    """Reopens a closed case; its closed referrals are back to "prise en compte"."""
    _check_case(acting_user, case)
    if case.is_open:
        raise ValidationError("Cet accompagnement est déjà ouvert.")
    case.closed_on = None
    case.closing_reason = ""
    case.save(update_fields=["closed_on", "closing_reason"])
    for referral in case.referrals.filter(status=ReferralStatus.CLOSED):
        referral_set_status(referral=referral, status=ReferralStatus.TAKEN, acting_user=acting_user)
    return case


def check_case(acting_user, case: Case) -> None:
    """Raises PermissionDenied if the case is outside the user's posts."""
    _check_case(acting_user, case)


__all__ = ["PermissionDenied", "case_close", "case_open", "case_reopen", "check_case"]
