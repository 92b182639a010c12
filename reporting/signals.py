"""Celery worker start: the bilan PDFs its previous process left "en cours" are handed over.

With late acknowledgement, the message of a task whose worker was killed only comes back
after the broker's visibility timeout; the bilan records which worker renders it, so the
same worker starting again (same host name, as in docker-compose.yml) re-dispatches it at
once. The sweeper (reporting.tasks.sweep_report_pdfs) covers a worker that never returns.
"""

import logging

from celery.signals import worker_ready

from reporting.tasks import recover_orphaned_pdfs

logger = logging.getLogger(__name__)


@worker_ready.connect
def hand_over_orphaned_pdfs(sender=None, **kwargs):
    hostname = getattr(sender, "hostname", "")
    if hostname:
        count = recover_orphaned_pdfs(hostname)
        if count:
            logger.warning("%s PDF(s) left unfinished by %s handed over again", count, hostname)
