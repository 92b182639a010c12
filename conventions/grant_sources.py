"""Who is granted "view_convention": funder users of a funder party, employer managers."""

from collections import defaultdict

from conventions.models import Convention, ConventionParty
from iscg.enums import Role
from iscg.grants import GrantSource
from iscg.models import Membership


def convention_readers(user_ids):
    memberships = Membership.objects.active().filter(
        role__in=[Role.FUNDER, Role.EMPLOYER_MANAGER], user__is_active=True
    )
    if user_ids is not None:
        memberships = memberships.filter(user_id__in=user_ids)
    users_by_funder, users_by_employer = defaultdict(set), defaultdict(set)
    for user_id, role, funder_id, employer_id in memberships.values_list(
        "user_id", "role", "funder_id", "employer_id"
    ):
        if role == Role.FUNDER and funder_id:
            users_by_funder[funder_id].add(user_id)
        elif role == Role.EMPLOYER_MANAGER and employer_id:
            users_by_employer[employer_id].add(user_id)

    pairs = set()
    for funder_id, convention_id in ConventionParty.objects.filter(
        funder_id__in=users_by_funder
    ).values_list("funder_id", "convention_id"):
        pairs.update((user_id, convention_id) for user_id in users_by_funder[funder_id])
    for employer_id, convention_id in Convention.objects.filter(
        employer_id__in=users_by_employer
    ).values_list("employer_id", "pk"):
        pairs.update((user_id, convention_id) for user_id in users_by_employer[employer_id])
    return pairs


SOURCE = GrantSource(
    "conventions.ConventionUserObjectPermission", "view_convention", convention_readers
)
