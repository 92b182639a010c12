"""Celery tasks of the bilans: thin deliveries of their services."""

import datetime

from celery import shared_task

from iscg.dispatch import dispatch
from reporting.live import live_figures
from reporting.periods import Period
from reporting.scope import Scope
from reporting.services.pdf_generation import (
    PDF_MAX_ATTEMPTS,
    PDF_SOFT_TIME_LIMIT,
    PDF_TIME_LIMIT,
    Outcome,
    pdf_generate,
    pdf_orphans_release,
    pdfs_undelivered,
)


@shared_task(
    bind=True,
    max_retries=PDF_MAX_ATTEMPTS - 1,
    default_retry_delay=30,
    soft_time_limit=PDF_SOFT_TIME_LIMIT,
    time_limit=PDF_TIME_LIMIT,
)
def generate_report_pdf(self, report_id: int) -> str:
    """Delivers one attempt at a bilan's PDF (reporting.services.pdf_generation)."""
    outcome = pdf_generate(
        report_id=report_id, worker=self.request.hostname or "", may_retry=not self.request.is_eager
    )
    if outcome == Outcome.RETRY:
        raise self.retry()
    return str(outcome)


def recover_orphaned_pdfs(worker: str) -> int:
    """A worker starting again hands over the PDFs its previous process left "en cours"."""
    return sum(dispatch(generate_report_pdf, pk) for pk in pdf_orphans_release(worker))


@shared_task
def refresh_live_figures(
    *, kind, department_id, employer_id, post_id, unit_id, start, end, masked=False
) -> str:
    """Recomputes the live dashboard's exact figures of one view (reporting.live).
    Idempotent: it computes the figures of now and replaces the kept ones."""
    if masked:
        # Perturbed figures are those of closed quarters, frozen (reporting.frozen): none
        # to recompute, and none to give for another period. Only a message queued by an
        # earlier version of reporting.live asks for them: dropped, not retried.
        return "nothing to refresh"
    scope = Scope(kind, department_id, employer_id, post_id, unit_id)
    period = Period(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
    live_figures(scope=scope, period=period, masked=False, refresh=True)
    return "done"


@shared_task
def sweep_report_pdfs(now=None, alone=False) -> int:
    """Every five minutes: dispatches again the PDFs no worker made (see iscg.dispatch)."""
    return sum(
        dispatch(generate_report_pdf, report_id)
        for report_id in pdfs_undelivered(now=now, alone=alone)
    )
