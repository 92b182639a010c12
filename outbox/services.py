"""The one e-mail path of the project: ``outbox_enqueue`` in the event's transaction.

    outbox_enqueue(event_key="invitation:42", recipients=[user.email],
                   subject="[ISCG] …", body="…")

writes one row per recipient (a recipient already told of this event is skipped) and
hands the rows to Celery once the transaction commits. ``outbox_send`` claims a row and
commits before talking to the SMTP server (with ``EMAIL_TIMEOUT``), so no row lock or
transaction is held while it answers, then records the success, or the error, the attempt
and the time of the next one. ``outbox_flush`` (Celery beat, every minute) sends what is
due and takes back rows whose sender died mid-send.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from iscg.dispatch import dispatch, dispatch_on_commit
from outbox.models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

# A row still "sending" this long after its claim lost its sender (worker killed): it is
# sent again. Far above EMAIL_TIMEOUT, so a slow server is never raced.
STUCK_AFTER = datetime.timedelta(minutes=10)


def retry_delay(attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min… doubling up to OUTBOX_RETRY_MAX_SECONDS."""
    seconds = settings.OUTBOX_RETRY_FIRST_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def outbox_enqueue(*, event_key: str, recipients, subject: str, body: str) -> list[OutgoingEmail]:
    """One row per new recipient of this event, sent after the caller's transaction
    commits. Returns the rows created (none for recipients already told)."""
    addresses = sorted({address.strip().lower() for address in recipients if address})
    subject = " ".join(subject.split())[:300]
    with transaction.atomic():
        known = set(
            OutgoingEmail.objects.for_event(event_key)
            .filter(recipient__in=addresses)
            .values_list("recipient", flat=True)
        )
        created = [
            OutgoingEmail.objects.create(
                event_key=event_key, recipient=address, subject=subject, body=body
            )
            for address in addresses
            if address not in known
        ]
    # Cycle: outbox.tasks imports this module to send the e-mails.
    from outbox.tasks import send_outgoing_email

    for email in created:
        dispatch_on_commit(send_outgoing_email, email.pk)
    return created


def _claim(email_id: int) -> OutgoingEmail | None:
    """Marks the row "sending" and counts the attempt, committed before the SMTP talk."""
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            OutgoingEmail.objects.due(now)
            .filter(pk=email_id)
            .update(status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        )
    return OutgoingEmail.objects.get(pk=email_id) if claimed else None


def outbox_send(email_id: int) -> bool:
    """Sends one due row. True if it left now; False if not due, claimed elsewhere or failed."""
    email = _claim(email_id)
    if email is None:
        return False
    message = EmailMessage(
        email.subject,
        email.body,
        settings.DEFAULT_FROM_EMAIL,
        [email.recipient],
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
    )
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - SMTP, socket, TLS, timeout: all retried
        _record_failure(email, error)
        return False
    OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), last_error="", body=""
    )
    return True


def _record_failure(email: OutgoingEmail, error: Exception) -> None:
    given_up = email.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
        status=EmailStatus.FAILED if given_up else EmailStatus.PENDING,
        next_attempt_at=None if given_up else timezone.now() + retry_delay(email.attempts),
        last_error=f"{type(error).__name__}: {error}"[:300],
    )
    logger.warning(
        "E-mail %s to event %s failed (attempt %s): %s",
        email.pk,
        email.event_key,
        email.attempts,
        error,
    )


def outbox_flush(*, limit: int = 200) -> int:
    """Takes back rows stuck "sending", then dispatches the due ones. Returns how many."""
    now = timezone.now()
    OutgoingEmail.objects.filter(
        status=EmailStatus.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(status=EmailStatus.PENDING, next_attempt_at=None)
    # Cycle: outbox.tasks imports this module to send the e-mails.
    from outbox.tasks import send_outgoing_email

    due = list(OutgoingEmail.objects.due(now).values_list("pk", flat=True)[:limit])
    for email_id in due:
        dispatch(send_outgoing_email, email_id)
    return len(due)


@dataclass(frozen=True)
class EventEmails:
    """What the pages say of an event's e-mails, never "sent" before it is."""

    total: int
    sent: int
    failed: int
    next_attempt_at: datetime.datetime | None
    last_sent_at: datetime.datetime | None

    @property
    def all_sent(self) -> bool:
        return self.total > 0 and self.sent == self.total

    @property
    def retrying(self) -> bool:
        return self.next_attempt_at is not None

    @property
    def pending(self) -> int:
        return self.total - self.sent - self.failed


def event_emails(event_key: str) -> EventEmails:
    rows = list(
        OutgoingEmail.objects.for_event(event_key).values_list(
            "status", "next_attempt_at", "sent_at"
        )
    )
    retries = [when for status, when, _ in rows if status == EmailStatus.PENDING and when]
    sent = [when for status, _, when in rows if status == EmailStatus.SENT]
    return EventEmails(
        total=len(rows),
        sent=len(sent),
        failed=sum(1 for status, _, _ in rows if status == EmailStatus.FAILED),
        next_attempt_at=min(retries) if retries else None,
        last_sent_at=max(sent) if sent else None,
    )
