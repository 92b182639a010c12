"""The bilans owed, and when: what the home page and the list of bilans say is expected.

The cahier des charges asks for a monthly bilan of each post with its unit lead
(autorité fonctionnelle), quarterly and annual figures of the operator for the préfecture
and the funders, the annual bilans before the annual steering committee. It sets no day;
the deadlines kept are the application's (``reporting.periods.due_date``), stated in the
methodology page: a post's monthly bilan of the last month by the 15th of the following
month, an employer's quarterly bilan of the last quarter by the end of the following
month, its annual bilan of the last year by 31 March.

Authors (workers, employer managers) see where each of theirs stands; recipients (unit
leads, préfecture, admin, funders) whether it was sent to them or is late. The bilans are
read through ``Report.objects.visible_to``: a recipient never learns a draft exists.

One query, whatever the number of posts and employers: the posts in reach, each with
its monthly bilan and its employer's quarterly and annual ones as JSON subqueries.
"""

import datetime
import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from conventions.selectors import funded_posts
from iscg import access
from iscg.enums import Role
from iscg.models import Post
from reporting.models import Report, ReportKind, ReportStatus
from reporting.periods import Period, due_date, preset
from reporting.roles import AUTHOR_ROLES
from reporting.scope import ScopeKind

PRESETS = {ReportKind.MONTHLY: "month", ReportKind.QUARTERLY: "quarter", ReportKind.ANNUAL: "year"}


@dataclass(frozen=True)
class Latest:
    """The latest version of an owed bilan that the user may read."""

    pk: int
    status: str
    sent_at: datetime.datetime | None


@dataclass
class Owed:
    kind: str
    period: Period
    scope_label: str
    report_scope: str  # as the creation form names it: "post:12", "employer:3"
    report: Latest | None
    as_author: bool
    today: datetime.date

    @property
    def title(self) -> str:
        return f"Bilan {ReportKind(self.kind).label.lower()} {self.period.short_label()}"

    @property
    def due(self) -> datetime.date:
        return due_date(self.kind, self.period)

    @property
    def create_query(self) -> str:
        """The creation form's fields for this bilan (the author's "Établir" link)."""
        return f"kind={self.kind}&scope={self.report_scope}&preset={PRESETS[self.kind]}"

    @property
    def done(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.SENT

    @property
    def late(self) -> bool:
        return not self.done and self.today > self.due

    @property
    def state(self) -> str:
        report = self.report
        if self.done:
            verb = "Envoyé" if self.as_author else "Reçu"
            return f"{verb} le {timezone.localdate(report.sent_at):%d/%m/%Y}"
        if not self.as_author or report is None:
            waiting = "À établir" if self.as_author else "Attendu"
            return f"En retard : {waiting.lower()}" if self.late else waiting
        if report.status == ReportStatus.VALIDATED:
            return "Validé, à envoyer"
        return "Brouillon, à valider"


def owed_reports(user, today: datetime.date | None = None) -> list[Owed]:
    today = today or timezone.localdate()
    periods = {kind: preset(name, today) for kind, name in PRESETS.items()}
    monthly_reach, employer_reach = _reach(user, Period(periods["annual"].start, today))
    if monthly_reach is None and employer_reach is None:
        return []

    def reached(reach):
        if reach is None:
            return Value(False)
        return Exists(Post.objects.filter(reach, pk=OuterRef("pk")))

    # The newest version the user may read: for a recipient, the one sent to them even when
    # its authors computed a newer one, still a draft they cannot see.
    visible = Report.objects.visible_to(user).order_by("-version")
    summary = JSONObject(pk="pk", status="status", sent_at="sent_at")

    def latest(kind, **scope):
        period = periods[kind]
        found = visible.filter(
            kind=kind, period_start=period.start, period_end=period.end, **scope
        ).values(summary=summary)
        return Subquery(found[:1])

    this_post, owner = OuterRef("pk"), OuterRef("employer_id")
    managed = access.managed_employer_ids(user).filter(content_object_id=owner)
    posts = (
        Post.objects.filter(
            reduce(operator.or_, [r for r in (monthly_reach, employer_reach) if r is not None]),
            is_active=True,
        )
        .distinct()
        .select_related("employer")
        .annotate(
            monthly=latest(ReportKind.MONTHLY, scope_kind=ScopeKind.POST, scope_post=this_post),
            quarterly=latest(
                ReportKind.QUARTERLY,
                scope_kind=ScopeKind.EMPLOYER,
                employer=OuterRef("employer_id"),
            ),
            annual=latest(
                ReportKind.ANNUAL, scope_kind=ScopeKind.EMPLOYER, employer=OuterRef("employer_id")
            ),
            for_monthly=reached(monthly_reach),
            for_employer=reached(employer_reach),
            by_manager=Exists(managed),
        )
        .order_by("employer__name", "employer_id", "label", "pk")
    )
    worked = set(access.worked_post_ids(user))
    author = AUTHOR_ROLES.allow(user)
    monthly, by_employer = [], []
    seen_employers = set()
    for post in posts:
        if post.for_monthly:
            monthly.append(
                Owed(
                    ReportKind.MONTHLY,
                    periods[ReportKind.MONTHLY],
                    f"Poste : {post.label}",
                    f"post:{post.pk}",
                    _latest(post.monthly),
                    author and (post.pk in worked or post.by_manager),
                    today,
                )
            )
        if post.employer_id in seen_employers or not post.for_employer:
            continue
        seen_employers.add(post.employer_id)
        for kind, summary_of in (
            (ReportKind.QUARTERLY, post.quarterly),
            (ReportKind.ANNUAL, post.annual),
        ):
            by_employer.append(
                Owed(
                    kind,
                    periods[kind],
                    f"Employeur : {post.employer.name}",
                    f"employer:{post.employer_id}",
                    _latest(summary_of),
                    author and post.by_manager,
                    today,
                )
            )
    return monthly + by_employer


def _latest(summary: dict | None) -> Latest | None:
    if not summary:
        return None
    sent_at = summary.get("sent_at")
    if isinstance(sent_at, str):
        sent_at = parse_datetime(sent_at)
        if sent_at is not None and timezone.is_naive(sent_at):
            sent_at = timezone.make_aware(sent_at, datetime.UTC)
    return Latest(summary["pk"], summary["status"], sent_at)


def _reach(user, period: Period) -> tuple[Q | None, Q | None]:
    """Posts whose monthly bilan the user writes (worker, employer manager) or receives
    (unit lead of a unit they serve); posts of the employers whose quarterly and annual
    bilans the user writes (employer manager) or receives (préfecture and admin of the
    département, funders of one of its posts over the periods owed). As conditions on
    posts, read by the one query of ``owed_reports``."""
    monthly, employer = [], []
    worked = access.worked_post_ids(user)
    if worked:
        monthly.append(Q(pk__in=worked))
    if access.has_role(user, Role.EMPLOYER_MANAGER):
        managed = Q(employer_id__in=access.managed_employer_ids(user).values("content_object_id"))
        monthly.append(managed)
        employer.append(managed)
    led = access.led_unit_ids(user)
    if led:
        monthly.append(Q(units__in=led))
    steered = access.department_ids(user, roles=[Role.PREFECTURE, Role.ADMIN])
    if steered:
        employer.append(Q(employer__department_id__in=steered))
    funders = access.funder_ids(user)
    if funders:
        funded = funded_posts(funder_ids=funders, start=period.start, end=period.end)
        employer.append(Q(employer_id__in=Post.objects.filter(pk__in=funded).values("employer_id")))
    return (
        reduce(operator.or_, monthly) if monthly else None,
        reduce(operator.or_, employer) if employer else None,
    )
