"""Referrals the worker enters (the person came by themselves, a partner, other), and a
saisine taken into a file."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.dates import check_recent
from cases.enums import ReferralOrigin
from cases.files.services.beneficiaries import beneficiary_create
from cases.files.services.cases import case_open
from cases.models import Case, Referral
from cases.referrals.services.referrals import referral_create, referral_take
from cases.service_checks import check_post

WORKER_ORIGINS = [ReferralOrigin.SELF, ReferralOrigin.PARTNER, ReferralOrigin.OTHER]


@transaction.atomic
def referral_record(*, acting_user, post, origin: str, **fields):
    """A referral of another origin, routed to the worker's own post."""
    check_post(acting_user, post)
    if origin not in WORKER_ORIGINS:
        raise ValidationError({"origin": "Choisissez une origine parmi celles proposées."})
    if origin == ReferralOrigin.PARTNER and not fields.get("partner"):
        raise ValidationError({"partner": "Indiquez le partenaire à l'origine de la saisine."})
    if fields.get("received_at"):
        check_recent(fields["received_at"], field="received_on")
    return referral_create(acting_user=acting_user, post=post, origin=origin, **fields)


@transaction.atomic
def referral_take_into_file(
    *, referral: Referral, acting_user, beneficiary=None, case=None, new_person=None
) -> Case:
    """Takes a saisine into a file, all or nothing: a new person's record and file
    (``new_person``: the fields of ``beneficiary_create``, its post included), a new file
    for a known person (``beneficiary``), or a file in progress (``case``). A refusal at
    any step leaves no record or file behind, and a saisine already in a file (a replayed
    form, a second tab) is refused before anything is created."""
    # Who asks first: a worker of another post learns nothing of this saisine.
    if not Referral.objects.for_workers_of(acting_user).filter(pk=referral.pk).exists():
        raise PermissionDenied("Cette saisine n'est pas adressée à l'un de vos postes.")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.case_id is not None:
        raise ValidationError(
            f"La saisine {locked.number} est déjà prise en compte dans un accompagnement."
        )
    if new_person is not None:
        beneficiary = beneficiary_create(acting_user=acting_user, **new_person)
    if case is None:
        case = case_open(beneficiary=beneficiary, post=locked.post, acting_user=acting_user)
    referral_take(referral=locked, beneficiary=beneficiary, case=case, acting_user=acting_user)
    return case
