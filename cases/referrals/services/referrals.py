"""The life of a referral: creation and routing, taking, status transitions.

Statuses move forward only through these services; the unit sees the status and the
typed feedback, never the case behind it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from cases.enums import ReferralOrigin, ReferralStatus
from cases.models import Beneficiary, Case, Referral
from cases.referrals.models.notifications import NotificationEvent
from cases.referrals.services.notifications import notification_enqueue
from iscg import access
from iscg.models import Post, Unit

# Which status may follow which. CLOSED is final unless a case is reopened.
ALLOWED_TRANSITIONS = {
    ReferralStatus.RECEIVED: {
        ReferralStatus.TAKEN,
        ReferralStatus.CONTACT_MADE,
        ReferralStatus.UNREACHABLE,
        ReferralStatus.REFUSED,
        ReferralStatus.CLOSED,
    },
    ReferralStatus.TAKEN: {
        ReferralStatus.CONTACT_MADE,
        ReferralStatus.UNREACHABLE,
        ReferralStatus.REFUSED,
        ReferralStatus.ORIENTED,
        ReferralStatus.CLOSED,
    },
    ReferralStatus.CONTACT_MADE: {
        ReferralStatus.UNREACHABLE,
        ReferralStatus.REFUSED,
        ReferralStatus.ORIENTED,
        ReferralStatus.CLOSED,
    },
    ReferralStatus.UNREACHABLE: {
        ReferralStatus.CONTACT_MADE,
        ReferralStatus.REFUSED,
        ReferralStatus.CLOSED,
    },
    ReferralStatus.REFUSED: {ReferralStatus.CONTACT_MADE, ReferralStatus.CLOSED},
    ReferralStatus.ORIENTED: {ReferralStatus.CONTACT_MADE, ReferralStatus.CLOSED},
    ReferralStatus.CLOSED: {ReferralStatus.TAKEN},
}


def route_posts(unit) -> list[Post]:
    """The active posts serving a unit; a brigade with no post of its own uses its parents'."""
    current = unit
    while current is not None:
        posts = list(Post.objects.serving_unit(current).order_by("pk"))
        if posts:
            return posts
        current = current.parent
    return []


def _next_number(referral: Referral) -> str:
    year = timezone.localtime(referral.received_at).year
    return f"S{year}-{referral.pk:06d}"


def _reserve_id() -> int | None:
    """On PostgreSQL, the next referral id taken from the table's own sequence.

    ``nextval`` never hands the same value out twice, whatever the concurrency, so the
    number can be written with the INSERT (no UPDATE nor second history row after it).
    None elsewhere (SQLite): the number is then written once the id is known.
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Referral._meta.db_table]
        )
        return cursor.fetchone()[0]


@transaction.atomic
def referral_create(
    *,
    acting_user,
    post: Post | None = None,
    secondary_problems=(),
    notify: bool | None = None,
    **fields,
):
    """Records a referral, routes it to the post serving its unit, and numbers it.

    A referral sent by a unit (FSI direct) notifies the workers of the routed post through
    the outbox (``notify`` overrides this).

    A referral from a unit (FSI) is routed to the first active post serving the unit
    or its parent; a worker entering another origin routes it to their own post.
    """
    fields.setdefault("received_at", timezone.now())
    unit = fields.get("source_unit")
    if fields.get("origin") in ReferralOrigin.from_units() and unit is None:
        raise ValidationError({"source_unit": "Indiquez l'unité à l'origine de la saisine."})
    if post is None and unit is not None:
        posts = route_posts(unit)
        post = posts[0] if posts else None
    referral = Referral(post=post, submitted_by=acting_user, **fields)
    referral.number = "provisoire"
    # The number follows the id: unique as it is (the id is not checked either).
    referral.full_clean(exclude=["number", "id"])
    reserved = _reserve_id()
    if reserved is not None:
        referral.pk = reserved
        referral.number = _next_number(referral)
        referral.save(force_insert=True)
    else:
        referral.save()
        referral.number = _next_number(referral)
        referral.save(update_fields=["number"])
    if secondary_problems:
        referral.secondary_problems.set(secondary_problems)
    if notify is None:
        notify = referral.origin == ReferralOrigin.FSI_DIRECT
    if notify and referral.post_id:
        notification_enqueue(event=NotificationEvent.NEW_REFERRAL, referral=referral, new=True)
    return referral


def _check_worker(referral: Referral, acting_user) -> None:
    if not Referral.objects.for_workers_of(acting_user).filter(pk=referral.pk).exists():
        raise PermissionDenied("Cette saisine n'est pas adressée à l'un de vos postes.")


@transaction.atomic
def referral_set_status(*, referral: Referral, status: str, acting_user) -> Referral:
    """Moves a referral to a new status if the transition is allowed."""
    _check_worker(referral, acting_user)
    if status == referral.status:
        return referral
    if status not in ALLOWED_TRANSITIONS[referral.status]:
        raise ValidationError(
            f"Une saisine « {referral.get_status_display()} » ne peut pas passer à "
            f"« {ReferralStatus(status).label} »."
        )
    referral.status = status
    referral.save(update_fields=["status", "updated_at"])
    return referral


@transaction.atomic
def referral_take(
    *,
    referral: Referral,
    acting_user,
    beneficiary: Beneficiary | None = None,
    case: Case | None = None,
) -> Referral:
    """The worker takes the referral, optionally linking it to a beneficiary and a case."""
    _check_worker(referral, acting_user)
    if case is not None and beneficiary is None:
        beneficiary = case.beneficiary
    if case is not None and case.beneficiary_id != beneficiary.pk:
        raise ValidationError("Cet accompagnement ne concerne pas ce ou cette bénéficiaire.")
    if (
        beneficiary is not None
        and not Beneficiary.objects.visible_to(acting_user).filter(pk=beneficiary.pk).exists()
    ):
        raise PermissionDenied("Ce ou cette bénéficiaire n'est pas suivi·e sur vos postes.")
    if referral.taken_at is None:
        referral.taken_by = acting_user
        referral.taken_at = timezone.now()
    if beneficiary is not None:
        referral.beneficiary = beneficiary
    if case is not None:
        referral.case = case
    if referral.status == ReferralStatus.RECEIVED:
        referral.status = ReferralStatus.TAKEN
    referral.save()
    return referral


def worker_units(user):
    """Units whose referrals a worker may record: served by their posts, and units below."""
    served = Unit.objects.filter(posts__in=access.worked_post_ids(user)).values_list(
        "pk", flat=True
    )
    return Unit.objects.filter(pk__in=access.unit_ids_under(set(served))).order_by("name")


def _worker_post_for(unit, acting_user) -> Post | None:
    worked = Post.objects.filter(pk__in=access.worked_post_ids(acting_user))
    current = unit
    while current is not None:
        post = worked.filter(units=current).order_by("pk").first()
        if post is not None:
            return post
        current = current.parent
    return worked.order_by("pk").first()


@transaction.atomic
def auto_referrals_import(*, rows: list[dict], acting_user) -> list[Referral]:
    """Records referrals found by the worker in a unit's weekly activity summary.

    Each row holds the cleaned fields of a referral (``AutoReferralRowForm.referral_fields``).
    All rows or none: any error rolls the whole import back.
    """
    allowed = set(worker_units(acting_user).values_list("pk", flat=True))
    created = []
    for fields in rows:
        unit = fields["source_unit"]
        if unit.pk not in allowed:
            raise PermissionDenied(f"L'unité « {unit} » n'est pas servie par votre poste.")
        created.append(
            referral_create(
                acting_user=acting_user,
                post=_worker_post_for(unit, acting_user),
                origin=ReferralOrigin.FSI_INDIRECT,
                notify=False,
                **fields,
            )
        )
    return created
