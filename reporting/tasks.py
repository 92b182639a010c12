import datetime
import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction

logger = logging.getLogger(__name__)


# A bilan's PDF is started at most this many times (failures, and deliveries that found the
# previous attempt unfinished because its worker died) before it is marked failed.
PDF_MAX_ATTEMPTS = 3
# Rendering takes seconds (bench/README.md); past these limits the worker is stuck.
PDF_SOFT_TIME_LIMIT = 120
PDF_TIME_LIMIT = 150


def _start(report_id: int, worker: str):
    """Claims the bilan for this delivery; or says why there is nothing to render
    ("missing", "done", "failed")."""
    from reporting.models import GenerationState, Report

    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return "missing"
        if report.generation_state == GenerationState.DONE and report.pdf:
            return "done"
        if report.generation_state == GenerationState.FAILED and report.generation_attempts:
            return "failed"  # stopped by the cap: only "relancer" starts it again
        if report.generation_attempts >= PDF_MAX_ATTEMPTS:
            report.generation_state = GenerationState.FAILED
            report.generation_error = (
                f"La production a été interrompue {report.generation_attempts} fois."
            )
            report.generation_worker = ""
            report.save(update_fields=["generation_state", "generation_error", "generation_worker"])
            logger.error("PDF of report %s stopped after %s attempts", report_id, PDF_MAX_ATTEMPTS)
            return "failed"
        report.generation_state = GenerationState.RUNNING
        report.generation_attempts += 1
        report.generation_worker = worker
        report.save(update_fields=["generation_state", "generation_attempts", "generation_worker"])
    return report


@shared_task(
    bind=True,
    max_retries=PDF_MAX_ATTEMPTS - 1,
    default_retry_delay=30,
    soft_time_limit=PDF_SOFT_TIME_LIMIT,
    time_limit=PDF_TIME_LIMIT,
)
def generate_report_pdf(self, report_id: int) -> str:
    """Renders the PDF of a bilan from its frozen figures. Idempotent: the file always
    reflects the stored figures and evaluations; a finished one is not redone."""
    from reporting.models import GenerationState, Report
    from reporting.pdf import render_pdf

    report = _start(report_id, self.request.hostname or "")
    if isinstance(report, str):
        return report
    try:
        content = render_pdf(report)
    except Exception as exc:
        logger.exception("PDF generation failed for report %s", report_id)
        Report.objects.filter(pk=report_id).update(
            generation_state=GenerationState.FAILED,
            generation_error=str(exc)[:300],
            generation_worker="",
        )
        if self.request.is_eager or report.generation_attempts >= PDF_MAX_ATTEMPTS:
            return "failed"
        # Retried: the state goes back to "en attente" so that the retry is not refused.
        Report.objects.filter(pk=report_id).update(generation_state=GenerationState.PENDING)
        raise self.retry(exc=exc) from exc
    old = report.pdf.name if report.pdf else None
    report.pdf.save(f"bilan-{report.pk}.pdf", ContentFile(content), save=False)
    report.generation_state = GenerationState.DONE
    report.generation_error = ""
    report.generation_attempts = 0
    report.generation_worker = ""
    report.save(
        update_fields=[
            "pdf",
            "generation_state",
            "generation_error",
            "generation_attempts",
            "generation_worker",
        ]
    )
    if old and old != report.pdf.name:
        report.pdf.storage.delete(old)
    return "done"


def recover_orphaned_pdfs(worker: str) -> int:
    """A worker starting again: the PDFs it left "en cours" died with its previous process
    and are handed over now, not after the broker's visibility timeout."""
    from iscg.dispatch import dispatch
    from reporting.models import GenerationState, Report

    orphans = list(
        Report.objects.filter(
            generation_state=GenerationState.RUNNING, generation_worker=worker
        ).values_list("pk", flat=True)[:100]
    )
    Report.objects.filter(pk__in=orphans).update(
        generation_state=GenerationState.PENDING, generation_worker=""
    )
    return sum(dispatch(generate_report_pdf, pk) for pk in orphans)


@shared_task
def refresh_live_figures(
    *, kind, department_id, employer_id, post_id, unit_id, start, end, masked
) -> str:
    """Recomputes the live dashboard's figures of one view (reporting.live). Idempotent:
    it computes the figures of now and replaces the kept ones."""
    import datetime

    from reporting.live import live_figures
    from reporting.periods import Period
    from reporting.scope import Scope

    scope = Scope(kind, department_id, employer_id, post_id, unit_id)
    period = Period(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
    live_figures(scope=scope, period=period, masked=masked, refresh=True)
    return "done"


# A PDF asked for and not started after this long lost its message (broker down when it
# was dispatched); one "en cours" this long lost its worker. Both are handed over again.
PENDING_GRACE = datetime.timedelta(minutes=2)
RUNNING_GRACE = datetime.timedelta(minutes=5)  # above PDF_TIME_LIMIT


@shared_task
def sweep_report_pdfs(now=None, alone=False) -> int:
    """Every five minutes: dispatches again the PDFs no worker made (see iscg.dispatch).

    ``alone``: no other worker can be rendering one (a process without broker starting,
    iscg.background), so every PDF not made is handed over at once, without grace."""
    from django.db.models import Q
    from django.utils import timezone

    from iscg.dispatch import dispatch
    from reporting.models import GenerationState, Report

    now = now or timezone.now()
    if alone:
        now += RUNNING_GRACE
    waiting = Report.objects.filter(
        Q(
            generation_state=GenerationState.PENDING,
            generation_requested_at__lt=now - PENDING_GRACE,
        )
        | Q(generation_state=GenerationState.PENDING, generation_requested_at__isnull=True)
        | Q(
            generation_state=GenerationState.RUNNING,
            generation_requested_at__lt=now - RUNNING_GRACE,
        )
    ).values_list("pk", flat=True)
    count = 0
    for report_id in waiting[:100]:
        count += dispatch(generate_report_pdf, report_id)
    return count
