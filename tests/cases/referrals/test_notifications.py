"""E-mail notifications through the outbox: on commit, idempotent, survive a broker outage."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from kombu.exceptions import OperationalError

from cases.models import Notification, Referral
from cases.referrals.models.notifications import NotificationStatus
from cases.referrals.services.notifications import notification_enqueue
from cases.tasks import flush_notifications, send_notification, send_referral_reminders
from cases.workdays import is_working_day, reminder_cutoff
from outbox.models import EmailStatus, OutgoingEmail
from outbox.services import outbox_flush
from tests.cases.factories import ReferralFactory, problem
from tests.cases.referral_world import world_fixture  # noqa: F401
from tests.iscg.factories import UserFactory

PARIS = ZoneInfo("Europe/Paris")


def _form(world):
    return {
        "unit": world["brigade"].pk,
        "person_last_name": "Nom-Canari-Mail",
        "person_sex": "F",
        "circumstance": "intervention",
        "main_problem": problem().pk,
        "procedure_kind": "none",
        "consent_to_contact": "yes",
        "urgency": "normal",
    }


def test_a_new_referral_emails_the_workers_of_the_post_after_commit(
    client, world, django_capture_on_commit_callbacks
):
    second_worker = UserFactory(worker=True, post=world["post"], department=world["department"])
    client.force_login(world["agent"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("referrals:unit_create"), _form(world))
    # The referral's event after its commit, then each worker's e-mail after the outbox's.
    assert len(callbacks) == 3
    referral = Referral.objects.get()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world["worker"].email, second_worker.email]
    )
    for message in mail.outbox:
        assert referral.number in message.subject
        assert reverse("referrals:worker_detail", args=[referral.pk]) in message.body
        assert "Nom-Canari-Mail" not in message.subject + message.body
        assert world["other_worker"].email not in message.to
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.SENT
    assert notification.recipient_count == 2


def test_sending_twice_gives_one_email(world, django_capture_on_commit_callbacks):
    referral = ReferralFactory(source_unit=world["brigade"], post=world["post"])
    with django_capture_on_commit_callbacks(execute=False):
        notification = notification_enqueue(event="new_referral", referral=referral)
        again = notification_enqueue(event="new_referral", referral=referral)
    assert again.pk == notification.pk
    send_notification.apply(args=[notification.pk])
    send_notification.apply(args=[notification.pk])
    send_notification(notification.pk)
    flush_notifications()
    assert len(mail.outbox) == 1
    assert Notification.objects.get().attempts == 1


def test_submission_succeeds_when_the_broker_is_down_and_flush_sends_later(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["agent"])
    broken = mock.patch.object(
        send_notification, "delay", side_effect=OperationalError("Connection refused")
    )
    with broken as delay, django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referrals:unit_create"), _form(world))
    assert delay.called
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:unit_confirmation", args=[referral.pk])
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.PENDING
    assert mail.outbox == []
    assert flush_notifications() == 1
    assert [m.to for m in mail.outbox] == [[world["worker"].email]]
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert flush_notifications() == 0
    assert len(mail.outbox) == 1


def test_an_smtp_failure_leaves_the_email_pending_for_a_retry(world, settings):
    settings.OUTBOX_RETRY_FIRST_SECONDS = 0  # due again at once
    referral = ReferralFactory(source_unit=world["brigade"], post=world["post"])
    notification_enqueue(event="new_referral", referral=referral)
    with mock.patch("outbox.services.EmailMessage.send", side_effect=OSError("SMTP down")):
        assert flush_notifications() == 1
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert "SMTP down" in email.last_error
    assert mail.outbox == []
    assert outbox_flush() == 1
    assert [m.to for m in mail.outbox] == [[world["worker"].email]]
    assert outbox_flush() == 0


def test_working_days_skip_weekends_and_french_holidays():
    assert not is_working_day(datetime.date(2026, 5, 1))  # Fête du travail, a Friday
    assert not is_working_day(datetime.date(2026, 5, 2))  # Saturday
    assert not is_working_day(datetime.date(2026, 11, 11))  # Armistice, a Wednesday
    assert is_working_day(datetime.date(2026, 5, 4))
    assert reminder_cutoff(datetime.date(2026, 5, 5)) == datetime.date(2026, 5, 4)
    assert reminder_cutoff(datetime.date(2026, 5, 4)) == datetime.date(2026, 4, 30)


def _received(world, when):
    with time_machine.travel(when, tick=False):
        return ReferralFactory(source_unit=world["brigade"], post=world["post"], received_at=when)


def _remind_at(when, callbacks):
    with time_machine.travel(when, tick=False), callbacks(execute=True):
        return send_referral_reminders()


def test_reminder_after_two_working_days_across_a_holiday_and_a_weekend(
    world, django_capture_on_commit_callbacks
):
    # Received on Thursday 30 April 2026; Friday 1 May is a holiday, then the weekend:
    # Monday 4 May is the first working day, Tuesday 5 May the second.
    referral = _received(world, datetime.datetime(2026, 4, 30, 10, 0, tzinfo=PARIS))
    taken = _received(world, datetime.datetime(2026, 4, 30, 11, 0, tzinfo=PARIS))
    taken.status = "taken"
    taken.save()
    for day in (1, 2, 3, 4):
        assert (
            _remind_at(
                datetime.datetime(2026, 5, day, 17, 0, tzinfo=PARIS),
                django_capture_on_commit_callbacks,
            )
            == 0
        ), day
    assert mail.outbox == []
    assert (
        _remind_at(
            datetime.datetime(2026, 5, 5, 8, 30, tzinfo=PARIS), django_capture_on_commit_callbacks
        )
        == 1
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world["worker"].email, world["manager"].email]
    )
    assert all(referral.number in m.subject for m in mail.outbox)
    # Never twice.
    assert (
        _remind_at(
            datetime.datetime(2026, 5, 6, 8, 30, tzinfo=PARIS), django_capture_on_commit_callbacks
        )
        == 0
    )
    assert len(mail.outbox) == 2


def test_reminder_waits_over_a_midweek_holiday(world, django_capture_on_commit_callbacks):
    # Received Monday 9 November 2026; Wednesday 11 November is a holiday.
    _received(world, datetime.datetime(2026, 11, 9, 9, 0, tzinfo=PARIS))
    assert (
        _remind_at(
            datetime.datetime(2026, 11, 10, 18, 0, tzinfo=PARIS), django_capture_on_commit_callbacks
        )
        == 0
    )
    assert (
        _remind_at(
            datetime.datetime(2026, 11, 11, 18, 0, tzinfo=PARIS), django_capture_on_commit_callbacks
        )
        == 0
    )
    assert (
        _remind_at(
            datetime.datetime(2026, 11, 12, 8, 0, tzinfo=PARIS), django_capture_on_commit_callbacks
        )
        == 1
    )


def test_reminder_is_scheduled_in_celery_beat(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"cases.tasks.send_referral_reminders", "cases.tasks.flush_notifications"} <= tasks


@pytest.mark.parametrize("event", ["new_referral", "reminder", "feedback_posted"])
def test_email_templates_exist_in_french(event):
    from django.template.loader import render_to_string

    subject = render_to_string(f"emails/{event}_subject.txt", {"number": "S2026-000001"})
    body = render_to_string(
        f"emails/{event}_body.txt", {"number": "S2026-000001", "link": "https://x/"}
    )
    assert "S2026-000001" in subject and "saisine" in body.lower() and "https://x/" in body
