"""Posts and their holdings: who works on a post, as titulaire or remplacement, when.

A holding gives access to the post's files (``iscg.grant_sources``) for its dates only;
each write recomputes the worker's grants in the same transaction.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from iscg.audit import access_log_record
from iscg.enums import HoldingKind, Role
from iscg.grants import refresh_user_grants
from iscg.models import AccessAction, Membership, Post, PostHolding, User
from iscg.services.actors import check_administrator, check_not_self


def _overlapping(queryset, start, end):
    """Holdings whose period meets [start, end] (an open end runs forever)."""
    queryset = queryset.filter(Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        queryset = queryset.filter(start__lte=end)
    return queryset


def check_holding(*, post, worker, kind, start, end, exclude_pk=None) -> None:
    """The rules of a holding, each refusal on its field."""
    if end is not None and end < start:
        raise ValidationError({"end": "La fin de l'affectation précède son début."})
    on = max(start, timezone.localdate())
    if not (
        Membership.objects.active(on=on)
        .filter(user=worker, role=Role.WORKER, employer_id=post.employer_id)
        .exists()
        and worker.is_active
    ):
        raise ValidationError(
            {
                "worker": "Seul·e un·e intervenant·e social·e ayant un rôle actif chez "
                f"l'employeur du poste ({post.employer}) peut y être affecté·e."
            }
        )
    others = PostHolding.objects.filter(post=post).exclude(pk=exclude_pk)
    if kind == HoldingKind.HOLDER:
        clash = _overlapping(others.filter(kind=HoldingKind.HOLDER), start, end).first()
        if clash is not None:
            raise ValidationError(
                {
                    "start": "Ce poste a déjà un·e titulaire sur cette période : "
                    f"{clash.worker} depuis le {clash.start:%d/%m/%Y}"
                    + (f" jusqu'au {clash.end:%d/%m/%Y}." if clash.end else ".")
                }
            )
    else:
        covering = others.filter(kind=HoldingKind.HOLDER, start__lte=start)
        covering = covering.filter(Q(end__isnull=True) | Q(end__gte=end or datetime.date.max))
        if not covering.exists():
            raise ValidationError(
                {
                    "end": "Un remplacement se situe entièrement dans la période d'un·e "
                    "titulaire du poste : indiquez des dates comprises dans la sienne."
                }
            )


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
    """A worker of the post's employer takes the post, or stands in for its titulaire
    within the titulaire's dates. Nobody gives themselves a holding."""
    check_administrator(acting_user, post.employer.department_id)
    check_not_self(acting_user, worker, "worker")
    check_holding(post=post, worker=worker, kind=kind, start=start, end=end)
    holding = PostHolding(post=post, worker=worker, start=start, end=end, kind=kind)
    holding.full_clean()
    holding.save()
    refresh_user_grants(worker)
    if acting_user is not None:
        access_log_record(
            user=acting_user,
            action=AccessAction.HOLDING_STARTED,
            obj=worker,
            detail=f"{post} ({holding.get_kind_display()})",
        )
    return holding


@transaction.atomic
def post_holding_end(*, holding: PostHolding, end: datetime.date, acting_user: User | None):
    check_administrator(acting_user, holding.post.employer.department_id)
    check_not_self(acting_user, holding.worker, "end")
    if end < holding.start:
        raise ValidationError({"end": "La fin de l'affectation précède son début."})
    holding.end = end
    holding.save(update_fields=["end"])
    refresh_user_grants(holding.worker)
    if acting_user is not None:
        access_log_record(
            user=acting_user,
            action=AccessAction.HOLDING_ENDED,
            obj=holding.worker,
            detail=f"{holding.post} ({holding.get_kind_display()})",
        )
    return holding


@transaction.atomic
def post_save(*, post: Post, units, sites, acting_user: User | None) -> Post:
    """A post belongs to an employer of the département; it serves units and receives on
    sites of that same département, its usual site among them."""
    department_id = post.employer.department_id
    check_administrator(acting_user, department_id)
    errors = {}
    if not units:
        errors["units"] = "Choisissez au moins une unité servie par ce poste."
    elif any(unit.department_id != department_id for unit in units):
        errors["units"] = "Choisissez des unités du département de l'employeur."
    if any(site.department_id != department_id for site in sites):
        errors["sites"] = "Choisissez des lieux d'accueil du département de l'employeur."
    if post.main_site is not None and post.main_site not in list(sites):
        errors["main_site"] = "Le lieu d'accueil habituel fait partie des lieux d'accueil."
    if errors:
        raise ValidationError(errors)
    post.full_clean()
    post.save()
    post.units.set(units)
    post.sites.set(sites)
    return post
