"""Tacit renewal: a convention in force past its end, not denounced, runs for another term."""

import datetime
import html
import re

import time_machine
from django.urls import reverse

from conventions import lifecycle, services, tasks
from conventions.enums import AlertKind, ConventionStatus
from conventions.models import Convention, SentAlert, term_months
from tests.conventions.factories import make_convention
from tests.iscg.factories import UserFactory

D = datetime.date


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_term_months_counts_the_initial_term():
    assert term_months(D(2024, 1, 1), D(2026, 12, 31)) == 36
    assert term_months(D(2025, 1, 1), D(2025, 12, 31)) == 12
    assert term_months(D(2024, 3, 15), D(2025, 3, 14)) == 12
    assert term_months(D(2024, 1, 10), D(2024, 12, 31)) == 12
    assert term_months(D(2024, 1, 1), D(2024, 1, 1)) == 1


def test_a_tacitly_renewed_convention_runs_for_another_term():
    convention = make_convention(
        start=D(2024, 1, 1), end=D(2026, 12, 31), tacit_renewal=True, notice_months=3
    )
    assert convention.notice_deadline == D(2026, 9, 30)

    assert lifecycle.conventions_renew(today=D(2027, 1, 5)) == 1
    convention.refresh_from_db()
    assert convention.end == D(2029, 12, 31)  # same three-year term
    assert convention.notice_deadline == D(2029, 9, 30)
    assert convention.initial_end == D(2026, 12, 31)
    assert convention.start == D(2024, 1, 1)
    assert convention.status == ConventionStatus.ACTIVE
    assert convention.tacitly_renewed
    record = convention.history.first()
    assert record.end == D(2029, 12, 31)
    assert record.history_change_reason == "Reconduction tacite jusqu'au 31/12/2029"


def test_an_annual_convention_renews_by_one_year_and_its_alerts_fire_again(
    django_capture_on_commit_callbacks,
):
    convention = make_convention(
        start=D(2025, 1, 1), end=D(2025, 12, 31), tacit_renewal=True, notice_months=3
    )
    moment = datetime.datetime(2026, 8, 1, 8, 0, tzinfo=datetime.UTC)
    with (
        time_machine.travel(moment, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.check_convention_alerts.delay().get()
    convention.refresh_from_db()
    assert convention.end == D(2026, 12, 31)
    assert convention.notice_deadline == D(2026, 9, 30)
    sent = set(SentAlert.objects.filter(convention=convention).values_list("kind", "deadline"))
    assert (AlertKind.NOTICE, D(2026, 9, 30)) in sent
    assert (AlertKind.EXPIRY, D(2026, 12, 31)) in sent


def test_a_convention_years_late_catches_up_one_term_at_a_time():
    convention = make_convention(
        start=D(2018, 1, 1), end=D(2020, 12, 31), tacit_renewal=True, notice_months=6
    )
    assert lifecycle.conventions_renew(today=D(2027, 1, 5)) == 1
    convention.refresh_from_db()
    assert convention.end == D(2029, 12, 31)  # 2023, 2026, then 2029
    assert convention.notice_deadline == D(2029, 6, 30)
    assert convention.initial_end == D(2020, 12, 31)
    reasons = [
        r.history_change_reason
        for r in convention.history.order_by("history_date", "history_id")
        if r.history_change_reason
    ]
    assert reasons == [
        "Reconduction tacite jusqu'au 31/12/2023",
        "Reconduction tacite jusqu'au 31/12/2026",
        "Reconduction tacite jusqu'au 31/12/2029",
    ]


def test_later_renewals_keep_the_initial_term():
    convention = make_convention(
        start=D(2025, 1, 1), end=D(2025, 12, 31), tacit_renewal=True, kind="annual"
    )
    lifecycle.conventions_renew(today=D(2026, 1, 2))
    lifecycle.conventions_renew(today=D(2027, 1, 2))
    convention.refresh_from_db()
    assert convention.end == D(2027, 12, 31)  # one year each time, not start→end again


def test_renewing_twice_the_same_day_renews_once():
    convention = make_convention(end=D(2026, 12, 31), tacit_renewal=True)
    today = D(2027, 1, 5)
    assert lifecycle.conventions_renew(today=today) == 1
    assert lifecycle.conventions_renew(today=today) == 0
    convention.refresh_from_db()
    assert convention.end == D(2029, 12, 31)
    assert convention.history.filter(history_change_reason__startswith="Reconduction").count() == 1


def test_only_conventions_in_force_past_their_end_with_tacit_renewal_are_renewed():
    today = D(2027, 1, 5)
    kept = {
        "running": make_convention(end=D(2027, 12, 31), tacit_renewal=True),
        "ends_today": make_convention(end=today, tacit_renewal=True),
        "terminated": make_convention(
            end=D(2026, 12, 31), tacit_renewal=True, status=ConventionStatus.TERMINATED
        ),
        "draft": make_convention(
            end=D(2026, 12, 31), tacit_renewal=True, status=ConventionStatus.DRAFT
        ),
        "expired": make_convention(
            end=D(2026, 12, 31), tacit_renewal=True, status=ConventionStatus.EXPIRED
        ),
        "no_renewal": make_convention(end=D(2026, 12, 31)),
    }
    signed = make_convention(
        end=D(2026, 12, 31), tacit_renewal=True, status=ConventionStatus.SIGNED
    )
    assert lifecycle.conventions_renew(today=today) == 1
    ends = dict(Convention.objects.values_list("pk", "end"))
    for convention in kept.values():
        assert ends[convention.pk] == convention.end
    assert ends[signed.pk] == D(2029, 12, 31)


@time_machine.travel(datetime.datetime(2027, 1, 5, 8, 0, tzinfo=datetime.UTC), tick=False)
def test_the_daily_task_renews_tacit_conventions_and_expires_the_others(
    django_capture_on_commit_callbacks,
):
    renewed = make_convention(end=D(2026, 12, 31), tacit_renewal=True)
    ended = make_convention(end=D(2026, 12, 31))
    terminated = make_convention(
        end=D(2026, 12, 31), tacit_renewal=True, status=ConventionStatus.TERMINATED
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.check_convention_alerts.delay().get()
    renewed.refresh_from_db()
    ended.refresh_from_db()
    terminated.refresh_from_db()
    assert (renewed.status, renewed.end) == (ConventionStatus.ACTIVE, D(2029, 12, 31))
    assert (ended.status, ended.end) == (ConventionStatus.EXPIRED, D(2026, 12, 31))
    assert (terminated.status, terminated.end) == (ConventionStatus.TERMINATED, D(2026, 12, 31))


def test_the_detail_page_and_the_history_show_the_renewal(client):
    convention = make_convention(start=D(2024, 1, 1), end=D(2026, 12, 31), tacit_renewal=True)
    admin = UserFactory(admin=True, department=convention.employer.department)
    client.force_login(admin)
    url = reverse("conventions:detail", args=[convention.pk])
    assert "reconduite tacitement" not in _text(client.get(url))

    lifecycle.conventions_renew(today=D(2027, 1, 5))
    page = _text(client.get(url))
    assert "reconduite tacitement jusqu'au 31/12/2029" in page
    assert "période initiale jusqu'au 31/12/2026" in page
    history_url = reverse("history", args=["conventions", "convention", convention.pk])
    history = _text(client.get(history_url))
    assert "Motif : Reconduction tacite jusqu'au 31/12/2029" in history


def test_bringing_the_end_back_within_the_initial_term_forgets_the_renewal():
    convention = make_convention(end=D(2026, 12, 31), tacit_renewal=True)
    lifecycle.conventions_renew(today=D(2027, 1, 5))
    convention.refresh_from_db()
    convention.end = D(2026, 12, 31)
    services.convention_save(convention=convention, acting_user=None)
    convention.refresh_from_db()
    assert convention.initial_end is None and not convention.tacitly_renewed
    assert convention.notice_deadline == D(2026, 9, 30)
