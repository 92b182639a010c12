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

Two queries, whatever the number of posts and employers: the posts in reach, then the
bilans owed of those posts and their employers, through the bilans' read gate.
"""

import datetime
import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Exists, F, OuterRef, Q, Value
from django.utils import timezone

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

    managed = access.managed_employer_ids(user).filter(content_object_id=OuterRef("employer_id"))
    posts = list(
        Post.objects.filter(
            reduce(operator.or_, [r for r in (monthly_reach, employer_reach) if r is not None]),
            is_active=True,
        )
        .distinct()
        .annotate(
            employer_name=F("employer__name"),
            for_monthly=reached(monthly_reach),
            for_employer=reached(employer_reach),
            by_manager=Exists(managed),
        )
        .order_by("employer__name", "employer_id", "label", "pk")
        .values(
            "pk",
            "label",
            "employer_id",
            "employer_name",
            "for_monthly",
            "for_employer",
            "by_manager",
        )
    )
    latest = _latest_reports(user, periods, posts)
    worked = set(access.worked_post_ids(user))
    author = AUTHOR_ROLES.allow(user)
    monthly, by_employer = [], []
    seen_employers = set()
    for post in posts:
        if post["for_monthly"]:
            monthly.append(
                Owed(
                    ReportKind.MONTHLY,
                    periods[ReportKind.MONTHLY],
                    f"Poste : {post['label']}",
                    f"post:{post['pk']}",
                    latest.get((ReportKind.MONTHLY, post["pk"])),
                    author and (post["pk"] in worked or post["by_manager"]),
                    today,
                )
            )
        employer = post["employer_id"]
        if employer in seen_employers or not post["for_employer"]:
            continue
        seen_employers.add(employer)
        for kind in (ReportKind.QUARTERLY, ReportKind.ANNUAL):
            by_employer.append(
                Owed(
                    kind,
                    periods[kind],
                    f"Employeur : {post['employer_name']}",
                    f"employer:{employer}",
                    latest.get((kind, employer)),
                    author and post["by_manager"],
                    today,
                )
            )
    return monthly + by_employer


def _latest_reports(user, periods: dict, posts: list[dict]) -> dict:
    """The newest version the user may read of each owed bilan, by (kind, post id) for a
    post's monthly bilan and (kind, employer id) for an employer's: for a recipient, the
    one sent to them even when its authors computed a newer one, still a draft they cannot
    see. One query through the bilans' read gate, for the few periods owed: written as
    subqueries of the posts' query, the gate was compiled three times, and building that
    query cost five times its execution."""
    monthly = [p["pk"] for p in posts if p["for_monthly"]]
    employers = {p["employer_id"] for p in posts if p["for_employer"]}
    wanted = []
    if monthly:
        period = periods[ReportKind.MONTHLY]
        wanted.append(
            Q(kind=ReportKind.MONTHLY, scope_kind=ScopeKind.POST, scope_post_id__in=monthly)
            & Q(period_start=period.start, period_end=period.end)
        )
    for kind in (ReportKind.QUARTERLY, ReportKind.ANNUAL):
        if employers:
            period = periods[kind]
            wanted.append(
                Q(kind=kind, scope_kind=ScopeKind.EMPLOYER, employer_id__in=employers)
                & Q(period_start=period.start, period_end=period.end)
            )
    if not wanted:
        return {}
    found = (
        Report.objects.visible_to(user)
        .filter(reduce(operator.or_, wanted))
        .order_by("-version")
        .values_list("kind", "scope_post_id", "employer_id", "pk", "status", "sent_at")
    )
    latest = {}
    for kind, post, employer, pk, status, sent_at in found:
        key = (kind, post if kind == ReportKind.MONTHLY else employer)
        latest.setdefault(key, Latest(pk, status, sent_at))
    return latest


def _reach(user, period: Period) -> tuple[Q | None, Q | None]:
    """Posts whose monthly bilan the user writes (worker, employer manager) or receives
    (unit lead of a unit they serve); posts of the employers whose quarterly and annual
    bilans the user writes (employer manager) or receives (préfecture and admin of the
    département, funders of one of its posts over the periods owed). As conditions on
    posts, read by the posts' query of ``owed_reports``."""
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
