"""Without a broker, the page that asks for a bilan does not wait for its PDF.

Reproduced before: on the embedded default (no REDIS_URL, Celery eager) the creation of
the demo's annual bilan answered after 1.7 s, 1.6 s of it rendering the PDF inside the
request, and then said "son PDF est en préparation" of a PDF already made. A process
serving pages now hands the task to its own thread (iscg.background): here the rendering
is held until the page has answered, which a PDF made in the request could never be.
"""

import threading

import pytest
from django.urls import reverse

from iscg import background
from reporting.models import GenerationState, Report
from tests.reporting.test_views import world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def task_thread():
    background.serve_tasks_in_thread()
    yield
    background.stop_serving()


@pytest.fixture
def held_rendering(monkeypatch):
    """A rendering that waits for the test to let it finish (at most 10 s)."""
    release, started, threads = threading.Event(), threading.Event(), []

    def render(report):
        threads.append(threading.current_thread().name)
        started.set()
        release.wait(timeout=10)
        return b"%PDF-1.4 rendu"

    monkeypatch.setattr("reporting.pdf.render_pdf", render)
    return release, started, threads


def test_the_creation_answers_before_the_pdf_then_the_page_says_it_is_ready(
    client,
    world,  # noqa: F811
    task_thread,
    held_rendering,
):
    data, users, _sent, _draft = world
    release, started, threads = held_rendering
    client.force_login(users["manager"])
    response = client.post(
        reverse("reporting:create"),
        {"kind": "annual", "scope": f"employer:{data['employer'].pk}", "preset": "year"},
    )
    assert response.status_code == 302
    # (The in-memory test database locks a table while a thread writes to it: it is read
    # once the thread is rendering, between its two writes.)
    assert started.wait(timeout=10)
    report = Report.objects.latest("pk")
    assert report.generation_state == GenerationState.RUNNING
    page = client.get(response["Location"]).content.decode()
    assert "PDF en préparation" in page and 'hx-trigger="every 2s"' in page
    assert "Chiffres clés" in page  # the figures, frozen in the request, show at once

    release.set()
    background.stop_serving()  # waits for the thread
    assert threads == ["iscg-tasks_0"]
    report.refresh_from_db()
    assert report.generation_state == GenerationState.DONE
    status = client.get(reverse("reporting:status", args=[report.pk])).content.decode()
    assert "Le PDF est prêt" in status and "hx-trigger" not in status


def test_a_failing_task_in_the_thread_is_recorded_and_the_thread_goes_on(
    world,  # noqa: F811
    task_thread,
    monkeypatch,
):
    from reporting import services

    _data, users, _sent, draft = world

    def broken(report):
        raise RuntimeError("Pango absent")

    monkeypatch.setattr("reporting.pdf.render_pdf", broken)
    services.report_update_evaluation(
        report=draft, text="Un texte.", part="employer", acting_user=users["manager"]
    )
    # (The in-memory test database locks a table a thread writes: no write meanwhile.)
    background.drain()
    draft.refresh_from_db()
    assert draft.generation_state == GenerationState.FAILED
    assert "Pango absent" in draft.generation_error
    monkeypatch.setattr("reporting.pdf.render_pdf", lambda report: b"%PDF-1.4 rendu")
    services.report_update_evaluation(
        report=draft,
        text="Un autre texte.",
        part="employer",
        acting_user=users["manager"],
    )
    background.stop_serving()
    draft.refresh_from_db()
    assert draft.generation_state == GenerationState.DONE
    assert draft.employer_evaluation == "Un autre texte."


def test_management_commands_and_tests_run_tasks_in_place():
    assert not background.in_thread()
    with pytest.raises(RuntimeError):
        background.submit(None, (), {})


def test_a_pdf_left_unfinished_by_the_previous_process_is_made_when_the_next_starts(
    world,  # noqa: F811
    task_thread,
    monkeypatch,
):
    """Reproduced before: without beat, a PDF left "en cours" or "en attente" by a stopped
    process (a restart, runserver reloading) stayed so, its page polling for ever."""
    from reporting.models import Report
    from reporting.services import pdf_generation

    _data, _users, sent, draft = world
    monkeypatch.setattr("reporting.pdf.render_pdf", lambda report: b"%PDF-1.4 rendu")
    pdf_generation.pdf_claim(draft.pk, "machine")  # claimed, then the process stopped
    Report.objects.filter(pk=sent.pk).update(generation_state=GenerationState.PENDING)
    for future in background.resume_left_work():
        future.result(timeout=30)
    background.drain()
    states = dict(
        Report.objects.filter(pk__in=[sent.pk, draft.pk]).values_list("pk", "generation_state")
    )
    assert states == {sent.pk: GenerationState.DONE, draft.pk: GenerationState.DONE}
