"""Orientations to partners; an effective orientation marks the case's referrals ORIENTED."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.enums import OrientationStatus, ReferralStatus
from cases.models import Case, Orientation
from cases.services.cases import check_case
from cases.services.referrals import ALLOWED_TRANSITIONS, referral_set_status
from partners.models import Partner

UPDATABLE_FIELDS = ("status", "partner_answer", "reason", "oriented_on", "partner")


def _check_partner(acting_user, partner: Partner) -> None:
    if not Partner.objects.visible_to(acting_user).filter(pk=partner.pk).exists():
        raise PermissionDenied("Ce partenaire n'est pas dans votre annuaire.")


def _mark_referrals_oriented(orientation: Orientation, acting_user) -> None:
    if orientation.status != OrientationStatus.DONE:
        return
    for referral in orientation.case.referrals.all():
        if ReferralStatus.ORIENTED in ALLOWED_TRANSITIONS[referral.status]:
            referral_set_status(
                referral=referral, status=ReferralStatus.ORIENTED, acting_user=acting_user
            )


@transaction.atomic
def orientation_create(
    *,
    case: Case,
    partner: Partner,
    reason: str,
    acting_user,
    oriented_on=None,
    status: str = OrientationStatus.PROPOSED,
    partner_answer: str = "",
) -> Orientation:
    check_case(acting_user, case)
    _check_partner(acting_user, partner)
    if not case.is_open:
        raise ValidationError("Cet accompagnement est clôturé : rouvrez-le pour orienter.")
    orientation = Orientation(
        case=case,
        partner=partner,
        reason=reason,
        status=status,
        partner_answer=partner_answer,
        author=acting_user,
    )
    if oriented_on is not None:
        orientation.oriented_on = oriented_on
    orientation.full_clean()
    orientation.save()
    _mark_referrals_oriented(orientation, acting_user)
    return orientation


@transaction.atomic
def orientation_update(*, orientation: Orientation, acting_user, **fields) -> Orientation:
    check_case(acting_user, orientation.case)
    for name, value in fields.items():
        if name not in UPDATABLE_FIELDS:
            raise TypeError(f"Champ non modifiable : {name}")
        if name == "partner":
            _check_partner(acting_user, value)
        setattr(orientation, name, value)
    orientation.full_clean()
    orientation.save()
    _mark_referrals_oriented(orientation, acting_user)
    return orientation
