"""Deadlines of conventions: notice, expiry, overdue payments and bilans owed.

``pending_alerts`` lists what deserves attention today (home pages); ``record_new_alerts``
stores each alert once (``SentAlert``) and writes its e-mails to the outbox in the same
transaction (one per recipient, sent after the commit).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from conventions.enums import AlertKind
from conventions.lifecycle import EXPIRY_WINDOW_MONTHS
from conventions.models import Convention, FundingLine, SentAlert
from conventions.services import euros
from iscg.dates import add_months
from iscg.enums import Role
from iscg.models import Membership
from outbox.services import outbox_enqueue
from reporting.models import Report, ReportStatus
from reporting.periods import Period, due_date

NOTICE_WINDOW_MONTHS = 3


@dataclass(frozen=True)
class Alert:
    kind: str
    convention: Convention
    deadline: datetime.date
    key: str
    message: str

    @property
    def kind_label(self) -> str:
        return AlertKind(self.kind).label


def _quarters_due(convention: Convention, today: datetime.date):
    """The last four quarters of the convention whose bilan is past due."""
    due = []
    for year in (today.year - 1, today.year):
        for quarter in range(4):
            q_start = datetime.date(year, quarter * 3 + 1, 1)
            q_end = add_months(q_start, 3) - datetime.timedelta(days=1)
            deadline = due_date("quarterly", Period(q_start, q_end))
            if q_start >= convention.start and q_end <= convention.end and deadline < today:
                due.append((q_start, q_end, deadline))
    return due[-4:]


def _periods_due(convention: Convention, today: datetime.date):
    """The bilans the convention's employer owes today: the last four quarters past due,
    and last year's annual bilan once past due (the deadlines of the home pages,
    reporting.periods.due_date)."""
    periods = _quarters_due(convention, today)
    year_start = datetime.date(today.year - 1, 1, 1)
    year_end = datetime.date(today.year - 1, 12, 31)
    annual_deadline = due_date("annual", Period(year_start, year_end))
    if convention.start <= year_start and convention.end >= year_end and annual_deadline < today:
        periods.append((year_start, year_end, annual_deadline))
    return periods


def _owed_reports(conventions, today) -> list[Alert]:
    owed = [(c, period) for c in conventions for period in _periods_due(c, today)]
    if not owed:
        return []
    # The bilans sent by these employers over these periods, in one query (one per
    # convention and period grew with the département's conventions).
    sent = set(
        Report.objects.filter(
            status=ReportStatus.SENT,
            employer__in={convention.employer_id for convention, _ in owed},
            period_start__gte=min(period[0] for _, period in owed),
        ).values_list("employer_id", "period_start", "period_end")
    )
    return [
        Alert(
            AlertKind.REPORT,
            convention,
            deadline,
            f"report-{start:%Y%m%d}-{end:%Y%m%d}",
            f"Bilan du {start:%d/%m/%Y} au {end:%d/%m/%Y} non transmis "
            f"(attendu le {deadline:%d/%m/%Y}).",
        )
        for convention, (start, end, deadline) in owed
        if (convention.employer_id, start, end) not in sent
    ]


def pending_alerts(conventions, today: datetime.date | None = None) -> list[Alert]:
    """What deserves attention today among these conventions (a queryset)."""
    today = today or timezone.localdate()
    # Read once: notices, expiries and bilans owed are picked from the same rows.
    in_force = list(conventions.in_force().select_related("employer"))
    alerts = []
    notice_end = add_months(today, NOTICE_WINDOW_MONTHS)
    for convention in in_force:
        deadline = convention.notice_deadline
        if convention.tacit_renewal and deadline and today <= deadline <= notice_end:
            alerts.append(
                Alert(
                    AlertKind.NOTICE,
                    convention,
                    deadline,
                    "",
                    f"Dénonciation possible jusqu'au {deadline:%d/%m/%Y}, "
                    "sinon reconduction tacite.",
                )
            )
    expiry_end = add_months(today, EXPIRY_WINDOW_MONTHS)
    for convention in in_force:
        if today <= convention.end <= expiry_end:
            alerts.append(
                Alert(
                    AlertKind.EXPIRY,
                    convention,
                    convention.end,
                    "",
                    f"La convention arrive à échéance le {convention.end:%d/%m/%Y}.",
                )
            )
    overdue = (
        FundingLine.objects.overdue(today)
        .filter(convention__in=conventions)
        .select_related("funder", "convention__employer")
    )
    for line in overdue:
        alerts.append(
            Alert(
                AlertKind.OVERDUE,
                line.convention,
                line.due_date,
                f"funding-{line.pk}",
                f"{line.funder} ({line.year}) : {euros(line.remaining)} accordés non versés "
                f"au {line.due_date:%d/%m/%Y}.",
            )
        )
    alerts.extend(_owed_reports(in_force, today))
    return sorted(alerts, key=lambda a: (a.deadline, a.convention.pk, a.kind))


@transaction.atomic
def record_new_alerts(today: datetime.date | None = None) -> list[int]:
    """Stores each alert once with its e-mails, sent once the transaction commits."""
    created_ids = []
    for alert in pending_alerts(Convention.objects.all(), today):
        sent, created = SentAlert.objects.get_or_create(
            convention=alert.convention,
            kind=alert.kind,
            deadline=alert.deadline,
            key=alert.key,
            defaults={"message": alert.message[:300]},
        )
        if created:
            created_ids.append(sent.pk)
            send_alert(sent.pk)
    return created_ids


def alert_recipients(convention: Convention) -> list[str]:
    memberships = Membership.objects.active().filter(user__is_active=True)
    admins = memberships.filter(role=Role.ADMIN, department_id=convention.employer.department_id)
    managers = memberships.filter(role=Role.EMPLOYER_MANAGER, employer_id=convention.employer_id)
    emails = set(admins.values_list("user__email", flat=True))
    emails |= set(managers.values_list("user__email", flat=True))
    return sorted(emails)


@transaction.atomic
def send_alert(alert_id: int) -> bool:
    """Writes the e-mails of one stored alert to the outbox, once: a second call does
    nothing. ``sent_at``: when they were handed to the outbox."""
    alert = (
        SentAlert.objects.select_for_update()
        .select_related("convention__employer")
        .filter(pk=alert_id, sent_at__isnull=True)
        .first()
    )
    if alert is None:
        return False
    recipients = alert_recipients(alert.convention)
    if recipients:
        context = {"alert": alert, "convention": alert.convention, "site_url": settings.SITE_URL}
        outbox_enqueue(
            event_key=f"convention_alert:{alert.pk}",
            recipients=recipients,
            subject=f"[ISCG] {alert.get_kind_display()} – {alert.convention.title}"[:200],
            body=render_to_string("conventions/email/alert.txt", context),
        )
    alert.sent_at = timezone.now()
    alert.save(update_fields=["sent_at"])
    return True
