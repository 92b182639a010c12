"""Retention leftovers: labels, reminders, sessions, login logs, register reasons, contacts."""

import datetime

import pytest
import time_machine
from axes.models import AccessFailureLog
from axes.models import AccessLog as AxesLog
from django.conf import settings
from django.utils import timezone

from cases.enums import ReferralStatus
from cases.lifecycle.imports import services as imports
from cases.lifecycle.services import retention
from cases.models import Beneficiary, DataProtectionAction, DataProtectionEvent
from cases.referrals.selectors import reminder_due
from iscg.audit import access_log_record
from iscg.models import AccessAction, AccessLog
from iscg.models import AccountSession as Session
from iscg.tasks import clear_expired_sessions, purge_login_logs
from tests.cases.factories import OrientationFactory, ReferralFactory, UnitFeedbackFactory
from tests.cases.lifecycle import test_retention
from tests.cases.lifecycle.test_retention import ACTIVE, ARCHIVE, T0
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes, upload
from tests.iscg.factories import CommuneFactory

world = test_retention.world  # the same fixture: a worker, a post, a person with everything


def _run(when):
    with time_machine.travel(when, tick=False):
        return retention.apply_retention(dry_run=False)


def test_access_log_labels_of_cases_and_lone_referrals_are_erased(world):
    old = world["old"]
    with time_machine.travel(T0, tick=False):
        lone = ReferralFactory(post=world["post"])
    # Read within the access log's period before the anonymisation.
    with time_machine.travel(T0 + ACTIVE + ARCHIVE - datetime.timedelta(days=10), tick=False):
        for obj in (old.cases.get(), lone, old):
            access_log_record(user=world["worker"], action=AccessAction.VIEW, obj=obj)
    assert AccessLog.objects.exclude(object_label="").count() == 3
    _run(T0 + ACTIVE + ARCHIVE + datetime.timedelta(days=1))
    assert AccessLog.objects.filter(action=AccessAction.VIEW).count() == 3
    assert AccessLog.objects.exclude(object_label="").count() == 0


def test_archived_referrals_are_never_reminded(world):
    monday = datetime.datetime(2026, 11, 16, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(monday - datetime.timedelta(days=7), tick=False):
        live = ReferralFactory(post=world["post"], status=ReferralStatus.RECEIVED)
        archived = ReferralFactory(
            post=world["post"], status=ReferralStatus.RECEIVED, archived_at=timezone.now()
        )
    due = list(reminder_due(monday))
    assert live in due and archived not in due


def test_expired_sessions_are_cleared_by_a_periodic_task():
    now = timezone.now()
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=now)
    Session.objects.create(
        session_key="b" * 32, session_data="x", expire_date=now + datetime.timedelta(hours=1)
    )
    clear_expired_sessions.delay().get()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]
    assert "iscg.tasks.clear_expired_sessions" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_login_logs_are_purged_after_the_access_log_period():
    keep = datetime.timedelta(days=settings.RETENTION_ACCESS_LOG_DAYS)
    now = timezone.now()
    for age in (keep + datetime.timedelta(days=1), keep - datetime.timedelta(days=1)):
        for model in (AxesLog, AccessFailureLog):
            row = model.objects.create(
                username="agent@example.org", ip_address="10.0.0.1", user_agent="test"
            )
            model.objects.filter(pk=row.pk).update(attempt_time=now - age)
    assert purge_login_logs.delay().get() == 2
    assert AxesLog.objects.count() == 1 and AccessFailureLog.objects.count() == 1
    assert "iscg.tasks.purge_login_logs" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_the_register_never_names_the_imported_file():
    from tests.iscg.factories import UserFactory

    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    CommuneFactory(code="01053", name="Bourg-en-Bresse", department=post.employer.department)
    batch, _ = imports.import_preview(
        post=post,
        uploaded_file=upload("suivi-DURAND-Lea.csv", csv_bytes(ACTION_HEADER, [action_row()])),
        acting_user=worker,
    )
    imports.import_commit(batch=batch, acting_user=worker)
    imports.import_undo(batch=batch, acting_user=worker)
    reasons = list(
        DataProtectionEvent.objects.filter(
            action__in=[DataProtectionAction.IMPORT, DataProtectionAction.IMPORT_UNDO]
        ).values_list("reason", flat=True)
    )
    assert sorted(reasons) == [
        f"Annulation de l'import n° {batch.pk}",
        f"Import d'activité n° {batch.pk}",
    ]
    assert not any("DURAND" in reason for reason in reasons)


@pytest.mark.parametrize("contact", ["orientation", "feedback"])
def test_an_orientation_or_a_feedback_keeps_a_file_active(world, contact):
    old = world["old"]
    with time_machine.travel(T0 + ACTIVE - datetime.timedelta(days=10), tick=False):
        if contact == "orientation":
            OrientationFactory(case=old.cases.get(), author=world["worker"])
        else:
            UnitFeedbackFactory(referral=old.referrals.get(), author=world["worker"])
    _run(T0 + ACTIVE + datetime.timedelta(days=1))
    assert Beneficiary.objects.get(pk=old.pk).archived_at is None


def test_the_sessions_of_djangos_own_table_are_deleted_once_the_engine_moves():
    """Once SESSION_ENGINE writes iscg_accountsession, nothing reads nor clears
    django_session: its rows (an import preview's messages, with names) are deleted by a
    migration rather than kept forever."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.sessions.models import Session as OldSession

    forget = import_module("iscg.migrations.0013_forget_old_sessions").forget_old_sessions
    OldSession.objects.create(
        session_key="c" * 32,
        session_data="x",
        expire_date=timezone.now() + datetime.timedelta(hours=1),
    )
    forget(apps, None)
    assert not OldSession.objects.exists()
