"""The one e-mail path: claimed and committed, sent with a timeout, recorded, retried,
never twice to the same recipient for the same event."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail import get_connection
from django.urls import reverse
from django.utils import timezone

from outbox.models import EmailStatus, OutgoingEmail
from outbox.services import STUCK_AFTER, event_emails, outbox_enqueue, outbox_flush, outbox_send
from reporting import services as report_services
from tests.iscg.factories import UserFactory
from tests.reporting.test_views import world  # noqa: F401 - fixture

SMTP_DOWN = mock.patch(
    "outbox.services.EmailMessage.send", side_effect=ConnectionRefusedError("SMTP down")
)


def _enqueue(key="invitation:1", recipients=("a@x.fr", "B@x.fr")):
    return outbox_enqueue(event_key=key, recipients=recipients, subject="Objet", body="Lien")


def test_an_event_reaches_each_recipient_once():
    first = _enqueue()
    again = _enqueue(recipients=["a@x.fr", "b@x.fr", "c@x.fr"])
    assert [e.recipient for e in first] == ["a@x.fr", "b@x.fr"]
    assert [e.recipient for e in again] == ["c@x.fr"]
    for email in OutgoingEmail.objects.all():
        assert outbox_send(email.pk) is True
        assert outbox_send(email.pk) is False
    assert outbox_flush() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.fr", "b@x.fr", "c@x.fr"]
    assert set(OutgoingEmail.objects.values_list("status", "attempts", "body")) == {
        (EmailStatus.SENT, 1, "")
    }


def test_the_row_is_claimed_and_committed_before_the_smtp_server_is_called(settings):
    (email,) = _enqueue(recipients=["a@x.fr"])
    seen = {}

    def send(message):
        row = OutgoingEmail.objects.get(pk=email.pk)
        seen.update(status=row.status, attempts=row.attempts)
        return 1

    with (
        mock.patch("outbox.services.EmailMessage.send", autospec=True, side_effect=send),
        mock.patch("outbox.services.get_connection", wraps=get_connection) as connect,
    ):
        assert outbox_send(email.pk)
    seen["timeout"] = connect.call_args.kwargs["timeout"]
    assert seen == {"status": EmailStatus.SENDING, "attempts": 1, "timeout": settings.EMAIL_TIMEOUT}


def test_a_failure_is_recorded_with_its_attempt_and_retried_with_backoff(settings):
    (email,) = _enqueue(recipients=["a@x.fr"])
    start = timezone.now()
    with SMTP_DOWN:
        assert outbox_send(email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert "SMTP down" in email.last_error
    first_delay = email.next_attempt_at - start
    assert datetime.timedelta(seconds=29) < first_delay < datetime.timedelta(seconds=40)
    assert outbox_flush() == 0  # not due yet
    with time_machine.travel(email.next_attempt_at + datetime.timedelta(seconds=1)), SMTP_DOWN:
        assert outbox_flush() == 1
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.next_attempt_at - timezone.now() > first_delay  # doubled
    with time_machine.travel(email.next_attempt_at + datetime.timedelta(seconds=1)):
        assert outbox_flush() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 3)
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_the_email_is_failed(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.OUTBOX_RETRY_FIRST_SECONDS = 0
    (email,) = _enqueue(recipients=["a@x.fr"])
    with SMTP_DOWN:
        outbox_send(email.pk)
        outbox_send(email.pk)
        assert outbox_send(email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 2)
    assert event_emails("invitation:1").failed == 1


def test_a_row_left_sending_by_a_dead_worker_is_sent_again_later():
    (email,) = _enqueue(recipients=["a@x.fr"])
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )
    assert outbox_flush() == 0
    with time_machine.travel(timezone.now() + STUCK_AFTER + datetime.timedelta(seconds=1)):
        assert outbox_flush() == 1
    assert len(mail.outbox) == 1


def test_a_sent_bilan_says_sending_or_retrying_never_told_before_it_is(
    client,
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    data, users, _, draft = world
    manager = users["manager"]
    report_services.report_validate(report=draft, acting_user=manager)
    client.force_login(manager)
    with SMTP_DOWN, django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:send", args=[draft.pk]))
    content = client.get(reverse("reporting:detail", args=[draft.pk])).content.decode()
    assert "prévenus" not in content
    assert "Échec de l'envoi, nouvel essai à" in content
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        assert outbox_flush() > 0
    assert {m.to[0] for m in mail.outbox} >= {manager.email}
    content = client.get(reverse("reporting:detail", args=[draft.pk])).content.decode()
    assert "Courriels envoyés" in content


def test_a_password_reset_during_an_smtp_outage_is_sent_once_it_returns(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="reset@example.gouv.fr")
    with SMTP_DOWN, django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "reset@example.gouv.fr"})
    assert response.status_code == 302
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        assert outbox_flush() == 1
    assert [m.to for m in mail.outbox] == [["reset@example.gouv.fr"]]


@pytest.mark.parametrize("key", ["new_referral:1", "report_sent:1"])
def test_an_event_without_rows_has_nothing_to_say(key):
    assert event_emails(key).total == 0
