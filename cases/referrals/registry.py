"""Menu entries and home blocks of the referral pages, registered from CasesConfig.ready."""

from cases.enums import ReferralStatus
from cases.files.selectors import WAITING_REFERRALS, with_total
from cases.models import Referral, ReferralListVisit
from cases.referrals.access import UNIT_ROLES, WORKER_ROLES
from cases.referrals.selectors import (
    FeedbackDueReason,
    by_unit,
    feedback_due,
    with_feedback_since,
)
from iscg import access, home_blocks, navigation, request_memo
from iscg.enums import Role
from iscg.navigation import MenuEntry
from iscg.permissions import Roles


def _waiting_referrals(user) -> int:
    """Saisines received by the worker's posts and not yet taken into account: counted
    with its rows by the home page's block when the page shows it (cases.home), else
    here."""
    return request_memo.once(
        user,
        WAITING_REFERRALS,
        lambda: (
            Referral.objects.for_workers_of(user).filter(status=ReferralStatus.RECEIVED).count()
        ),
    )


def register() -> None:
    navigation.register(
        MenuEntry("Nouvelle saisine", "referrals:unit_create", UNIT_ROLES, 10),
        MenuEntry("Mes saisines", "referrals:unit_list", Roles((Role.UNIT_AGENT,)), 20),
        MenuEntry("Saisines de l'unité", "referrals:unit_list", Roles((Role.UNIT_LEAD,)), 20),
        MenuEntry("Saisines", "referrals:worker_list", WORKER_ROLES, 15, _waiting_referrals),
        MenuEntry("Auto-saisines", "referrals:auto_bulk", WORKER_ROLES, 40),
    )


# New feedbacks are counted up to this many (« plus de 100 »): a user who never opened the
# list would otherwise have every answered referral of the units counted.
ANSWERED_COUNT_LIMIT = 100


@home_blocks.register(Role.UNIT_AGENT, order=10)
@home_blocks.register(Role.UNIT_LEAD, order=10)
def unit_latest_referrals(request):
    units = access.followed_unit_ids(request.user)
    referrals = Referral.objects.for_units_of(request.user)
    # What changed since the user last opened their saisines (read, not moved forward:
    # the list marks them and moves it).
    visit = ReferralListVisit.objects.filter(user=request.user).first()
    since = visit.seen_at if visit else None
    latest, answered, answered_count = [], [], 0
    if units:
        columns = ("pk", "number", "received_at", "status", "source_unit__name")
        latest = by_unit(referrals.values(*columns), units, ("-received_at", "-pk"))[:5]
        answered_rows = by_unit(
            with_feedback_since(referrals, since).values(*columns, "last_feedback_at"),
            units,
            ("-last_feedback_at", "-pk"),
        )
        # The 101 latest rows tell the count up to 100 in the same query.
        answered = answered_rows[: ANSWERED_COUNT_LIMIT + 1]
        answered_count, answered = len(answered), answered[:5]
    labels = dict(ReferralStatus.choices)
    for row in (*latest, *answered):
        row["status_label"] = labels[row["status"]]
    return {
        "template": "cases/referrals/blocks/unit_latest.html",
        "latest": latest,
        "answered": answered,
        "answered_count": min(answered_count, ANSWERED_COUNT_LIMIT),
        "answered_more": answered_count > ANSWERED_COUNT_LIMIT,
        "since": since,
        "is_lead": access.has_role(request.user, Role.UNIT_LEAD),
    }


# What a row of the block shows, and only that, as a plain row (as in cases.home).
FEEDBACK_DUE_ROW = ("pk", "number", "received_at", "source_unit__name", "due_reason")
FEEDBACK_DUE_LIMIT = 10


@home_blocks.register(Role.WORKER, order=20)
def worker_feedback_due(request):
    due, count = with_total(
        feedback_due(Referral.objects.for_workers_of(request.user)).values(*FEEDBACK_DUE_ROW),
        FEEDBACK_DUE_LIMIT,
    )
    for row in due:
        row["due_label"] = FeedbackDueReason.LABELS[row["due_reason"]]
    return {
        "template": "cases/referrals/blocks/worker_feedback_due.html",
        "due": due,
        "count": count,
    }
