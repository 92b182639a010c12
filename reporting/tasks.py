import datetime
import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def generate_report_pdf(self, report_id: int) -> str:
    """Renders the PDF of a bilan from its frozen figures. Idempotent: the file always
    reflects the stored figures and evaluations; a finished one is not redone."""
    from reporting.models import GenerationState, Report
    from reporting.pdf import render_pdf

    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return "missing"
        if report.generation_state == GenerationState.DONE and report.pdf:
            return "done"
        report.generation_state = GenerationState.RUNNING
        report.save(update_fields=["generation_state"])
    try:
        content = render_pdf(report)
    except Exception as exc:
        logger.exception("PDF generation failed for report %s", report_id)
        Report.objects.filter(pk=report_id).update(
            generation_state=GenerationState.FAILED, generation_error=str(exc)[:300]
        )
        if self.request.is_eager:
            return "failed"
        raise self.retry(exc=exc) from exc
    old = report.pdf.name if report.pdf else None
    report.pdf.save(f"bilan-{report.pk}.pdf", ContentFile(content), save=False)
    report.generation_state = GenerationState.DONE
    report.generation_error = ""
    report.save(update_fields=["pdf", "generation_state", "generation_error"])
    if old and old != report.pdf.name:
        report.pdf.storage.delete(old)
    return "done"


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
RUNNING_GRACE = datetime.timedelta(minutes=15)


@shared_task
def sweep_report_pdfs(now=None) -> int:
    """Every five minutes: dispatches again the PDFs no worker made (see iscg.dispatch)."""
    from django.db.models import Q
    from django.utils import timezone

    from iscg.dispatch import dispatch
    from reporting.models import GenerationState, Report

    now = now or timezone.now()
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
