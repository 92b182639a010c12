"""Reads of referrals: what is owed, what is late, monthly counts. Computed in the database."""

import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    Q,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.enums import OrientationStatus, ReferralOrigin, ReferralStatus
from cases.models import Referral, UnitFeedback
from cases.referrals.models.referrals import NOT_CONTACTED
from cases.workdays import is_working_day, reminder_cutoff
from iscg import access
from iscg.models import Unit
from iscg.pagination import OrderedParts
from partners.models import PartnerKind

FEEDBACK_NO_CONTACT_DAYS = 7
FEEDBACK_NONE_DAYS = 15
REMINDER_WORKING_DAYS = 2


class FeedbackDueReason:
    NO_CONTACT = "no_contact"
    REFUSAL = "refusal"
    NO_FEEDBACK = "no_feedback"

    LABELS = {
        NO_CONTACT: f"Pas de contact après {FEEDBACK_NO_CONTACT_DAYS} jours",
        REFUSAL: "Refus enregistré, l'unité n'a pas été informée",
        NO_FEEDBACK: f"Aucun retour après {FEEDBACK_NONE_DAYS} jours",
    }


def feedback_due(referrals, now=None):
    """Referrals on which the worker owes the unit a feedback, with the reason.

    - no contact 7 days after reception (still received or merely taken);
    - a refusal recorded but no "refus d'aide" feedback sent;
    - no feedback at all 15 days after reception.
    Only referrals from units; closed ones are left out. The delays run from when the
    saisine reached the worker: an auto-saisine is typed days after the facts it is dated
    with, and counting from those flagged it late the moment it was recorded.
    """
    now = now or timezone.now()
    # The same conditions as the partial index FEEDBACK_MAY_BE_DUE, written the same way:
    # PostgreSQL reads from it only if it can prove these imply its own.
    no_contact = Q(
        status__in=NOT_CONTACTED,
        reached_worker_at__lte=now - datetime.timedelta(days=FEEDBACK_NO_CONTACT_DAYS),
    )
    refusal = Q(status=ReferralStatus.REFUSED, refusal_feedback_sent=False)
    none_at_all = Q(
        last_feedback_at__isnull=True,
        reached_worker_at__lte=now - datetime.timedelta(days=FEEDBACK_NONE_DAYS),
    )
    return (
        referrals.filter(source_unit__isnull=False)
        .exclude(status=ReferralStatus.CLOSED)
        .annotate(
            reached_worker_at=Case(
                When(origin=ReferralOrigin.FSI_INDIRECT, then=F("created_at")),
                default=F("received_at"),
                output_field=DateTimeField(),
            ),
        )
        .filter(no_contact | refusal | none_at_all)
        .annotate(
            due_reason=Case(
                When(refusal, then=Value(FeedbackDueReason.REFUSAL)),
                When(no_contact, then=Value(FeedbackDueReason.NO_CONTACT)),
                default=Value(FeedbackDueReason.NO_FEEDBACK),
                output_field=CharField(),
            )
        )
        .select_related("source_unit", "main_problem")
        .order_by("received_at")
    )


def reminder_due(now=None):
    """Live referrals still "reçue" after 2 working days, not yet reminded. None on a day
    off. Archived referrals are nobody's to take any more: never reminded."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if not is_working_day(today):
        return Referral.objects.none()
    cutoff = reminder_cutoff(today, REMINDER_WORKING_DAYS)
    start_of_cutoff = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    return (
        Referral.objects.live()
        .filter(
            status=ReferralStatus.RECEIVED,
            post__isnull=False,
        )
        # From when it reached the worker, as in feedback_due.
        .filter(
            Q(origin=ReferralOrigin.FSI_INDIRECT, created_at__lt=start_of_cutoff)
            | (~Q(origin=ReferralOrigin.FSI_INDIRECT) & Q(received_at__lt=start_of_cutoff))
        )
        .exclude(notifications__event="reminder")
        .order_by("received_at")
    )


def by_unit(referrals, units, order) -> OrderedParts:
    """The units' referrals merged in ``order``, each unit's read from its own index in
    that order (a lead follows several units: one index scan in order per unit, not all
    their referrals read and sorted)."""
    return OrderedParts([referrals.filter(source_unit=unit) for unit in units], order)


def monthly_counts(referrals):
    """[{month, status, count}] for a unit's referrals, grouped by the database."""
    return (
        referrals.annotate(month=TruncMonth("received_at"))
        .values("month", "status")
        .annotate(count=Count("id"))
        .order_by("-month", "status")
    )


def units_for_submission(user):
    """The units a user may submit a referral for: their own, or those they lead."""
    return Unit.objects.filter(pk__in=access.followed_unit_ids(user)).receiving_referrals()


def announceable_partner_kinds(referral: Referral):
    """Kinds of partner the worker may tell the unit about in a feedback: those of the
    orientations "effectuées" on the referral's case since it arrived (never a name)."""
    if not referral.case_id:
        return PartnerKind.objects.none()
    return (
        PartnerKind.objects.filter(
            partners__orientations__case_id=referral.case_id,
            partners__orientations__status=OrientationStatus.DONE,
            partners__orientations__oriented_on__gte=timezone.localtime(
                referral.received_at
            ).date(),
        )
        .distinct()
        .order_by("label")
    )


def unit_projection(referral: Referral) -> dict:
    """What a unit may read of its referral: ``Referral.UNIT_FIELDS`` as label/value pairs,
    the status, the typed feedback and the KINDS of partners a feedback chose to announce."""

    rows = []
    for name in Referral.UNIT_FIELDS:
        if name in ("number", "status"):
            continue
        field = Referral._meta.get_field(name)
        value = getattr(referral, name)
        if getattr(field, "choices", None):
            value = getattr(referral, f"get_{name}_display")()
        elif name == "consent_to_contact":
            value = "Oui" if value else "Non"
        elif name == "received_at":
            value = timezone.localtime(value).strftime("%d/%m/%Y à %H:%M")
        elif name == "submitted_by":
            value = value.get_full_name() if value else ""
        rows.append({"label": field.verbose_name.capitalize(), "value": value or "—"})
    feedbacks = [
        {
            "kind": feedback.get_kind_display(),
            "attempts": feedback.attempts,
            "message": feedback.message,
            "sent_at": feedback.sent_at,
            "partner_kinds": sorted(kind.label for kind in feedback.partner_kinds.all()),
        }
        for feedback in UnitFeedback.objects.filter(referral=referral)
        .prefetch_related("partner_kinds")
        .order_by("-sent_at")
    ]
    # Only what a feedback announced: an orientation is never told to the unit by itself.
    partner_kinds = sorted({label for feedback in feedbacks for label in feedback["partner_kinds"]})
    return {
        "pk": referral.pk,
        "number": referral.number,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "rows": rows,
        "feedbacks": feedbacks,
        "partner_kinds": partner_kinds,
    }


def with_feedback_since(referrals, since):
    """Referrals whose latest feedback arrived after ``since`` (all with one if None)."""
    if since is None:
        return referrals.filter(last_feedback_at__isnull=False)
    return referrals.filter(last_feedback_at__gt=since)
