"""Home blocks of the worker: referrals to take, cases without acte, today's actes."""

from cases.selectors import files as selectors
from iscg.enums import Role
from iscg.home_blocks import register

BLOCK_LIMIT = 10
TODAYS_ACTIONS_LIMIT = 30

# The columns each block shows, and only those: a dashboard row is built from a few fields,
# not from every column of the referral, case or acte (never a confidential note).
PERSON = ("last_name", "first_name")
REFERRAL_ROW = (
    "number",
    "urgency",
    "received_at",
    "origin",
    "person_last_name",
    "person_first_name",
    "source_unit__name",
    "main_problem__label",
)
STALE_CASE_ROW = ("opened_on", *(f"beneficiary__{field}" for field in PERSON))
TODAYS_ACTION_ROW = (
    "occurred_at",
    "kind__label",
    "site__name",
    *(f"case__beneficiary__{field}" for field in PERSON),
)


@register(Role.WORKER, order=10)
def referrals_to_take(request):
    referrals, count = selectors.with_total(
        selectors.referrals_to_take(request.user).only(*REFERRAL_ROW), BLOCK_LIMIT
    )
    return {
        "template": "cases/blocks/referrals_to_take.html",
        "referrals": referrals,
        "count": count,
    }


@register(Role.WORKER, order=30)
def stale_cases(request):
    cases, count = selectors.with_total(
        selectors.stale_cases(request.user).only(*STALE_CASE_ROW), BLOCK_LIMIT
    )
    return {
        "template": "cases/blocks/stale_cases.html",
        "cases": cases,
        "count": count,
        "days": selectors.STALE_DAYS,
    }


@register(Role.WORKER, order=40)
def todays_actions(request):
    # One row more than shown tells whether the day holds more actes, without counting them.
    actions = list(
        selectors.todays_actions(request.user).only(*TODAYS_ACTION_ROW)[: TODAYS_ACTIONS_LIMIT + 1]
    )
    return {
        "template": "cases/blocks/todays_actions.html",
        "actions": actions[:TODAYS_ACTIONS_LIMIT],
        "more": len(actions) > TODAYS_ACTIONS_LIMIT,
        "limit": TODAYS_ACTIONS_LIMIT,
    }
