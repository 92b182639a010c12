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
