"""Writes on the organisation model: roles, post holdings, account deactivation.

Each service recomputes the object grants of the users it touches, in the same
transaction, so that access follows the relationship and nothing else.
"""

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iscg.enums import HoldingKind, Role
from iscg.grants import refresh_user_grants
from iscg.models import Membership, Post, PostHolding, User


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    acting_user: User | None,
) -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Un compte existe déjà avec cette adresse électronique."})
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
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
    acting_user: User | None,
) -> Membership:
    """A role is exercised for one organisation: a unit, an employer or a funder."""
    membership = Membership(
        user=user,
        role=role,
        department=department,
        unit=unit,
        employer=employer,
        funder=funder,
        start=start,
    )
    membership.full_clean()
    membership.save()
    refresh_user_grants(user)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, end: datetime.date, acting_user: User | None):
    membership.end = end
    membership.save(update_fields=["end"])
    refresh_user_grants(membership.user)
    return membership


@transaction.atomic
def post_holding_start(
    *,
    post: Post,
    worker: User,
    start: datetime.date,
    end: datetime.date | None = None,
    kind: str = HoldingKind.HOLDER,
    acting_user: User | None,
) -> PostHolding:
    """A worker takes a post, or stands in for its holder for the period given."""
    if not worker.memberships.active().filter(role=Role.WORKER).exists():
        raise ValidationError("Seul un·e intervenant·e social·e peut être affecté·e à un poste.")
    holding = PostHolding(post=post, worker=worker, start=start, end=end, kind=kind)
    holding.full_clean()
    holding.save()
    refresh_user_grants(worker)
    return holding


@transaction.atomic
def post_holding_end(*, holding: PostHolding, end: datetime.date, acting_user: User | None):
    if end < holding.start:
        raise ValidationError("La fin de l'affectation précède son début.")
    holding.end = end
    holding.save(update_fields=["end"])
    refresh_user_grants(holding.worker)
    return holding


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User | None) -> User:
    """A deactivated account loses its sessions and every grant at once."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            store(session.session_key).delete()  # the cached copy too
    refresh_user_grants(user)
    return user


@transaction.atomic
def user_otp_reset(*, user: User, acting_user: User | None) -> int:
    """Remove every second-factor device (lost phone): the user enrols again at next login."""
    from django_otp import devices_for_user

    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    return removed
