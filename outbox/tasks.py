"""Thin tasks over the outbox: sending one row, and the periodic flush."""

from celery import shared_task

from outbox import services


@shared_task
def send_outgoing_email(email_id: int) -> bool:
    """Retries are the outbox's (next_attempt_at, outbox_flush), not Celery's."""
    return services.outbox_send(email_id)


@shared_task
def flush_outbox() -> int:
    return services.outbox_flush()
