"""The activity file is read by a worker, never in the web request: the upload answers at
once, the page polls, and what a broker outage or a killed worker leaves "en cours" is
handed over again, then given up with a French message.

Reproduced before: an XLSX declaring 8,000 rows was read in the request (1,028 MB, 11 s).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from cases import tasks
from cases.lifecycle.imports import analysis
from cases.models import Beneficiary, ImportBatch, ImportStatus
from tests.cases.lifecycle.test_import_access import _world
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes, upload

LATER = datetime.timedelta(minutes=11)


def _upload(worker, post, rows=None):
    return analysis.import_upload(
        post=post,
        uploaded_file=upload("a.csv", csv_bytes(ACTION_HEADER, rows or [action_row()])),
        acting_user=worker,
    )


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused")

    for task in (tasks.analyse_import, tasks.run_import):
        monkeypatch.setattr(task, "apply_async", refuse)


def test_the_upload_reads_nothing_in_the_request(client, monkeypatch):
    worker, _, _, post = _world()

    def no_parsing(*args, **kwargs):
        raise AssertionError("the file was read in the web request")

    monkeypatch.setattr(analysis, "batch_parsed", no_parsing)
    client.force_login(worker)
    response = client.post(
        reverse("lifecycle:import_start"),
        {"post": post.pk, "file": upload("a.csv", csv_bytes(ACTION_HEADER, [action_row()]))},
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.ANALYSING and batch.row_count == 0
    assert batch.file


def test_the_upload_succeeds_with_the_broker_down_and_the_sweeper_resumes_it(
    broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    worker, _, _, post = _world()
    with django_capture_on_commit_callbacks(execute=True):
        batch = _upload(worker, post)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.ANALYSING
    # Not yet stuck: left alone.
    assert analysis.resume_stuck_imports() == 0
    # The broker is back; ten minutes later the sweeper hands it over.
    monkeypatch.undo()
    assert analysis.resume_stuck_imports(now=timezone.now() + LATER) == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW and batch.attempts == 1
    assert batch.report["valid"] and batch.row_count == 1


def test_an_analysis_that_never_ends_is_given_up_in_french(broker_down):
    worker, _, _, post = _world()
    batch = _upload(worker, post)
    for attempt in range(analysis.MAX_ATTEMPTS):
        assert analysis.resume_stuck_imports(now=timezone.now() + LATER * (attempt + 1)) == 0
    analysis.resume_stuck_imports(now=timezone.now() + LATER * 10)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and not batch.file
    assert batch.report == {"failure": analysis.FAILURE_MESSAGE}


def test_the_failure_is_shown_on_the_page(client, broker_down):
    worker, _, _, post = _world()
    batch = _upload(worker, post)
    batch.status, batch.report = ImportStatus.FAILED, {"failure": analysis.FAILURE_MESSAGE}
    batch.save()
    client.force_login(worker)
    page = client.get(reverse("lifecycle:import_preview", args=[batch.pk])).content.decode()
    assert "L&#x27;analyse du fichier n&#x27;a pas abouti" in page
    assert "every 2s" not in page and "Confirmer l&#x27;import" not in page


def test_a_confirmed_import_left_by_a_killed_worker_is_written_once(broker_down):
    worker, _, _, post = _world()
    batch = _upload(worker, post)
    analysis.import_analyse(batch_id=batch.pk)
    batch.refresh_from_db()
    analysis.import_confirm(batch=batch, acting_user=worker)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTING and not Beneficiary.objects.exists()
    # The task runs twice (redelivered after the worker died): written once.
    analysis.import_run(batch_id=batch.pk)
    analysis.import_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.report == {}
    assert Beneficiary.objects.filter(import_batch=batch).count() == 1
    assert not batch.file
    # A finished batch is no longer swept.
    assert analysis.resume_stuck_imports(now=timezone.now() + LATER) == 0


def test_an_invalid_preview_cannot_be_confirmed():
    worker, _, _, post = _world()
    batch = _upload(worker, post, [action_row(**{"Sexe": "Z"})])
    analysis.import_analyse(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.report["error_count"] == 1
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="contient des erreurs"):
        analysis.import_confirm(batch=batch, acting_user=worker)


def test_resuming_imports_is_a_periodic_task(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "cases.tasks.resume_imports" in schedule
