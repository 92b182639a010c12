"""Reads of the departmental administration: whom an administrator manages, what she reads.

An administrator (role ``admin``) manages the accounts holding, or having held, a role in
one of her départements, and the accounts attached to no département yet (just invited);
never a superuser's. The technical operator (superuser) reaches everything.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from iscg.models import AccessLog, Department, Membership, User
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
    return queryset.filter(is_superuser=False).filter(
        Exists(memberships.filter(department_id__in=administered_department_ids(user)))
        | ~Exists(memberships)
    )


def access_log_rows(user) -> QuerySet[AccessLog]:
    """Rows of the accounts the administrator manages, including failed logins typed with
    one of their e-mail addresses; the operator reads every row."""
    queryset = AccessLog.objects.all()
    if user.is_superuser:
        return queryset
    if not administers(user):
        return queryset.none()
    users = administered_users(user).filter(memberships__isnull=False)
    return queryset.filter(
        Q(user__in=users.values("pk")) | Q(user__isnull=True, username__in=users.values("email"))
    )
