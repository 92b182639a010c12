"""Home blocks of the worker: referrals to take, cases without acte, today's actes."""

from cases.selectors import files as selectors
from iscg.enums import Role
from iscg.home_blocks import register

BLOCK_LIMIT = 10


@register(Role.WORKER, order=10)
def referrals_to_take(request):
    referrals = selectors.referrals_to_take(request.user)
    return {
        "template": "cases/blocks/referrals_to_take.html",
        "referrals": referrals[:BLOCK_LIMIT],
        "count": referrals.count(),
    }


@register(Role.WORKER, order=30)
def stale_cases(request):
    cases = selectors.stale_cases(request.user)
    return {
        "template": "cases/blocks/stale_cases.html",
        "cases": cases[:BLOCK_LIMIT],
        "count": cases.count(),
        "days": selectors.STALE_DAYS,
    }


@register(Role.WORKER, order=40)
def todays_actions(request):
    return {
        "template": "cases/blocks/todays_actions.html",
        "actions": selectors.todays_actions(request.user),
    }
