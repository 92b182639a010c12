from celery import shared_task
from django.utils import timezone

from conventions import alerts, lifecycle


@shared_task
def check_convention_alerts():
    """Daily: ended conventions are tacitly renewed or expire; new deadline alerts are
    stored and e-mailed once."""
    today = timezone.localdate()
    lifecycle.conventions_renew(today=today)
    lifecycle.conventions_expire(today=today)
    return len(alerts.record_new_alerts(today))


@shared_task
def send_convention_alert(alert_id: int):
    """Writes a stored alert's e-mails to the outbox (which sends and retries them)."""
    return alerts.send_alert(alert_id)
