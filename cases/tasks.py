"""Celery tasks of the three features (notifications, summaries, imports, retention): they
take ids, call a service, retry, and are idempotent. Their names (``cases.tasks.…``) are
those of the beat schedule (``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task
from django.utils import timezone

from cases.lifecycle.imports import analysis
from cases.lifecycle.services.retention import apply_retention
from cases.models import Notification
from cases.referrals.models.notifications import NotificationEvent
from cases.referrals.selectors import reminder_due
from cases.referrals.services import notifications, weekly_summaries


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
)
def send_notification(self, notification_id: int) -> bool:
    try:
        return notifications.notification_send(notification_id)
    except Exception as error:
        notifications.notification_record_failure(notification_id, error)
        raise


@shared_task
def flush_notifications() -> int:
    """Sends the outbox rows still pending (broker outage, exhausted retries)."""
    sent = 0
    for notification_id in Notification.objects.pending().values_list("pk", flat=True)[:500]:
        try:
            sent += notifications.notification_send(notification_id)
        except Exception as error:  # noqa: BLE001 - one bad row must not block the others
            notifications.notification_record_failure(notification_id, error)
    return sent


@shared_task
def send_referral_reminders() -> int:
    """Queues a reminder for each referral still "reçue" after 2 working days (once each)."""
    count = 0
    for referral in reminder_due(timezone.now()):
        notifications.notification_enqueue(event=NotificationEvent.REMINDER, referral=referral)
        count += 1
    return count


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def apply_retention_task():
    """Nightly: archive, anonymise and purge what has outlived its period (idempotent)."""
    return apply_retention(dry_run=False).as_dict()


@shared_task(acks_late=True)
def analyse_import(batch_id: int):
    """Reads an uploaded activity file and stores its preview (idempotent)."""
    parsed = analysis.import_analyse(batch_id=batch_id)
    return None if parsed is None else parsed.row_count


@shared_task(acks_late=True)
def run_import(batch_id: int):
    """Writes a confirmed activity file, all or nothing (idempotent)."""
    batch = analysis.import_run(batch_id=batch_id)
    return None if batch is None else batch.status


@shared_task(acks_late=True)
def analyse_weekly_summary(upload_id: int):
    """Reads an uploaded weekly activity summary and checks its lines (idempotent)."""
    upload = weekly_summaries.weekly_summary_analyse(upload_id=upload_id)
    return None if upload is None else upload.status


@shared_task
def resume_imports() -> int:
    """Every five minutes: analyses and imports left "en cours" (activity files and
    weekly summaries) are handed over again."""
    return analysis.resume_stuck_imports() + weekly_summaries.resume_stuck_summaries()
