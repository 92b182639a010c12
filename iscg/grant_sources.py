"""The organisation's grant sources: posts held, units followed, employers managed."""

from iscg.enums import Role
from iscg.grants import GrantSource
from iscg.models import Membership, PostHolding


def _restrict(queryset, user_ids, field="user_id"):
    return queryset if user_ids is None else queryset.filter(**{f"{field}__in": user_ids})


def posts_worked(user_ids):
    holdings = PostHolding.objects.current().filter(worker__is_active=True)
    return _restrict(holdings, user_ids, "worker_id").values_list("worker_id", "post_id")


def units_followed(user_ids):
    pairs = set()
    memberships = _restrict(
        Membership.objects.active().filter(
            role__in=[Role.UNIT_AGENT, Role.UNIT_LEAD], user__is_active=True
        ),
        user_ids,
    ).select_related("unit")
    for membership in memberships:
        if membership.role == Role.UNIT_AGENT:
            pairs.add((membership.user_id, membership.unit_id))
        else:
            pairs.update((membership.user_id, pk) for pk in membership.unit.descendant_ids())
    return pairs


def employers_managed(user_ids):
    memberships = Membership.objects.active().filter(
        role=Role.EMPLOYER_MANAGER, user__is_active=True
    )
    return _restrict(memberships, user_ids).values_list("user_id", "employer_id")


SOURCES = [
    GrantSource("iscg.PostUserObjectPermission", "work_on_post", posts_worked),
    GrantSource("iscg.UnitUserObjectPermission", "follow_unit", units_followed),
    GrantSource("iscg.EmployerUserObjectPermission", "manage_employer", employers_managed),
]
