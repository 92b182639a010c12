"""Retention with a frozen clock: archive, anonymise (history included), figures, purge."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cases.lifecycle.services import retention
from cases.models import (
    Action,
    Beneficiary,
    Case,
    DataProtectionAction,
    DataProtectionEvent,
    Orientation,
    Referral,
)
from cases.tasks import apply_retention_task
from iscg.models import AccessLog
from reporting import indicators
from reporting.periods import month_of, quarter_of, year_of
from reporting.scope import Scope
from tests.cases.factories import ActionFactory, BeneficiaryFactory, CaseFactory, ReferralFactory
from tests.cases.lifecycle_helpers import (
    CANARY,
    CANARY_EMAIL,
    CANARY_PHONE,
    person_with_everything,
    tables_containing,
)
from tests.iscg.factories import DepartmentFactory, UserFactory

T0 = datetime.datetime(2021, 3, 10, 10, 0, tzinfo=datetime.UTC)
ACTIVE = datetime.timedelta(days=settings.RETENTION_ACTIVE_DAYS)
ARCHIVE = datetime.timedelta(days=settings.RETENTION_ARCHIVE_DAYS)


@pytest.fixture
def world():
    with time_machine.travel(T0, tick=False):
        worker = UserFactory(worker=True)
        post = worker.holdings.get().post
        unit_agent = UserFactory(unit_agent=True, department=post.employer.department)
        unit = unit_agent.memberships.get().unit
        old = person_with_everything(worker=worker, post=post, unit=unit)
    return {"worker": worker, "post": post, "old": old, "unit_agent": unit_agent}


def _recent(world, when):
    with time_machine.travel(when, tick=False):
        case = CaseFactory(
            beneficiary__post=world["post"],
            beneficiary__created_by=world["worker"],
            beneficiary__last_name="RECENTE",
            post=world["post"],
            opened_on=timezone.localdate(),
        )
        ActionFactory(case=case, author=world["worker"])
    return case.beneficiary


def test_nothing_moves_within_the_active_period(world):
    with time_machine.travel(T0 + ACTIVE - datetime.timedelta(days=1), tick=False):
        report = retention.apply_retention(dry_run=False)
    assert report.archived_beneficiaries == 0
    assert Beneficiary.objects.visible_to(world["worker"]).get() == world["old"]


def test_a_recent_acte_keeps_an_old_file_active(world):
    with time_machine.travel(T0 + ACTIVE - datetime.timedelta(days=10), tick=False):
        ActionFactory(case=world["old"].cases.get(), author=world["worker"])
    with time_machine.travel(T0 + ACTIVE + datetime.timedelta(days=1), tick=False):
        retention.apply_retention(dry_run=False)
    world["old"].refresh_from_db()
    assert world["old"].archived_at is None


def test_archive_after_the_active_period(client, world):
    recent = _recent(world, T0 + ACTIVE)
    when = T0 + ACTIVE + datetime.timedelta(days=1)
    with time_machine.travel(when, tick=False):
        dry = retention.apply_retention()
        assert dry.archived_beneficiaries == 1
        assert Beneficiary.objects.filter(archived_at__isnull=False).count() == 0  # dry run
        report = retention.apply_retention(dry_run=False)
    assert report.archived_beneficiaries == 1 and report.archived_referrals == 1
    worker, old = world["worker"], world["old"]
    old.refresh_from_db()
    assert old.archived_at == when and old.anonymised_at is None
    # The file leaves every list: beneficiaries, cases, actes, orientations, referrals.
    assert list(Beneficiary.objects.visible_to(worker)) == [recent]
    assert list(Case.objects.visible_to(worker)) == [recent.cases.get()]
    assert not Action.objects.visible_to(worker).filter(case__beneficiary=old).exists()
    assert not Orientation.objects.visible_to(worker).exists()
    assert not Referral.objects.visible_to(worker).exists()
    assert not Referral.objects.visible_to(world["unit_agent"]).exists()
    # Nothing is erased yet.
    assert old.last_name == CANARY.upper() and old.phone == CANARY_PHONE
    event = DataProtectionEvent.objects.get(action=DataProtectionAction.ARCHIVE)
    assert event.object_id == old.pk and event.actor is None
    # Running again changes nothing (idempotent).
    with time_machine.travel(when + datetime.timedelta(days=1), tick=False):
        assert retention.apply_retention(dry_run=False).archived_beneficiaries == 0


def test_only_the_admin_opens_an_archived_file_with_a_logged_reason(client, world):
    with time_machine.travel(T0 + ACTIVE + datetime.timedelta(days=1), tick=False):
        retention.apply_retention(dry_run=False)
    old = world["old"]
    url = reverse("lifecycle:archive_open", args=[old.pk])
    admin = UserFactory(admin=True, department=world["post"].employer.department)
    client.force_login(admin)
    listing = client.get(reverse("lifecycle:archive_list")).content.decode()
    assert f"Dossier n° {old.pk}" in listing and CANARY.upper() not in listing
    page = client.get(url).content.decode()
    assert CANARY.upper() not in page and "Ouvrir le dossier" in page
    response = client.post(url, {"reason": ""})
    assert "Indiquez le motif" in response.content.decode()
    assert not DataProtectionEvent.objects.filter(action="archive_open").exists()
    opened = client.post(url, {"reason": "Demande d'accès de la personne du 12/11"})
    text = opened.content.decode()
    assert CANARY.upper() in text
    assert "Note sur" not in text  # the admin never reads confidential notes
    event = DataProtectionEvent.objects.get(action=DataProtectionAction.ARCHIVE_OPEN)
    assert event.actor == admin and event.reason == "Demande d'accès de la personne du 12/11"
    # The worker, and every other role, cannot.
    client.force_login(world["worker"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("lifecycle:archive_list")).status_code == 403
    other_admin = UserFactory(admin=True, department=DepartmentFactory(code="69"))
    client.force_login(other_admin)
    assert client.get(url).status_code == 404


def test_anonymise_after_the_archive_period(world):
    recent = _recent(world, T0 + ACTIVE + ARCHIVE)
    with time_machine.travel(T0 + ACTIVE + datetime.timedelta(days=1), tick=False):
        retention.apply_retention(dry_run=False)
    post = world["post"]
    periods = [year_of(T0.date()), quarter_of(T0.date()), month_of(T0.date())]
    before = [indicators.compute(Scope.for_post(post), period) for period in periods]
    assert tables_containing(CANARY)  # the canary is everywhere, history included
    when = T0 + ACTIVE + ARCHIVE + datetime.timedelta(days=1)
    with time_machine.travel(when, tick=False):
        report = retention.apply_retention(dry_run=False)
    assert report.anonymised_beneficiaries == 1 and report.anonymised_referrals == 1
    old = world["old"]
    # Replaced by counts: no row of the person is left, history included.
    assert not Beneficiary.objects.filter(pk=old.pk).exists()
    assert not Beneficiary.history.filter(id=old.pk).exists()
    assert not Case.history.filter(beneficiary_id=old.pk).exists()
    # No name, phone, e-mail or text is left in any table, history included.
    assert tables_containing(CANARY) == []
    assert tables_containing(CANARY_PHONE) == []
    assert tables_containing(CANARY_EMAIL) == []
    # The bilans of its months, quarters and years are the same (a whole grid of them:
    # tests/reporting/test_retained.py).
    assert [indicators.compute(Scope.for_post(post), period) for period in periods] == before
    # The recent file is untouched.
    recent.refresh_from_db()
    assert recent.last_name == "RECENTE" and recent.archived_at is None
    assert DataProtectionEvent.objects.filter(
        action=DataProtectionAction.ANONYMISE, object_id=old.pk
    ).exists()


def test_referrals_never_linked_to_a_file_are_archived_then_anonymised(world):
    with time_machine.travel(T0, tick=False):
        lone = ReferralFactory(post=world["post"], person_last_name="SOLITAIRE", context="Seul")
    with time_machine.travel(T0 + ACTIVE + datetime.timedelta(days=1), tick=False):
        retention.apply_retention(dry_run=False)
    lone.refresh_from_db()
    assert lone.archived_at is not None and lone.person_last_name == "SOLITAIRE"
    with time_machine.travel(T0 + ACTIVE + ARCHIVE + datetime.timedelta(days=1), tick=False):
        retention.apply_retention(dry_run=False)
    assert not Referral.objects.filter(pk=lone.pk).exists()
    assert not Referral.history.filter(id=lone.pk).exists()
    assert tables_containing("SOLITAIRE") == []


def test_a_beneficiary_without_any_file_counts_from_their_creation(world):
    with time_machine.travel(T0, tick=False):
        lonely = BeneficiaryFactory(post=world["post"], created_by=world["worker"])
    with time_machine.travel(T0 + ACTIVE - datetime.timedelta(days=1), tick=False):
        retention.apply_retention(dry_run=False)
    lonely.refresh_from_db()
    assert lonely.archived_at is None
    with time_machine.travel(T0 + ACTIVE + datetime.timedelta(days=1), tick=False):
        retention.apply_retention(dry_run=False)
    lonely.refresh_from_db()
    assert lonely.archived_at is not None


def test_access_logs_are_purged_after_their_period(client, world):
    """Real ``iscg.AccessLog`` rows, written by real page views, with a frozen clock."""
    keep = datetime.timedelta(days=settings.RETENTION_ACCESS_LOG_DAYS)
    beneficiary = world["old"]
    url = reverse("cases:beneficiary_detail", args=[beneficiary.pk])
    for day in (1, 30):
        with time_machine.travel(T0 + datetime.timedelta(days=day), tick=False):
            client.force_login(world["worker"])
            assert client.get(url).status_code == 200
    views = AccessLog.objects.filter(action="view", object_id=str(beneficiary.pk))
    assert views.count() == 2
    old_row = views.order_by("created_at").first()
    # Day 1 wrote the login row and the view row.
    day_one = set(
        AccessLog.objects.filter(created_at__date=old_row.created_at.date()).values_list(
            "pk", flat=True
        )
    )
    assert len(day_one) == 2

    # One day before the first row's term: nothing goes (dry run and real run agree).
    almost = T0 + datetime.timedelta(days=1) + keep - datetime.timedelta(hours=1)
    with time_machine.travel(almost, tick=False):
        assert retention.purge_access_logs(dry_run=True) == 0
        assert retention.apply_retention(dry_run=False).purged_access_logs == 0
    assert views.count() == 2

    # Past the term of the first row only: it goes, the second stays, the purge is registered.
    with time_machine.travel(T0 + datetime.timedelta(days=2) + keep, tick=False):
        assert retention.purge_access_logs(dry_run=True) == len(day_one)
        report = retention.apply_retention(dry_run=False)
    assert report.purged_access_logs == len(day_one)
    assert not AccessLog.objects.filter(pk__in=day_one).exists()
    assert views.count() == 1 and AccessLog.objects.filter(action="login").count() == 1
    purge = DataProtectionEvent.objects.get(action=DataProtectionAction.LOG_PURGE)
    assert purge.details["deleted"] == report.purged_access_logs


def test_the_command_is_dry_by_default_and_the_task_applies(world, capsys):
    with time_machine.travel(T0 + ACTIVE + datetime.timedelta(days=1), tick=False):
        call_command("apply_retention")
        out = capsys.readouterr().out
        assert "[simulation] dossiers de bénéficiaires archivés : 1" in out
        assert Beneficiary.objects.filter(archived_at__isnull=False).count() == 0
        call_command("apply_retention", "--wet-run")
        assert Beneficiary.objects.filter(archived_at__isnull=False).count() == 1
    with time_machine.travel(T0 + ACTIVE + ARCHIVE + datetime.timedelta(days=1), tick=False):
        result = apply_retention_task.delay().get()
    assert result["anonymised_beneficiaries"] == 1
    assert "apply-retention" in settings.CELERY_BEAT_SCHEDULE
    assert (
        settings.CELERY_BEAT_SCHEDULE["apply-retention"]["task"]
        == "cases.tasks.apply_retention_task"
    )


def test_the_command_rehearses_a_future_date_without_moving_the_clock(world, capsys):
    later = (T0 + ACTIVE + ARCHIVE + datetime.timedelta(days=1)).date()
    with time_machine.travel(T0 + datetime.timedelta(days=1), tick=False):
        call_command("apply_retention", "--date", later.isoformat())
        out = capsys.readouterr().out
        assert f"[simulation] au {later:%d/%m/%Y}" in out
        assert "[simulation] bénéficiaires anonymisé·es : 1" in out
        assert Beneficiary.objects.filter(archived_at__isnull=False).count() == 0
        call_command("apply_retention", "--wet-run", "--date", later.isoformat())
    assert not Beneficiary.objects.filter(pk=world["old"].pk).exists()
    assert DataProtectionEvent.objects.filter(
        action=DataProtectionAction.ANONYMISE, object_id=world["old"].pk
    ).exists()
    with pytest.raises(CommandError, match="Date invalide"):
        call_command("apply_retention", "--date", "31/12/2032")


def test_the_dry_run_announces_what_the_real_run_does_at_each_stage(world):
    with time_machine.travel(T0, tick=False):
        post = world["post"]
        ReferralFactory(post=post, person_last_name="SEULE")  # never linked to a file
        case = CaseFactory(beneficiary__post=post, post=post, opened_on=timezone.localdate())
        ReferralFactory(post=post, case=case, beneficiary=None)  # linked through the case
    stages = [
        T0 + ACTIVE + datetime.timedelta(days=1),
        T0 + ACTIVE + ARCHIVE + datetime.timedelta(days=1),
    ]
    for when in stages:
        with time_machine.travel(when, tick=False):
            dry = retention.apply_retention().as_dict()
            wet = retention.apply_retention(dry_run=False).as_dict()
        assert dry == wet
        assert any(dry.values())
    assert wet["anonymised_referrals"] == 3 and wet["anonymised_beneficiaries"] == 2


@pytest.mark.parametrize("query", ["Dupont-Lefèvre", "dupont lefevre", "N'Diaye", "diaye awa"])
def test_the_archive_finds_names_with_hyphens_and_apostrophes(client, world, query):
    from iscg.text import person_search_text

    with time_machine.travel(T0, tick=False):
        for last_name in ("Dupont-Lefèvre", "N'Diaye", "N Diaye"):
            BeneficiaryFactory(
                post=world["post"],
                last_name=last_name,
                first_name="Awa",
                search_text=person_search_text(last_name, "Awa", ""),
                created_by=world["worker"],
            )
    with time_machine.travel(T0 + ACTIVE + datetime.timedelta(days=1), tick=False):
        retention.apply_retention(dry_run=False)
    client.force_login(UserFactory(admin=True, department=world["post"].employer.department))
    page = client.get(reverse("lifecycle:archive_list"), {"q": query})
    found = list(page.context["page_obj"])
    assert found and all(b.search_text.startswith(("dupont lefevre", "n diaye")) for b in found), (
        query
    )
