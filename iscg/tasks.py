from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from celery import shared_task
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from iscg.grants import sync_all
from iscg.models import Submission


@shared_task
def sync_post_grants():
    """Applies the dates of post holdings and stand-ins (idempotent)."""
    diffs = sync_all()
    return sum(len(d.missing) + len(d.extra) for d in diffs)


@shared_task
def clear_expired_sessions():
    """Nightly: deletes expired sessions (a session may hold an import preview's messages,
    with names in them). Idempotent."""
    call_command("clearsessions")


@shared_task
def purge_login_logs() -> int:
    """Nightly: deletes django-axes login and failure logs (user names, addresses) older than
    ``RETENTION_ACCESS_LOG_DAYS``, the period of the access log. Idempotent."""
    age = settings.RETENTION_ACCESS_LOG_DAYS
    return AxesProxyHandler.reset_logs(age_days=age) + AxesProxyHandler.reset_failure_logs(
        age_days=age
    )


@shared_task
def purge_submissions() -> int:
    """Nightly: forgets form tokens older than a day (a form is not resent days later)."""
    cutoff = timezone.now() - timedelta(days=1)
    return Submission.objects.filter(created_at__lt=cutoff).delete()[0]
