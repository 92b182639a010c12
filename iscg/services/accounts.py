"""Accounts and roles: invitation, memberships, deactivation, second factor.

Each write checks its actor (``iscg.services.actors``), records who did it in the access
log, and recomputes the object grants of the account in the same transaction, so that
access follows the relationship and nothing else.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp import devices_for_user

from iscg.audit import access_log_record
from iscg.enums import Role
from iscg.grants import refresh_user_grants
from iscg.models import AccessAction, AccountSession, Membership, User
from iscg.services.account_mail import send_account_mail, set_password_link
from iscg.services.actors import check_administrator, check_not_self

EMAIL_TAKEN = "Un compte existe déjà avec cette adresse électronique."


def _log(acting_user, action, obj, detail=""):
    if acting_user is not None:
        access_log_record(user=acting_user, action=action, obj=obj, detail=detail)


def _user_department_ids(user) -> set[int]:
    return set(user.memberships.values_list("department_id", flat=True))


def _check_manages(acting_user, user) -> None:
    """The actor administers one of the account's départements (an account with none yet,
    just invited, belongs to whoever administers)."""
    department_ids = _user_department_ids(user)
    if not department_ids:
        check_administrator(acting_user, None)
        return
    last_error = None
    for department_id in department_ids:
        try:
            check_administrator(acting_user, department_id)
            return
        except PermissionDenied as error:  # the account may belong to another of them
            last_error = error
    raise last_error


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    acting_user: User | None,
) -> User:
    check_administrator(acting_user, None)
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": EMAIL_TAKEN})
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def user_invite(
    *, email: str, first_name: str, last_name: str, phone: str = "", acting_user: User | None
) -> User:
    """A new account without a password; its owner chooses one through a single-use link
    sent by e-mail (the administrator never types nor sees it)."""
    user = user_create(
        email=email, first_name=first_name, last_name=last_name, acting_user=acting_user
    )
    if phone:
        user.phone = phone
        user.save(update_fields=["phone"])
    send_account_mail("account_invitation", user, link=set_password_link(user))
    _log(acting_user, AccessAction.ACCOUNT_INVITED, user)
    return user


@transaction.atomic
def user_reinvite(*, user: User, acting_user: User | None) -> User:
    """Sends the link again, for an account that never chose its password."""
    _check_manages(acting_user, user)
    if user.has_usable_password():
        raise ValidationError("Ce compte a déjà choisi son mot de passe.")
    send_account_mail("account_invitation", user, link=set_password_link(user))
    _log(acting_user, AccessAction.ACCOUNT_INVITED, user, detail="nouvel envoi")
    return user


@transaction.atomic
def user_update(
    *, user: User, first_name: str, last_name: str, email: str, phone: str, acting_user
) -> User:
    _check_manages(acting_user, user)
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": EMAIL_TAKEN})
    user.first_name, user.last_name, user.email, user.phone = first_name, last_name, email, phone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "email", "phone"])
    return user


@transaction.atomic
def membership_create(
    *,
    user: User,
    role: str,
    department,
    unit=None,
    employer=None,
    funder=None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    acting_user: User | None,
) -> Membership:
    """A role is exercised for one organisation of the département: a unit, an employer
    or a funder. Nobody gives themselves a role."""
    check_administrator(acting_user, department.pk)
    check_not_self(acting_user, user, "role")
    errors = {}
    for field, target in (("unit", unit), ("employer", employer), ("funder", funder)):
        if target is not None and target.department_id != department.pk:
            errors[field] = "Choisissez une organisation du même département que le rôle."
    needed = {
        Role.UNIT_AGENT: ("unit", unit, "Choisissez l'unité de ce policier ou gendarme."),
        Role.UNIT_LEAD: ("unit", unit, "Choisissez l'unité que cette personne commande."),
        Role.WORKER: ("employer", employer, "Choisissez l'employeur de l'intervenant·e."),
        Role.EMPLOYER_MANAGER: ("employer", employer, "Choisissez l'employeur géré."),
        Role.FUNDER: ("funder", funder, "Choisissez le financeur que cette personne représente."),
    }.get(role)
    if needed is not None and needed[1] is None:
        errors[needed[0]] = needed[2]
    if start and end and end < start:
        errors["end"] = "La fin du rôle précède son début."
    if errors:
        raise ValidationError(errors)
    membership = Membership(
        user=user,
        role=role,
        department=department,
        unit=unit if role in (Role.UNIT_AGENT, Role.UNIT_LEAD) else None,
        employer=employer if role in (Role.WORKER, Role.EMPLOYER_MANAGER) else None,
        funder=funder if role == Role.FUNDER else None,
        start=start,
        end=end,
    )
    membership.full_clean()
    membership.save()
    refresh_user_grants(user)
    _log(acting_user, AccessAction.ROLE_GRANTED, user, detail=str(membership))
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, end: datetime.date, acting_user: User | None):
    check_administrator(acting_user, membership.department_id)
    check_not_self(acting_user, membership.user, "end")
    if membership.start and end < membership.start:
        raise ValidationError({"end": "La fin du rôle précède son début."})
    membership.end = end
    membership.save(update_fields=["end"])
    refresh_user_grants(membership.user)
    _log(acting_user, AccessAction.ROLE_ENDED, membership.user, detail=str(membership))
    return membership


def _end_sessions(user) -> None:
    AccountSession.objects.end_of(user)


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User | None) -> User:
    """A deactivated account loses its sessions and every grant at once (an inactive user
    is anonymous at its next request whatever session it still holds)."""
    _check_manages(acting_user, user)
    check_not_self(acting_user, user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _end_sessions(user)
    refresh_user_grants(user)
    _log(acting_user, AccessAction.ACCOUNT_DEACTIVATED, user)
    return user


@transaction.atomic
def user_reactivate(*, user: User, acting_user: User | None) -> User:
    _check_manages(acting_user, user)
    check_not_self(acting_user, user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    refresh_user_grants(user)
    _log(acting_user, AccessAction.ACCOUNT_REACTIVATED, user)
    return user


@transaction.atomic
def user_otp_reset(*, user: User, acting_user: User | None) -> int:
    """Remove every second-factor device (lost phone): the user enrols again at next login,
    is told by e-mail, and the access log keeps who did it."""
    _check_manages(acting_user, user)
    check_not_self(acting_user, user)
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    if acting_user is not None:
        send_account_mail("otp_reset", user)
    _log(acting_user, AccessAction.OTP_RESET, user, detail=f"{removed} appareil(s) retiré(s)")
    return removed
