"""E-mail notifications of referrals (``cases.Notification``), sent through the outbox.

``notification_enqueue`` writes the event row in the caller's transaction and asks
Celery to expand it once the transaction commits; if the broker is unreachable the row
stays pending and ``flush_notifications`` (Celery beat) expands it later.
``notification_send`` expands one row at most once, under a row lock: it chooses the
recipients and writes their e-mails to the outbox (``outbox_enqueue``), which sends them
outside any transaction, retries and records each one.

E-mails carry no personal data: the referral number and a link, nothing else.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cases.enums import ReferralOrigin
from cases.models import Notification, Referral, UnitFeedback
from cases.referrals.models.notifications import NotificationEvent, NotificationStatus
from iscg.enums import Role
from iscg.models import Membership, PostHolding
from outbox.models import OutgoingEmail
from outbox.services import outbox_enqueue, outbox_send

logger = logging.getLogger(__name__)


def _dispatch(notification_id: int) -> None:
    """Hands the row to Celery; a broker outage only delays it (beat flushes pending rows)."""
    from cases.tasks import send_notification  # cycle: cases.tasks imports this module

    try:
        send_notification.delay(notification_id)
    except Exception:  # noqa: BLE001 - kombu OperationalError, redis errors, refused connection…
        logger.warning("Broker unreachable: notification %s stays pending", notification_id)


def notification_enqueue(
    *, event: str, referral: Referral, feedback: UnitFeedback | None = None, new: bool = False
) -> Notification:
    """Writes the outbox row (once per event) and dispatches it after commit.

    ``new``: the referral (or feedback) was created in this transaction, so no row can
    exist for it yet: a plain INSERT, without get_or_create's lookup and savepoint.
    """
    key = f"{event}:{feedback.pk if feedback is not None else referral.pk}"
    if new:
        notification = Notification.objects.create(
            key=key, event=event, referral=referral, feedback=feedback
        )
        created = True
    else:
        notification, created = Notification.objects.get_or_create(
            key=key, defaults={"event": event, "referral": referral, "feedback": feedback}
        )
    if created:
        transaction.on_commit(lambda: _dispatch(notification.pk))
    return notification


def _workers_of(post) -> list[str]:
    return list(
        PostHolding.objects.current()
        .filter(post=post, worker__is_active=True)
        .values_list("worker__email", flat=True)
        .distinct()
    )


def _employer_managers_of(post) -> list[str]:
    return list(
        Membership.objects.active()
        .filter(role=Role.EMPLOYER_MANAGER, employer_id=post.employer_id, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )


def recipients(notification: Notification) -> list[str]:
    referral = notification.referral
    if notification.event == NotificationEvent.NEW_REFERRAL:
        found = _workers_of(referral.post) if referral.post_id else []
    elif notification.event == NotificationEvent.REMINDER:
        found = (
            _workers_of(referral.post) + _employer_managers_of(referral.post)
            if referral.post_id
            else []
        )
    else:
        found = []
        if referral.source_unit_id and referral.source_unit.email:
            found.append(referral.source_unit.email)
        # The agent who sent it; an auto-saisine was entered by the worker, not by the unit.
        if (
            referral.origin == ReferralOrigin.FSI_DIRECT
            and referral.submitted_by_id
            and referral.submitted_by.is_active
        ):
            found.append(referral.submitted_by.email)
    return sorted({email.lower() for email in found if email})


def _link(notification: Notification) -> str:
    referral = notification.referral
    if notification.event == NotificationEvent.FEEDBACK_POSTED:
        path = reverse("referrals:unit_detail", args=[referral.pk])
    else:
        path = reverse("referrals:worker_detail", args=[referral.pk])
    return settings.SITE_URL.rstrip("/") + path


def notification_send(notification_id: int) -> bool:
    """Writes the e-mails of one pending event to the outbox and sends them.
    True if e-mails were written by this call (they are sent, or retried, by the outbox)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("referral__source_unit", "referral__submitted_by", "referral__post")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.status != NotificationStatus.PENDING:
            return False
        notification.attempts += 1
        to = recipients(notification)
        if not to:
            notification.status = NotificationStatus.SKIPPED
            notification.save(update_fields=["status", "attempts"])
            return False
        context = {
            "number": notification.referral.number,
            "link": _link(notification),
            "feedback": notification.feedback,
        }
        subject = render_to_string(f"emails/{notification.event}_subject.txt", context)
        body = render_to_string(f"emails/{notification.event}_body.txt", context)
        # One message per recipient: nobody learns who else was told.
        outbox_enqueue(event_key=notification.key, recipients=to, subject=subject, body=body)
        # "Sent" here: handed to the outbox, which records each e-mail's own state.
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.recipient_count = len(to)
        notification.last_error = ""
        notification.save(
            update_fields=["status", "sent_at", "recipient_count", "attempts", "last_error"]
        )
    # Already in a worker: send now rather than wait for the dispatched tasks.
    for email_id in OutgoingEmail.objects.for_event(notification.key).values_list("pk", flat=True):
        outbox_send(email_id)
    return True


def notification_record_failure(notification_id: int, error: Exception) -> None:
    Notification.objects.filter(pk=notification_id, status=NotificationStatus.PENDING).update(
        last_error=str(error)[:300]
    )
