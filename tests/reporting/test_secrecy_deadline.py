"""A request protects a bilan for ``deadline.INLINE_SECONDS`` at most, then leaves it to
the task that makes its PDF: past gunicorn's 30 s, the worker was killed, the bilan lost
and the user shown an error page (bench year_late, 2026-12-07: a post's monthly bilan
took 70.6 s to protect in its request). The audits are made slow here by a clock that
each audit moves on, as a long linear program would."""

import importlib
import time
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils.html import escape

from reporting import services
from reporting.secrecy import deadline
from reporting.secrecy.deadline import OutOfTime
from reporting.secrecy.protect import protect
from reporting.services.pdf_generation import pdf_generate
from reporting.services.steps import SECRECY_PENDING
from tests.reporting.test_secrecy_chain import QUARTERS, _make, post_with_three_quarters

__all__ = ["post_with_three_quarters"]  # the fixture, used by name
# The module (the package exports its function under the same name).
protect_module = importlib.import_module("reporting.secrecy.protect")


class _Clock:
    """A monotonic clock that each audit moves on by ``step`` seconds."""

    def __init__(self, monkeypatch, settings, step):
        settings.SECRECY_INLINE_SECONDS = deadline.INLINE_SECONDS  # as in production
        self.now, self.step, self.audits = 1000.0, step, 0
        real = protect_module.audit

        def slow_audit(*args, **kwargs):
            self.now += self.step
            self.audits += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(protect_module, "audit", slow_audit)
        monkeypatch.setattr(deadline, "time", SimpleNamespace(monotonic=self.monotonic))

    def monotonic(self):
        return self.now


def test_a_protection_past_its_deadline_is_left_to_the_pdf_task(
    post_with_three_quarters, monkeypatch, settings, client
):
    """Each audit taking 10 s, the quarter made after another one is no longer
    protected in the request past 15 s: « en cours », no count shown, then protected and
    published by its PDF task (which has no such deadline). Failed before: protected in
    the request whatever its audits took (here 4 audits, 40 s)."""
    post, manager = post_with_three_quarters
    first = _make(post, manager, QUARTERS[1])
    clock = _Clock(monkeypatch, settings, step=10.0)

    second = _make(post, manager, QUARTERS[2])

    assert second.audit_passed is None and second.audit_report["pending"]
    assert second.audit_report["with_reports"] == [first.pk]
    assert clock.audits == 2  # stopped after the audit that went past 15 s
    client.force_login(manager)
    page = client.get(reverse("reporting:detail", args=[second.pk])).content.decode()
    assert escape(SECRECY_PENDING) in page
    assert pdf_generate(report_id=second.pk, worker="test", may_retry=False) == "done"
    second.refresh_from_db()
    assert second.audit_passed is True and "pending" not in second.audit_report
    assert clock.audits > 2 and second.pdf
    services.report_validate(report=second, acting_user=manager)


def test_a_protection_within_its_deadline_stays_in_the_request(
    post_with_three_quarters, monkeypatch, settings
):
    post, manager = post_with_three_quarters
    _make(post, manager, QUARTERS[1])
    clock = _Clock(monkeypatch, settings, step=1.0)

    second = _make(post, manager, QUARTERS[2])

    assert second.audit_passed is True and clock.audits >= 2
    assert "pending" not in second.audit_report


def test_protect_stops_past_its_deadline(post_with_three_quarters):
    post, manager = post_with_three_quarters
    figures = _make(post, manager, QUARTERS[1]).figures

    with pytest.raises(OutOfTime):
        protect(figures, deadline=time.monotonic() - 1)
    hidden, findings = protect(figures, deadline=time.monotonic() + 60)
    assert hidden and findings == []
