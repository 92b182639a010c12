"""What a user does on their own account (« Mon compte »): second factor, sessions.

Each write is the account holder's own, checked here, and recorded in the access log.
An administrator's resets go through ``iscg.services.accounts``.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Upper
from django_otp import devices_for_user

from iscg.audit import access_log_record
from iscg.models import AccessAction, AccessLog, AccountSession, User
from iscg.pagination import OrderedParts


def _check_holder(user: User, acting_user) -> None:
    if acting_user is None or acting_user.pk != user.pk:
        raise PermissionDenied("Seul·e le ou la titulaire du compte peut le faire ici.")


@transaction.atomic
def own_authenticator_remove(*, user: User, acting_user, request=None) -> int:
    """Removes the account's authenticator and recovery codes. The caller checks that the
    session gave its second factor: a password alone must not remove it."""
    _check_holder(user, acting_user)
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    access_log_record(
        user=acting_user,
        action=AccessAction.OTP_RESET,
        request=request,
        obj=user,
        detail=f"retiré par le titulaire ({removed} appareil(s))",
    )
    return removed


def own_sessions_end_others(*, user: User, keep_session_key: str | None, acting_user) -> int:
    """Ends every session of the account but the one given (the holder's current one)."""
    _check_holder(user, acting_user)
    return AccountSession.objects.end_of(user, keep=keep_session_key)


def own_sessions_count(user: User, keep_session_key: str | None) -> int:
    return AccountSession.objects.live_of(user).exclude(session_key=keep_session_key).count()


def recent_logins(user: User, limit: int = 10):
    """The account's latest logins and failures, from the access log: its logins from
    their own index and the failures typed with its address from theirs, each read
    newest first up to ``limit`` and merged. Asked as one condition, the log was read
    back through every page the account had read since."""
    entries = AccessLog.objects.all()
    logins = entries.filter(user=user, action=AccessAction.LOGIN)
    failures = entries.alias(typed=Upper("username")).filter(
        user__isnull=True, action=AccessAction.LOGIN_FAILED, typed=Upper(Value(user.email))
    )
    return OrderedParts([logins, failures], AccessLog._meta.ordering)[:limit]
