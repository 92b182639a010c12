"""A bilan's PDF, from its request to its file: requested at each step of the bilan,
claimed by one delivery of the Celery task, rendered and stored, or failed and retried.

The task (reporting.tasks) only delivers: every state change is here. A delivery claims
the bilan under its row lock and counts the attempt, so that a PDF that kills its worker
every time is stopped after ``PDF_MAX_ATTEMPTS`` rather than redelivered for ever."""

import datetime
import logging
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from iscg.dispatch import dispatch_on_commit
from iscg.models import Department
from reporting import pdf as pdf_document
from reporting.models import GenerationState, Report
from reporting.secrecy.related import held_bilans
from reporting.secrecy.reports import report_protect, secrecy_pending
from reporting.services.authors import is_report_author

logger = logging.getLogger(__name__)

# Started at most this many times (failures, and deliveries that found the previous
# attempt unfinished because its worker died) before the PDF is marked failed.
PDF_MAX_ATTEMPTS = 3
# Rendering takes seconds, and the statistical secrecy of a bilan joined to many others
# up to a few minutes (55 s for an annual bilan after a year of monthly ones on the
# departmental base, 2026-12-05); past these limits the worker is stuck.
PDF_SOFT_TIME_LIMIT = 600
PDF_TIME_LIMIT = 660
# A PDF asked for and not started after this long lost its message (broker down when it
# was dispatched); one "en cours" this long lost its worker. Both are handed over again.
PENDING_GRACE = datetime.timedelta(minutes=2)
RUNNING_GRACE = datetime.timedelta(minutes=12)  # above PDF_TIME_LIMIT

PDF_REQUEST_FIELDS = [
    "generation_state",
    "generation_error",
    "generation_requested_at",
    "generation_attempts",
    "generation_worker",
]


class Outcome(StrEnum):
    DONE = "done"
    FAILED = "failed"
    MISSING = "missing"
    RETRY = "retry"  # failed, with attempts left: the task delivers it again later


def pdf_request(report: Report) -> None:
    """A new PDF is asked for (unsaved): its attempts are counted from zero."""
    report.generation_state = GenerationState.PENDING
    report.generation_error = ""
    report.generation_requested_at = timezone.now()
    report.generation_attempts = 0
    report.generation_worker = ""


def pdf_dispatch(report: Report) -> None:
    """The task is queued once the transaction that asked for the PDF commits."""
    # Cycle: reporting.tasks imports this module to deliver the PDF.
    from reporting.tasks import generate_report_pdf

    dispatch_on_commit(generate_report_pdf, report.pk)


def pdf_restamp(report: Report) -> None:
    """The PDF states the bilan's status, who validated it and when it was sent: each step
    makes it again, so that a recipient never downloads a document stamped "Brouillon"."""
    pdf_request(report)
    report.save(update_fields=PDF_REQUEST_FIELDS)
    pdf_dispatch(report)


@transaction.atomic
def report_pdf_retry(*, report: Report, acting_user) -> Report:
    """ "Relancer": a PDF stopped after its attempts (or failing) is started again."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not is_report_author(acting_user, report):
        raise PermissionDenied("Vous ne pouvez pas relancer la production de ce PDF.")
    if report.generation_state != GenerationState.FAILED:
        raise ValidationError("La production de ce PDF n'a pas échoué : rien à relancer.")
    pdf_restamp(report)
    return report


def pdf_claim(report_id: int, worker: str) -> Report | Outcome:
    """Claims the bilan for this delivery; or says why there is nothing to render."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return Outcome.MISSING
        if report.generation_state == GenerationState.DONE and report.pdf:
            return Outcome.DONE
        if report.generation_state == GenerationState.FAILED and report.generation_attempts:
            return Outcome.FAILED  # stopped by the cap: only "relancer" starts it again
        if report.generation_attempts >= PDF_MAX_ATTEMPTS:
            report.generation_state = GenerationState.FAILED
            report.generation_error = (
                f"La production a été interrompue {report.generation_attempts} fois."
            )
            report.generation_worker = ""
            report.save(update_fields=["generation_state", "generation_error", "generation_worker"])
            logger.error("PDF of report %s stopped after %s attempts", report_id, PDF_MAX_ATTEMPTS)
            return Outcome.FAILED
        report.generation_state = GenerationState.RUNNING
        report.generation_attempts += 1
        report.generation_worker = worker
        report.save(update_fields=["generation_state", "generation_attempts", "generation_worker"])
    return report


def pdf_generate(*, report_id: int, worker: str, may_retry: bool) -> Outcome:
    """One delivery: renders the PDF from the frozen figures and stores it. Idempotent: the
    file always reflects the stored figures and evaluations; a finished one is not redone.

    A failure with attempts left and ``may_retry`` goes back to "en attente" and answers
    ``RETRY``; otherwise the bilan stays failed, with the error for its authors."""
    report = pdf_claim(report_id, worker)
    if isinstance(report, Outcome):
        return report
    try:
        report = _secrecy_completed(report)
        content = pdf_document.render_pdf(report)
    except Exception as exc:
        logger.exception("PDF generation failed for report %s", report_id)
        Report.objects.filter(pk=report_id).update(
            generation_state=GenerationState.FAILED,
            generation_error=str(exc)[:300],
            generation_worker="",
        )
        if not may_retry or report.generation_attempts >= PDF_MAX_ATTEMPTS:
            return Outcome.FAILED
        # Retried: back to "en attente", so that the next delivery is not refused.
        Report.objects.filter(pk=report_id).update(generation_state=GenerationState.PENDING)
        return Outcome.RETRY
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
    return Outcome.DONE


SECRECY_ATTEMPTS = 3


def _audited_ids(report: Report) -> set:
    return set(held_bilans(report).values_list("pk", flat=True))


def _secrecy_completed(report: Report) -> Report:
    """The bilan with its statistical secrecy decided, if it was left pending by the
    request that made it (reporting.secrecy.reports.INLINE_JOINED).

    Decided without the département's lock (a minute or more: bilans made meanwhile in
    requests would wait for it past their time limit), then saved under it if no bilan of
    the département was audited meanwhile; else decided again, at last under the lock."""
    fields = ["masked_cells", "audit_passed", "audit_report"]
    for attempt in range(SECRECY_ATTEMPTS):
        if attempt == SECRECY_ATTEMPTS - 1:
            with transaction.atomic():
                Department.objects.select_for_update().filter(pk=report.department_id).first()
                decided = Report.objects.select_for_update().get(pk=report.pk)
                if secrecy_pending(decided):
                    report_protect(decided, in_request=False, lock=False)
                    decided.save(update_fields=fields)
            break
        # Read without a lock: « Recalculer » or a step taken meanwhile on this bilan
        # would otherwise wait for the programs past its request's time limit.
        decided = Report.objects.get(pk=report.pk)
        if not secrecy_pending(decided):
            break
        before = _audited_ids(decided)
        report_protect(decided, in_request=False, lock=False)
        with transaction.atomic():
            Department.objects.select_for_update().filter(pk=report.department_id).first()
            locked = Report.objects.select_for_update().get(pk=report.pk)
            if not secrecy_pending(locked):
                break
            if _audited_ids(locked) == before:
                for field in fields:
                    setattr(locked, field, getattr(decided, field))
                locked.save(update_fields=fields)
                break
    report.refresh_from_db()
    return report


def pdf_orphans_release(worker: str) -> list[int]:
    """A worker starting again: the PDFs it left "en cours" died with its previous process
    and go back to "en attente" now, not after the broker's visibility timeout."""
    orphans = list(
        Report.objects.filter(
            generation_state=GenerationState.RUNNING, generation_worker=worker
        ).values_list("pk", flat=True)[:100]
    )
    Report.objects.filter(pk__in=orphans).update(
        generation_state=GenerationState.PENDING, generation_worker=""
    )
    return orphans


def pdfs_undelivered(*, now=None, alone=False) -> list[int]:
    """The PDFs no worker made: asked for and never started, or started by a worker that
    is gone. ``alone``: no other worker can be rendering one (a process without broker
    starting), so every PDF not made is handed over at once, without grace."""
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
    return list(waiting[:100])
