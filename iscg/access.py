"""What a user's roles and object grants reach, as ids for ``visible_to``.

This module is the only place that reads django-guardian's tables; querysets call it,
views and templates never do.

The posts and units a user reaches are read once per user object (one request) and handed
to querysets as lists of ints: ``post_id IN (1, 2)`` lets PostgreSQL use the (post, …)
indexes where a subquery on the grant table made it guess. A change of grants goes through
``iscg.grants.refresh_user_grants``, which calls ``clear_cache``; code that changes grants
otherwise and keeps using the same user object calls ``clear_cache`` itself.

A grant is recomputed from the holdings and memberships by services and by an hourly
task; access that comes from a holding, a stand-in or a membership ends the moment it
ends, so every grant read here is also checked against today's date: the holding or
membership it comes from must still run today.
"""

from django.apps import apps
from django.db.models import Q, QuerySet

from iscg import request_memo
from iscg.enums import Role

ACCESS_STORE = "_access_cache"


def _cached(user, key, compute):
    return request_memo.once(user, key, compute, store=ACCESS_STORE)


def clear_cache(user) -> None:
    user = request_memo.unwrapped(user)
    user.__dict__.pop(ACCESS_STORE, None)
    user.__dict__.pop("_roles_cache", None)


def memberships(user):
    return _cached(user, "memberships", lambda: list(user.memberships.active()))


def department_ids(user, roles=None) -> list[int]:
    """Départements in which the user holds one of ``roles`` (any role if None)."""
    return sorted({m.department_id for m in memberships(user) if roles is None or m.role in roles})


def has_role(user, *roles) -> bool:
    return any(m.role in roles for m in memberships(user))


def _granted_ids(user, model_name: str, codename: str) -> QuerySet:
    # Cycle: iscg.models' querysets (visible_to) import this module.
    from iscg.models import (
        EmployerUserObjectPermission,
        PostUserObjectPermission,
        UnitUserObjectPermission,
    )

    table = {
        "post": PostUserObjectPermission,
        "unit": UnitUserObjectPermission,
        "employer": EmployerUserObjectPermission,
    }[model_name]
    return table.objects.filter(user_id=user.pk, permission__codename=codename).values(
        "content_object_id"
    )


def _granted_id_list(user, model_name: str, codename: str) -> list[int]:
    if user.pk is None:
        return []
    return _cached(
        user,
        f"{model_name}:{codename}",
        lambda: sorted(
            _granted_ids(user, model_name, codename).values_list("content_object_id", flat=True)
        ),
    )


def worked_post_ids(user) -> list[int]:
    """Posts whose files the user may open: held, or stood in for, today."""
    # Cycle: iscg.models' querysets (visible_to) import this module.
    from iscg.models import PostHolding

    if user.pk is None:
        return []

    def compute():
        # Memberships first (already read): a user without a worker's membership running
        # today works on no post (a unit's, an employer's or the préfecture's pages asked
        # the post grants of each of their users for nothing).
        if not any(m.role == Role.WORKER for m in memberships(user)):
            return []
        current = PostHolding.objects.current().filter(worker_id=user.pk).values("post_id")
        return sorted(
            _granted_ids(user, "post", "work_on_post")
            .filter(content_object_id__in=current)
            .values_list("content_object_id", flat=True)
        )

    return _cached(user, "post:work_on_post", compute)


def unit_ids_under(unit_ids: set[int]) -> set[int]:
    """These units and every unit below them, the one walk of the units' hierarchy (a
    lead's units, a unit's ``descendant_ids``, the units a worker records referrals of)."""
    # Cycle: iscg.models' querysets (visible_to) import this module.
    from iscg.models import Unit

    if not unit_ids:
        return set()
    # The units of their départements (a département's units form its hierarchy: a
    # groupement, its compagnies, their brigades; a few dozen), read in one query and walked
    # here: a query per level cost every page of a unit lead one more query.
    departments = Unit.objects.filter(pk__in=unit_ids).values("department_id")
    children: dict[int, list[int]] = {}
    units = Unit.objects.filter(department_id__in=departments).order_by()
    for pk, parent in units.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, frontier = set(unit_ids), list(unit_ids)
    while frontier:
        below = [
            child for unit in frontier for child in children.get(unit, ()) if child not in found
        ]
        found.update(below)
        frontier = below
    return found


def led_unit_ids(user) -> set[int]:
    """The units the user leads through a membership that runs today, and every unit
    below them (a compagnie's lead leads its brigades)."""

    def compute():
        led = {m.unit_id for m in memberships(user) if m.role == Role.UNIT_LEAD and m.unit_id}
        return unit_ids_under(led) if led else set()

    return _cached(user, "led_units_today", compute)


def _units_reached_today(user) -> set[int]:
    reached = {m.unit_id for m in memberships(user) if m.role == Role.UNIT_AGENT and m.unit_id}
    return reached | led_unit_ids(user)


def followed_unit_ids(user) -> list[int]:
    """Units whose referrals the user follows (own unit, or every unit they lead), through
    a membership that runs today."""

    def compute():
        # Memberships first (already read): most users follow no unit, and need not read
        # their unit grants to learn it.
        reached = _units_reached_today(user)
        if not reached:
            return []
        granted = _granted_id_list(user, "unit", "follow_unit")
        return sorted(set(granted) & reached)

    return _cached(user, "followed_units_today", compute)


def _managed_today(user) -> list[int]:
    return [
        m.employer_id
        for m in memberships(user)
        if m.role == Role.EMPLOYER_MANAGER and m.employer_id
    ]


def managed_employer_ids(user) -> QuerySet:
    """Employers the user manages, through a membership that runs today."""
    return _granted_ids(user, "employer", "manage_employer").filter(
        content_object_id__in=_managed_today(user)
    )


def manages_employers(user) -> bool:
    """Whether ``managed_employer_ids`` can hold anything: a membership of an employer's
    manager that runs today (already read)."""
    return bool(_managed_today(user))


def funder_ids(user) -> list[int]:
    return sorted({m.funder_id for m in memberships(user) if m.role == Role.FUNDER})


def granted_convention_ids(user) -> QuerySet:
    """Conventions the user is party to (funder) or whose employer they manage."""
    table = apps.get_model("conventions", "ConventionUserObjectPermission")
    convention = apps.get_model("conventions", "Convention")
    # Still a party (funder) or still the manager of its employer, today.
    current = convention.objects.filter(
        Q(parties__funder_id__in=funder_ids(user)) | Q(employer_id__in=_managed_today(user))
    ).values("pk")
    return table.objects.filter(
        user_id=user.pk, permission__codename="view_convention", content_object_id__in=current
    ).values("content_object_id")


def convention_grantee_ids(convention) -> set[int]:
    """Users holding a grant on this convention today, whether or not they still should
    (iscg.grants recomputes theirs when the convention's parties change)."""
    table = apps.get_model("conventions", "ConventionUserObjectPermission")
    return set(table.objects.filter(content_object=convention).values_list("user_id", flat=True))


def receives_reports(user) -> bool:
    """Whether ``received_report_ids`` can hold anything: a membership running today
    through which bilans are received (funder user, employer manager, unit user)."""
    return bool(funder_ids(user) or _managed_today(user) or followed_unit_ids(user))


def received_report_ids(user) -> QuerySet:
    """Sent bilans the user receives, as a funder user, an employer manager or the lead of
    a recipient unit, through a membership that runs today."""
    table = apps.get_model("reporting", "ReportUserObjectPermission")
    report = apps.get_model("reporting", "Report")
    current = report.objects.filter(
        Q(recipient_funders__in=funder_ids(user))
        | Q(employer_id__in=_managed_today(user))
        | Q(recipient_units__in=followed_unit_ids(user))
    ).values("pk")
    return table.objects.filter(
        user_id=user.pk, permission__codename="view_report", content_object_id__in=current
    ).values("content_object_id")
