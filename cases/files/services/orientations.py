"""Orientations to partners.

An orientation is case data: it never changes what the unit reads. The worker tells the
unit that the person was oriented, and to which kind of partner, in a typed feedback
(``unit_feedback_send(partner_kinds=…)``), which alone moves the referral to ORIENTED.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.dates import check_within_case
from cases.enums import OrientationStatus
from cases.files.services.cases import check_case
from cases.models import Case, Orientation
from partners.models import Partner

UPDATABLE_FIELDS = ("status", "partner_answer", "reason", "oriented_on", "partner")


def _check_partner(acting_user, partner: Partner) -> None:
    if not Partner.objects.visible_to(acting_user).filter(pk=partner.pk).exists():
        raise PermissionDenied("Ce partenaire n'est pas dans votre annuaire.")


def _check_date(orientation: Orientation) -> None:
    if orientation.oriented_on:
        check_within_case(
            orientation.case, orientation.oriented_on, field="oriented_on", what="Une orientation"
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
    _check_date(orientation)
    orientation.full_clean()
    orientation.save()
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
    if "oriented_on" in fields:
        _check_date(orientation)
    orientation.full_clean()
    orientation.save()
    return orientation
