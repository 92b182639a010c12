"""Home blocks of the worker: referrals to take, cases without acte, today's actes.

Each block reads the columns it shows, and only those, as plain rows (``values()``): a
dashboard row is a few fields, not a referral, a case or an acte with every column
(never a confidential note), and building dozens of model instances per block cost more
than the queries themselves.
"""

from cases.enums import ReferralOrigin
from cases.files import selectors
from cases.models import Beneficiary, Referral
from iscg import request_memo
from iscg.enums import Role
from iscg.home_blocks import register

BLOCK_LIMIT = 10
TODAYS_ACTIONS_LIMIT = 30

REFERRAL_ROW = (
    "pk",
    "number",
    "urgency",
    "received_at",
    "origin",
    "person_last_name",
    "person_first_name",
    "source_unit__name",
    "main_problem__label",
)
STALE_CASE_ROW = (
    "pk",
    "opened_on",
    "last_action_at",
    "beneficiary_id",
    "beneficiary__last_name",
    "beneficiary__first_name",
)
TODAYS_ACTION_ROW = (
    "occurred_at",
    "case_id",
    "kind__label",
    "site__name",
    "case__beneficiary_id",
    "case__beneficiary__last_name",
    "case__beneficiary__first_name",
)


@register(Role.WORKER, order=10)
def referrals_to_take(request):
    referrals, count = selectors.with_total(
        selectors.referrals_to_take(request.user).values(*REFERRAL_ROW), BLOCK_LIMIT
    )
    # The menu's badge « Saisines » shows the same count: read here with the rows.
    request_memo.keep(request.user, selectors.WAITING_REFERRALS, count)
    origins = dict(ReferralOrigin.choices)
    for row in referrals:
        row["person"] = Referral.person_name_of(row["person_last_name"], row["person_first_name"])
        row["source"] = row["source_unit__name"] or origins.get(row["origin"], row["origin"])
    return {
        "template": "cases/referrals/blocks/referrals_to_take.html",
        "referrals": referrals,
        "count": count,
    }


@register(Role.WORKER, order=30)
def stale_cases(request):
    cases, count = selectors.with_total(
        selectors.stale_cases(request.user).values(*STALE_CASE_ROW), BLOCK_LIMIT
    )
    for row in cases:
        row["person"] = Beneficiary.name_of(
            row["beneficiary_id"], row["beneficiary__last_name"], row["beneficiary__first_name"]
        )
    return {
        "template": "cases/files/blocks/stale_cases.html",
        "cases": cases,
        "count": count,
        "days": selectors.STALE_DAYS,
    }


@register(Role.WORKER, order=40)
def todays_actions(request):
    actions, count = selectors.with_total(
        selectors.todays_actions(request.user).values(*TODAYS_ACTION_ROW), TODAYS_ACTIONS_LIMIT
    )
    name_todays_actions(actions)
    return {
        "template": "cases/files/blocks/todays_actions.html",
        "actions": actions,
        "count": count,
    }


def name_todays_actions(actions) -> None:
    for row in actions:
        row["person"] = Beneficiary.name_of(
            row["case__beneficiary_id"],
            row["case__beneficiary__last_name"],
            row["case__beneficiary__first_name"],
        )
