"""A bilan's PDF survives a killed Celery worker, and one that kills it every time stops.

Reproduced before: a worker killed while rendering left the bilan "en cours" with its page
polling until the broker's visibility timeout (3,600 s, its default) handed the message
over again; and a PDF killing its worker at each delivery would have been redelivered for
ever, with no state saying so and no way to start it again.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from iscg.celery import app
from reporting import signals, tasks
from reporting.models import GenerationState
from reporting.services import pdf_generation
from tests.reporting.test_views import world  # noqa: F401 - fixture


def _delivered_then_killed(report, worker="celery@iscg-worker"):
    """One delivery whose worker died while rendering: claimed, never finished."""
    return pdf_generation.pdf_claim(report.pk, worker)


@pytest.fixture
def rendered(monkeypatch):
    calls = []

    def render(report):
        calls.append(report.pk)
        return b"%PDF-1.4 rendu"

    monkeypatch.setattr("reporting.pdf.render_pdf", render)
    return calls


def test_a_pdf_that_kills_its_worker_every_time_is_stopped_and_can_be_restarted(
    world,  # noqa: F811
    rendered,
    client,
    django_capture_on_commit_callbacks,
):
    _data, users, _sent, draft = world
    for attempt in range(1, pdf_generation.PDF_MAX_ATTEMPTS + 1):
        assert not isinstance(_delivered_then_killed(draft), str)
        draft.refresh_from_db()
        assert (draft.generation_state, draft.generation_attempts) == (
            GenerationState.RUNNING,
            attempt,
        )
    # The next delivery (visibility timeout, sweeper or worker start) stops it.
    assert tasks.generate_report_pdf.apply(args=[draft.pk]).get() == "failed"
    draft.refresh_from_db()
    assert draft.generation_state == GenerationState.FAILED
    assert rendered == []
    assert "interrompue 3 fois" in draft.generation_error
    # Further deliveries leave it failed: no redelivery loop.
    assert tasks.generate_report_pdf.apply(args=[draft.pk]).get() == "failed"
    assert tasks.sweep_report_pdfs() == 0

    client.force_login(users["manager"])
    page = client.get(reverse("reporting:detail", args=[draft.pk])).content.decode()
    assert "La production du PDF a échoué après 3 tentatives" in page
    assert "Relancer la production du PDF" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:retry_pdf", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.generation_state == GenerationState.DONE
    assert draft.generation_attempts == 0
    assert rendered == [draft.pk]


def test_only_the_bilans_authors_may_restart_it(world, client):  # noqa: F811
    _data, users, sent, draft = world
    draft.generation_state = GenerationState.FAILED
    draft.generation_attempts = 3
    draft.save()
    client.force_login(users["prefecture"])
    assert client.post(reverse("reporting:retry_pdf", args=[sent.pk])).status_code == 403
    client.force_login(users["other_manager"])
    assert client.post(reverse("reporting:retry_pdf", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.generation_state == GenerationState.FAILED
    # Nothing to restart on a finished PDF: said, not done.
    client.force_login(users["manager"])
    response = client.post(reverse("reporting:retry_pdf", args=[sent.pk]), follow=True)
    assert "rien à relancer" in response.content.decode()
    sent.refresh_from_db()
    assert sent.generation_state == GenerationState.DONE


def test_a_failing_rendering_is_retried_then_marked_failed(world, monkeypatch):  # noqa: F811
    _data, _users, _sent, draft = world

    def broken(report):
        raise ValueError("mise en page impossible")

    monkeypatch.setattr("reporting.pdf.render_pdf", broken)
    assert tasks.generate_report_pdf.apply(args=[draft.pk]).get() == "failed"
    draft.refresh_from_db()
    assert (draft.generation_state, draft.generation_attempts) == (GenerationState.FAILED, 1)


def test_a_worker_starting_again_hands_over_the_pdfs_it_left_running(
    world,  # noqa: F811
    monkeypatch,
):
    _data, _users, _sent, draft = world
    _delivered_then_killed(draft, worker="celery@iscg-worker")
    dispatched = []
    monkeypatch.setattr(
        tasks.generate_report_pdf, "apply_async", lambda args, kwargs: dispatched.append(args[0])
    )

    class Consumer:
        hostname = "celery@another-worker"

    signals.hand_over_orphaned_pdfs(sender=Consumer())
    assert dispatched == []  # maybe still rendering elsewhere: the sweeper's deadline applies
    Consumer.hostname = "celery@iscg-worker"
    signals.hand_over_orphaned_pdfs(sender=Consumer())
    assert dispatched == [draft.pk]
    draft.refresh_from_db()
    assert draft.generation_state == GenerationState.PENDING
    assert draft.generation_attempts == 1  # the killed delivery still counts


def test_no_running_task_is_delivered_twice():
    """The broker hands a task over again after its visibility timeout: above every limit."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    limits = [settings.CELERY_TASK_TIME_LIMIT] + [
        task.time_limit for task in app.tasks.values() if task.time_limit
    ]
    assert visibility > max(limits)
    assert tasks.generate_report_pdf.time_limit < pdf_generation.RUNNING_GRACE.total_seconds()
