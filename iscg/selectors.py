"""Reads of the departmental administration: whom an administrator manages, what she reads.

An administrator (role ``admin``) manages the accounts holding, or having held, a role in
one of her départements, and the accounts attached to no département yet (just invited);
never a superuser's. The technical operator (superuser) reaches everything.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Upper

from iscg.models import AccessLog, Department, Membership, User
from iscg.pagination import OrderedParts
from iscg.permissions import ADMINISTRATION


def administered_department_ids(user) -> list[int]:
    """Départements where the user holds the admin role (every one for the operator)."""
    return list(Department.objects.administered_by(user).values_list("pk", flat=True))


def administers(user) -> bool:
    return ADMINISTRATION.allow(user)


def administered_users(user) -> QuerySet[User]:
    queryset = User.objects.all()
    if user.is_superuser:
        return queryset
    if not administers(user):
        return queryset.none()
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    mine = memberships.filter(department_id__in=administered_department_ids(user))
    return queryset.filter(is_superuser=False).filter(_unattached(memberships) | Exists(mine))


def _unattached(memberships):
    """Attached to no département: by the flag, read from its index, and checked against
    the memberships themselves for the few rows it gives: a role saved without
    Membership.save (a process of the previous version during a deployment, a restored
    row) would otherwise leave an account of another département in every
    administrator's reach."""
    return Q(attached=False) & ~Exists(memberships)


USER_ORDER = ("last_name", "first_name", "email")


def administered_users_listed(user) -> QuerySet[User] | OrderedParts:
    """``administered_users`` in name order, read as two lists: the accounts of the
    administered départements from their memberships, and the accounts attached to none
    from their own index. Asked as one condition, every account of the country was read
    to find them."""
    queryset = User.objects.order_by(*USER_ORDER)
    if user.is_superuser:
        return queryset
    if not administers(user):
        return queryset.none()
    queryset = queryset.filter(is_superuser=False)
    members = Membership.objects.filter(department_id__in=administered_department_ids(user))
    return OrderedParts(
        [queryset.filter(pk__in=members.values("user_id"))],
        USER_ORDER,
        small=[queryset.filter(_unattached(Membership.objects.filter(user=OuterRef("pk"))))],
    )


def access_log_rows(user) -> QuerySet[AccessLog] | OrderedParts:
    """Rows of the accounts the administrator manages, including failed logins typed with
    one of their e-mail addresses; the operator reads every row.

    One part per account, read newest first from its (user, created_at) index, and one
    for the failed logins: the log holds every département's entries, and read as one
    list filtered by account it was walked back through all of them (and the members of
    every département read again) to find a page of this one's."""
    queryset = AccessLog.objects.all()
    if user.is_superuser:
        return queryset
    if not administers(user):
        return queryset.none()
    # administered_users with a membership: those with one in the administered
    # départements, read from the memberships' département index (asked as « or without
    # any membership », every user of the country was read).
    accounts = list(
        User.objects.filter(
            is_superuser=False, memberships__department_id__in=administered_department_ids(user)
        )
        .order_by()
        .distinct()
        .values_list("pk", "email")
    )
    if not accounts:
        return queryset.none()
    order = AccessLog._meta.ordering
    # Typed in any case: « Jean.Martin@… » is the account's address too.
    failed_logins = queryset.alias(typed=Upper("username")).filter(
        user__isnull=True, typed__in=[email.upper() for _, email in accounts]
    )
    return OrderedParts(
        [queryset.filter(user_id=pk) for pk, _ in accounts] + [failed_logins], order
    )
