"""Imports read by a Celery worker: upload, analysis, confirmation, and their sweeper.

A file may hold 50,000 lines; reading and checking it takes minutes and up to about
200 MB (bench_import). The web request only stores the file and answers at once; the
worker analyses it, the page polls until the preview is ready. Confirmation reads the
file again in the worker (reference lists may have changed since the preview).
"""

import datetime
import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cases.lifecycle.imports.plans import ParsedImport
from cases.lifecycle.imports.services import (
    MAX_UPLOAD_BYTES,
    _check_batch,
    _check_post,
    batch_parsed,
    check_not_imported,
    commit_parsed,
)
from cases.models import ImportBatch, ImportStatus
from iscg import dispatch as dispatching
from iscg.dispatch import dispatch_on_commit

logger = logging.getLogger(__name__)

ERRORS_KEPT = 500
# A batch still "en cours" this long after its last change is handed over again; after
# MAX_ATTEMPTS hand-overs it is marked failed (a file that kills its worker every time).
STUCK_AFTER = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 3
FAILURE_MESSAGE = (
    "L'analyse du fichier n'a pas abouti : déposez-le à nouveau, ou découpez-le en "
    "plusieurs fichiers."
)


def preview_report(parsed: ParsedImport) -> dict:
    """What the preview page shows. Only the uploader reads the cells as typed (in the
    messages and the first lines); the post's other workers read the line, the column
    and the rule broken."""
    errors = parsed.errors[:ERRORS_KEPT]
    return {
        "errors": [(error.line, error.text(with_value=False)) for error in errors],
        "errors_with_values": [(error.line, error.text(with_value=True)) for error in errors],
        "error_count": len(parsed.errors),
        "warnings": list(parsed.warnings),
        "sample": [
            {**row, "date": row["date"].strftime("%d/%m/%Y") if row.get("date") else ""}
            for row in parsed.sample
        ],
        "valid": parsed.is_valid,
    }


def report_for(batch: ImportBatch, user) -> dict:
    """The stored report as this user may read it."""
    report = dict(batch.report or {})
    if batch.created_by_id == user.pk:
        report["errors"] = report.pop("errors_with_values", report.get("errors", []))
    else:
        report.pop("errors_with_values", None)
        report["sample"] = []
    return report


def _tasks():
    from cases import tasks  # cycle: cases.tasks imports this module

    return tasks


@transaction.atomic
def import_upload(*, post, uploaded_file, acting_user, dispatch: bool = True) -> ImportBatch:
    """Stores the file privately and hands its analysis to a worker (unless the caller
    analyses it itself). Writes no case data."""
    _check_post(post, acting_user)
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError("Le fichier dépasse 20 Mo : découpez-le en plusieurs fichiers.")
    content = uploaded_file.read()
    digest = hashlib.sha256(content).hexdigest()
    check_not_imported(post, digest)
    batch = ImportBatch(
        post=post,
        status=ImportStatus.ANALYSING,
        original_name=uploaded_file.name[:255],
        created_by=acting_user,
        content_sha256=digest,
    )
    batch.file.save(uploaded_file.name, ContentFile(content), save=False)
    batch.save()
    if dispatch:
        dispatch_on_commit(_tasks().analyse_import, batch.pk)
    return batch


@transaction.atomic
def import_analyse(*, batch_id: int) -> ParsedImport | None:
    """Reads the batch's file and stores its preview (the worker's side). Idempotent:
    a batch no longer being analysed is left alone."""
    batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None or batch.status != ImportStatus.ANALYSING:
        return None
    parsed = batch_parsed(batch)
    batch.template = parsed.template or ""
    batch.row_count = parsed.row_count
    batch.counts = parsed.counts
    batch.report = preview_report(parsed)
    batch.status = ImportStatus.PREVIEW
    batch.save()
    return parsed


@transaction.atomic
def import_confirm(*, batch: ImportBatch, acting_user) -> ImportBatch:
    """Confirms a valid preview: the worker writes it, all or nothing."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _check_batch(batch, acting_user)
    if batch.status != ImportStatus.PREVIEW:
        raise ValidationError("Cet import a déjà été confirmé ou annulé.")
    if not (batch.report or {}).get("valid"):
        raise ValidationError(
            "Le fichier contient des erreurs : corrigez-les et déposez-le à nouveau."
        )
    # Two previews of one file, both confirmed: the second is refused here.
    if batch.content_sha256:
        check_not_imported(batch.post, batch.content_sha256, besides=batch)
    batch.status = ImportStatus.IMPORTING
    batch.confirmed_by = acting_user
    batch.attempts = 0
    batch.save()
    dispatch_on_commit(_tasks().run_import, batch.pk)
    return batch


@transaction.atomic
def import_run(*, batch_id: int) -> ImportBatch | None:
    """Writes a confirmed batch (the worker's side). Idempotent. If the file no longer
    passes (a reference list changed since the preview), the batch returns to its
    preview with the new errors, and nothing is written."""
    batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None or batch.status != ImportStatus.IMPORTING:
        return None
    parsed = batch_parsed(batch)
    if not parsed.is_valid:
        batch.status = ImportStatus.PREVIEW
        batch.counts = parsed.counts
        batch.report = preview_report(parsed)
        batch.save()
        return batch
    batch.report = {}  # the names it quoted are no longer needed
    return commit_parsed(batch, parsed, acting_user=batch.confirmed_by)


def resume_stuck_imports(*, now=None) -> int:
    """Hands analyses and imports left "en cours" (broker down, worker killed) to a worker
    again; marks failed those already handed over MAX_ATTEMPTS times."""
    now = now or timezone.now()
    stuck = ImportBatch.objects.filter(
        status__in=[ImportStatus.ANALYSING, ImportStatus.IMPORTING],
        updated_at__lt=now - STUCK_AFTER,
    )
    resumed = 0
    for batch_id in stuck.values_list("pk", flat=True):
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if batch.attempts >= MAX_ATTEMPTS:
                if batch.status == ImportStatus.ANALYSING:
                    batch.status = ImportStatus.FAILED
                    batch.report = {"failure": FAILURE_MESSAGE}
                    if batch.file:
                        batch.file.delete(save=False)
                else:  # the preview stays: the worker may confirm it again later
                    batch.status = ImportStatus.PREVIEW
                    batch.report = {**batch.report, "failure": FAILURE_MESSAGE}
                batch.save()
                logger.error("Import %s given up after %s attempts", batch.pk, batch.attempts)
                continue
            batch.attempts += 1
            batch.save(update_fields=["attempts", "updated_at"])
            task = _tasks().analyse_import
            if batch.status == ImportStatus.IMPORTING:
                task = _tasks().run_import
        resumed += dispatching.dispatch(task, batch_id)
    return resumed
