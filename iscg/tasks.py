from celery import shared_task

from iscg.grants import sync_all


@shared_task
def sync_post_grants():
    """Applies the dates of post holdings and stand-ins (idempotent)."""
    diffs = sync_all()
    return sum(len(d.missing) + len(d.extra) for d in diffs)
