"""A PDF asked for while the broker was down is made once it is back.

Reproduced before: validating or sending a bilan with Redis down left its PDF "en
attente" for ever (``iscg.dispatch`` named a sweeper, ``sweep_report_pdfs``, that did not
exist), and the recipients could download nothing.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from reporting import services, tasks
from reporting.models import GenerationState
from reporting.services import pdf_generation
from tests.reporting.test_views import world  # noqa: F401 - fixture


def test_a_pdf_left_by_a_broker_outage_is_handed_over_again(
    world,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    _data, users, sent, draft = world

    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.generate_report_pdf, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_validate(report=draft, acting_user=users["manager"])  # no 500
    draft.refresh_from_db()
    assert draft.generation_state == GenerationState.PENDING

    dispatched = []
    monkeypatch.setattr(
        tasks.generate_report_pdf, "apply_async", lambda args, kwargs: dispatched.append(args[0])
    )
    now = timezone.now()
    assert tasks.sweep_report_pdfs(now=now + datetime.timedelta(minutes=1)) == 0  # its grace
    assert tasks.sweep_report_pdfs(now=now + datetime.timedelta(minutes=3)) == 1
    assert dispatched == [draft.pk]  # the sent bilan's PDF is done: left alone

    # A worker lost while rendering: "en cours" past its grace (above the task's time
    # limit) is redone too.
    grace = pdf_generation.RUNNING_GRACE
    draft.generation_state = GenerationState.RUNNING
    draft.save(update_fields=["generation_state"])
    assert tasks.sweep_report_pdfs(now=now + grace - datetime.timedelta(minutes=1)) == 0
    assert tasks.sweep_report_pdfs(now=now + grace + datetime.timedelta(minutes=1)) == 1
    assert sent.pk not in dispatched


def test_the_sweeper_runs_every_five_minutes():
    schedule = settings.CELERY_BEAT_SCHEDULE["sweep-report-pdfs"]
    assert schedule["task"] == "reporting.tasks.sweep_report_pdfs"
