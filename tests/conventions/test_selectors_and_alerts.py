import datetime
from decimal import Decimal

import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conventions import alerts, services, tasks
from conventions.enums import AlertKind, ConventionStatus
from conventions.models import Convention, SentAlert
from conventions.selectors import funder_ids_covering
from tests.conventions.factories import make_convention, make_line
from tests.iscg.factories import DepartmentFactory, FunderFactory, PostFactory, UserFactory


def test_funder_ids_covering():
    post = PostFactory()
    other_post = PostFactory(employer=post.employer)
    caf, epci, fipd, draft_funder = (FunderFactory() for _ in range(4))
    make_convention(
        employer=post.employer,
        funders=[caf, epci],
        posts=[post],
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 12, 31),
    )
    make_convention(
        employer=post.employer,
        funders=[fipd],
        posts=[other_post],
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    make_convention(
        employer=post.employer,
        funders=[draft_funder],
        posts=[post],
        status=ConventionStatus.DRAFT,
    )
    q1 = {"start": datetime.date(2024, 1, 1), "end": datetime.date(2024, 3, 31)}
    assert funder_ids_covering(post_ids=[post.pk], **q1) == {caf.pk, epci.pk}
    assert funder_ids_covering(post_ids=[other_post.pk], **q1) == set()
    assert funder_ids_covering(
        post_ids=[post.pk, other_post.pk],
        start=datetime.date(2024, 12, 1),
        end=datetime.date(2025, 1, 31),
    ) == {caf.pk, epci.pk, fipd.pk}
    assert (
        funder_ids_covering(
            post_ids=[post.pk], start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)
        )
        == set()
    )
    assert funder_ids_covering(post_ids=[], **q1) == set()


def _setup_alerts():
    employer_manager = UserFactory(employer_manager=True)
    employer = employer_manager.memberships.get().employer
    admin = UserFactory(admin=True, department=employer.department)
    UserFactory(admin=True, department=DepartmentFactory(code="69"))  # never e-mailed
    notice = make_convention(
        employer=employer,
        title="Convention annuelle reconductible",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
        tacit_renewal=True,
        notice_months=3,
    )
    late = make_convention(
        employer=employer,
        title="Convention triennale",
        start=datetime.date(2023, 1, 1),
        end=datetime.date(2026, 3, 31),
    )
    line = make_line(
        late, year=2024, requested="30000", granted="30000", due_date=datetime.date(2024, 12, 31)
    )
    services.payment_record(
        funding_line=line,
        date=datetime.date(2024, 5, 1),
        amount=Decimal("10000"),
        acting_user=None,
    )
    return employer_manager, admin, notice, late, line


@time_machine.travel(datetime.datetime(2025, 8, 1, 8, 0, tzinfo=datetime.UTC), tick=False)
def test_alerts_are_detected_and_sent_once(django_capture_on_commit_callbacks):
    employer_manager, admin, notice, late, line = _setup_alerts()
    found = {
        (a.kind, a.convention.pk) for a in alerts.pending_alerts(notice.__class__.objects.all())
    }
    assert (AlertKind.NOTICE, notice.pk) in found  # deadline 30/09/2025, within 3 months
    assert (AlertKind.EXPIRY, notice.pk) in found  # ends 31/12/2025, within 6 months
    assert (AlertKind.EXPIRY, late.pk) not in found  # ends 31/03/2026: 8 months away
    assert (AlertKind.OVERDUE, late.pk) in found
    # No bilan was produced: 2025 Q1 and Q2 for the annual convention; the last four
    # quarters (2024 Q3 to 2025 Q2) and the year 2024 for the triennial one.
    owed = [
        a.convention.pk
        for a in alerts.pending_alerts(notice.__class__.objects.all())
        if a.kind == AlertKind.REPORT
    ]
    assert sorted(owed) == sorted([notice.pk] * 2 + [late.pk] * 5)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.check_convention_alerts.delay().get() == 10
    assert SentAlert.objects.filter(sent_at__isnull=False).count() == 10
    # One message per recipient (the admin and the employer's manager), nobody in copy.
    assert len(mail.outbox) == 20
    overdue = [m for m in mail.outbox if "Versement en retard" in m.subject]
    assert sorted(m.to[0] for m in overdue) == sorted([admin.email, employer_manager.email])
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "20\xa0000,00 €" in overdue[0].body

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.check_convention_alerts.delay().get() == 0
    assert len(mail.outbox) == 20
    # Sending an already sent alert again does nothing.
    assert tasks.send_convention_alert.delay(SentAlert.objects.first().pk).get() is False
    assert len(mail.outbox) == 20


@time_machine.travel(datetime.datetime(2025, 8, 1, 8, 0, tzinfo=datetime.UTC), tick=False)
def test_a_sent_bilan_settles_what_the_convention_owes():
    from reporting.models import Report

    _employer_manager, admin, notice, _late, _line = _setup_alerts()

    def owed():
        return {
            a.key
            for a in alerts.pending_alerts(Convention.objects.filter(pk=notice.pk))
            if a.kind == AlertKind.REPORT
        }

    assert owed() == {"report-20250101-20250331", "report-20250401-20250630"}
    report = Report.objects.create(
        department=notice.employer.department,
        kind="quarterly",
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2025, 6, 30),
        scope_kind="employer",
        employer=notice.employer,
        created_by=admin,
        status="validated",
    )
    assert owed() == {"report-20250101-20250331", "report-20250401-20250630"}  # not sent yet
    report.status = "sent"
    report.save()
    assert owed() == {"report-20250101-20250331"}


@time_machine.travel(datetime.datetime(2025, 8, 1, 8, 0, tzinfo=datetime.UTC), tick=False)
def test_paid_line_and_terminated_convention_raise_no_alert(django_capture_on_commit_callbacks):
    _employer_manager, _admin, notice, late, line = _setup_alerts()
    services.payment_record(
        funding_line=line,
        date=datetime.date(2025, 7, 1),
        amount=Decimal("20000"),
        acting_user=None,
    )
    notice.status = ConventionStatus.TERMINATED
    services.convention_save(convention=notice, acting_user=None)
    pending = alerts.pending_alerts(notice.__class__.objects.all())
    assert [a for a in pending if a.kind != AlertKind.REPORT] == []


@time_machine.travel(datetime.datetime(2025, 8, 1, 8, 0, tzinfo=datetime.UTC), tick=False)
def test_alerts_on_the_home_page(client):
    employer_manager, admin, notice, late, line = _setup_alerts()
    client.force_login(employer_manager)
    content = client.get("/").content.decode()
    assert "Conventions : échéances et retards" in content
    assert "Versement en retard" in content
    assert "Dénonciation possible jusqu&#x27;au 30/09/2025" in content
    outsider = UserFactory(employer_manager=True)
    client.force_login(outsider)
    content = client.get("/").content.decode()
    assert "Aucune échéance ni aucun retard" in content
    assert "Convention triennale" not in content


def test_owed_bilans_are_read_in_one_query_whatever_the_number_of_conventions():
    def pending(today):
        conventions = Convention.objects.all()
        with CaptureQueriesContext(connection) as context:
            owed = [a for a in alerts.pending_alerts(conventions, today) if a.kind == "report"]
        sent = [q["sql"] for q in context.captured_queries if "reporting_report" in q["sql"]]
        return owed, sent

    make_convention(start=datetime.date(2020, 1, 1), end=datetime.date(2030, 12, 31))
    few, sent_few = pending(datetime.date(2025, 11, 15))
    for _ in range(5):
        make_convention(start=datetime.date(2020, 1, 1), end=datetime.date(2030, 12, 31))
    many, sent_many = pending(datetime.date(2025, 11, 15))
    assert len(few) == 5 and len(many) == 30  # four quarters and the year, each
    assert len(sent_few) == len(sent_many) == 1


def test_quarters_due_follow_the_convention_period():
    convention = make_convention(start=datetime.date(2025, 1, 1), end=datetime.date(2026, 12, 31))
    due = alerts._quarters_due(convention, datetime.date(2025, 11, 15))
    # Q1 (due 30/04), Q2 (due 31/07), Q3 (due 31/10) of 2025; nothing of 2024 (before start).
    # The deadlines are those the home pages state (the end of the following month): the
    # alert said 30/07 and 30/10 (30 days) while the home page said 31/07 and 31/10.
    assert [(start.month, end.month) for start, end, _deadline in due] == [(1, 3), (4, 6), (7, 9)]
    assert [deadline for _start, _end, deadline in due] == [
        datetime.date(2025, 4, 30),
        datetime.date(2025, 7, 31),
        datetime.date(2025, 10, 31),
    ]


@time_machine.travel(datetime.datetime(2027, 1, 5, 8, 0, tzinfo=datetime.UTC), tick=False)
def test_ended_conventions_expire_unless_tacitly_renewed(django_capture_on_commit_callbacks):
    ended = make_convention(end=datetime.date(2026, 12, 31))
    renewed = make_convention(end=datetime.date(2026, 12, 31), tacit_renewal=True)
    running = make_convention(end=datetime.date(2027, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.check_convention_alerts.delay().get()
    statuses = {c.pk: c.status for c in Convention.objects.all()}
    assert statuses[ended.pk] == ConventionStatus.EXPIRED
    assert statuses[renewed.pk] == ConventionStatus.ACTIVE
    assert statuses[running.pk] == ConventionStatus.ACTIVE
    assert ended.history.first().status == ConventionStatus.EXPIRED
