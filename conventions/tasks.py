from smtplib import SMTPException

from celery import shared_task

from conventions import alerts


@shared_task
def check_convention_alerts():
    """Daily: stores new deadline alerts and dispatches their e-mails (idempotent)."""
    return len(alerts.record_new_alerts())


@shared_task(
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def send_convention_alert(alert_id: int):
    return alerts.send_alert(alert_id)
