"""Anonymisation: a person's files and referrals replaced by counts, then deleted.

What the bilans count of them is kept as their contribution to the grouped rows of each
post, month, quarter and year (``reporting.retained``); every individual row (beneficiary,
files, actes, orientations, referrals, feedback to units) and its history is deleted, and
the access log keeps no label of them. Nothing is left to single a person out, and every
past month, quarter and year recomputes to the figures it gave before.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from cases.models import Action, Beneficiary, Case, Orientation, Referral, UnitFeedback
from iscg.models import AccessLog, Post
from reporting.retained import Footprint

REFERRAL_ERASED = {
    "person_last_name": "",
    "person_first_name": "",
    "person_phone": "",
    "person_birth_year": None,
    "person_age": None,
    "procedure_reference": "",
    "context": "",
}


def _day(moment) -> datetime.date | None:
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).date()
    return moment


def _footprint(case_ids, referral_ids, now) -> Footprint:
    """The posts and calendar periods these files and referrals count in, read now."""
    cases = Case.objects.filter(pk__in=case_ids)
    actions = Action.objects.filter(case_id__in=case_ids)
    orientations = Orientation.objects.filter(case_id__in=case_ids)
    referrals = Referral.objects.filter(pk__in=referral_ids)
    post_ids = set()
    days = []
    for queryset, first, last in (
        (cases, "opened_on", "closed_on"),
        (actions, "occurred_at", "occurred_at"),
        (orientations, "oriented_on", "oriented_on"),
        (referrals, "received_at", "received_at"),
    ):
        post_ids |= set(queryset.exclude(post=None).values_list("post", flat=True).distinct())
        span = queryset.aggregate(first=Min(first), last=Max(last))
        days += [_day(span["first"]), _day(span["last"])]
    if cases.filter(closed_on__isnull=True).exists():
        days.append(timezone.localtime(now).date())  # an open file counts until today
    days = [day for day in days if day is not None]
    posts = {
        pk: (department, employer)
        for pk, department, employer in Post.objects.filter(pk__in=post_ids).values_list(
            "pk", "employer__department", "employer"
        )
    }
    return Footprint(posts, min(days, default=None), max(days, default=None))


def erase_access_log_labels(model, ids) -> None:
    """The access log names the object it records (``object_label``): erase it too."""
    if not ids:
        return
    AccessLog.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    ).update(object_label="")


def _replace_by_counts(beneficiary_ids, case_ids, referral_ids, now) -> None:
    footprint = _footprint(case_ids, referral_ids, now)
    Referral.objects.filter(pk__in=referral_ids).delete()
    Case.objects.filter(pk__in=case_ids).delete()  # actes and orientations with them
    Beneficiary.objects.filter(pk__in=beneficiary_ids).delete()
    # Deleting writes one more history row per object: the history goes last.
    for model, lookup in (
        (UnitFeedback, {"referral_id__in": referral_ids}),
        (Referral, {"id__in": referral_ids}),
        (Action, {"case_id__in": case_ids}),
        (Orientation, {"case_id__in": case_ids}),
        (Case, {"id__in": case_ids}),
        (Beneficiary, {"id__in": beneficiary_ids}),
    ):
        model.history.model.objects.filter(**lookup).delete()
    footprint.keep()
    erase_access_log_labels(Beneficiary, beneficiary_ids)
    erase_access_log_labels(Case, case_ids)
    erase_access_log_labels(Referral, referral_ids)


@transaction.atomic
def anonymise_beneficiaries(*, beneficiary_ids, now=None) -> tuple[int, int]:
    """Replaces these people, their files and the referrals about them by their counts.

    Returns (beneficiaries, referrals) anonymised. Used by retention and by erasure on
    request."""
    now = now or timezone.now()
    ids = list(Beneficiary.objects.filter(pk__in=beneficiary_ids).values_list("pk", flat=True))
    case_ids = list(Case.objects.filter(beneficiary_id__in=ids).values_list("pk", flat=True))
    referral_ids = list(
        Referral.objects.filter(Q(beneficiary_id__in=ids) | Q(case_id__in=case_ids)).values_list(
            "pk", flat=True
        )
    )
    # Referrals once linked to these files, since linked elsewhere: their old versions go.
    historical_cases = set(
        Case.history.model.objects.filter(beneficiary_id__in=ids).values_list("id", flat=True)
    )
    Referral.history.model.objects.filter(
        Q(beneficiary_id__in=ids) | Q(case_id__in=historical_cases)
    ).exclude(id__in=referral_ids).update(**REFERRAL_ERASED)
    _replace_by_counts(ids, case_ids, referral_ids, now)
    return len(ids), len(referral_ids)


@transaction.atomic
def anonymise_referrals(*, referral_ids, now=None) -> int:
    """Replaces referrals never linked to a file by their counts."""
    now = now or timezone.now()
    ids = list(
        Referral.objects.filter(pk__in=referral_ids, beneficiary=None, case=None).values_list(
            "pk", flat=True
        )
    )
    _replace_by_counts([], [], ids, now)
    return len(ids)
