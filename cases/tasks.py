from celery import shared_task

from cases.services.retention import apply_retention


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def apply_retention_task():
    """Nightly: archive, anonymise and purge what has outlived its period (idempotent)."""
    return apply_retention(dry_run=False).as_dict()
