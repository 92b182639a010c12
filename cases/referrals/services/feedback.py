"""The typed feedback from the worker to the unit: the only case information it receives."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.enums import FeedbackKind, ReferralStatus
from cases.models import Referral, UnitFeedback
from cases.referrals.models.notifications import NotificationEvent
from cases.referrals.selectors import announceable_partner_kinds
from cases.referrals.services.notifications import notification_enqueue
from cases.referrals.services.referrals import ALLOWED_TRANSITIONS, referral_set_status

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
        # "Contact established" after a feedback announced an orientation: the orientation
        # (a later step, which the unit reads with the partner kinds) stays.
        return referral.status
    if status is not None:
        return status
    # Situation worsened: a contact took place; keep a later status.
    if referral.status in (ReferralStatus.RECEIVED, ReferralStatus.TAKEN):
        return ReferralStatus.CONTACT_MADE
    return referral.status


@transaction.atomic
def unit_feedback_send(
    *,
    referral: Referral,
    kind: str,
    attempts: int | None = None,
    message: str = "",
    partner_kinds=(),
    acting_user,
) -> UnitFeedback:
    """Records a feedback, moves the referral's status, and e-mails the unit (no content).

    Only a worker of the post the referral is routed to may send it. A closed referral
    keeps its status (closure is final) but may still carry a late feedback. The unit
    learns that the person was oriented, and to which kinds of partner, only through
    ``partner_kinds``, chosen by the worker among the case's effective orientations.
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
    kinds = list(partner_kinds)
    allowed = set(announceable_partner_kinds(referral).values_list("pk", flat=True))
    if any(partner_kind.pk not in allowed for partner_kind in kinds):
        raise ValidationError(
            {"partner_kinds": "Seuls les types des orientations effectuées peuvent être annoncés."}
        )
    feedback = UnitFeedback(
        referral=referral, kind=kind, attempts=attempts, message=message.strip(), author=acting_user
    )
    feedback.full_clean()
    if referral.status != ReferralStatus.CLOSED:
        status = _target_status(referral, kind)
        if (
            kinds
            and kind in (FeedbackKind.CONTACT_ESTABLISHED, FeedbackKind.SITUATION_WORSENED)
            and (
                referral.status == ReferralStatus.ORIENTED
                or ReferralStatus.ORIENTED in ALLOWED_TRANSITIONS[referral.status]
            )
        ):
            status = ReferralStatus.ORIENTED  # the worker chose to tell it
        referral_set_status(referral=referral, status=status, acting_user=acting_user)
    feedback.save()
    feedback.partner_kinds.set(kinds)
    notification_enqueue(
        event=NotificationEvent.FEEDBACK_POSTED, referral=referral, feedback=feedback
    )
    return feedback
