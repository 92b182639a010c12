"""The typed feedback from the worker to the unit: the only case information it receives."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.enums import FeedbackKind, ReferralStatus
from cases.models import Referral, UnitFeedback
from cases.models.notifications import NotificationEvent
from cases.services.notifications import notification_enqueue
from cases.services.referrals import referral_set_status

# The referral status each kind of feedback leads to (None: keep, see below).
FEEDBACK_STATUS = {
    FeedbackKind.CONTACT_ESTABLISHED: ReferralStatus.CONTACT_MADE,
    FeedbackKind.UNREACHABLE: ReferralStatus.UNREACHABLE,
    FeedbackKind.DID_NOT_COME: ReferralStatus.UNREACHABLE,
    FeedbackKind.REFUSED_HELP: ReferralStatus.REFUSED,
    FeedbackKind.SITUATION_WORSENED: None,
}


def _target_status(referral: Referral, kind: str) -> str:
    status = FEEDBACK_STATUS[FeedbackKind(kind)]
    if status == ReferralStatus.CONTACT_MADE and referral.status == ReferralStatus.ORIENTED:
        # "Contact established" after an effective orientation: the orientation (a later
        # step, which the unit reads with the partner kinds) stays.
        return referral.status
    if status is not None:
        return status
    # Situation worsened: a contact took place; keep a later status.
    if referral.status in (ReferralStatus.RECEIVED, ReferralStatus.TAKEN):
        return ReferralStatus.CONTACT_MADE
    return referral.status


@transaction.atomic
def unit_feedback_send(
    *, referral: Referral, kind: str, attempts: int | None = None, message: str = "", acting_user
) -> UnitFeedback:
    """Records a feedback, moves the referral's status, and e-mails the unit (no content).

    Only a worker of the post the referral is routed to may send it. A closed referral
    keeps its status (closure is final) but may still carry a late feedback.
    """
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not Referral.objects.for_workers_of(acting_user).filter(pk=referral.pk).exists():
        raise PermissionDenied("Cette saisine n'est pas adressée à l'un de vos postes.")
    if referral.source_unit_id is None:
        raise ValidationError("Cette saisine ne vient pas d'une unité : aucun retour à envoyer.")
    if kind not in FeedbackKind.values:
        raise ValidationError({"kind": "Choisissez le type de retour."})
    if kind == FeedbackKind.UNREACHABLE and not attempts:
        raise ValidationError({"attempts": "Indiquez le nombre de tentatives de contact."})
    if kind != FeedbackKind.UNREACHABLE:
        attempts = None
    feedback = UnitFeedback(
        referral=referral, kind=kind, attempts=attempts, message=message.strip(), author=acting_user
    )
    feedback.full_clean()
    if referral.status != ReferralStatus.CLOSED:
        referral_set_status(
            referral=referral, status=_target_status(referral, kind), acting_user=acting_user
        )
    feedback.save()
    notification_enqueue(
        event=NotificationEvent.FEEDBACK_POSTED, referral=referral, feedback=feedback
    )
    return feedback
