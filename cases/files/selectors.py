"""Reads of the case data for workers: search, duplicates, dashboard. All via visible_to."""

import datetime
import re

from django.db import models
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from cases.enums import ReferralStatus, Urgency
from cases.files.models.beneficiaries import POST_SEARCH
from cases.models import Action, Beneficiary, Case, Referral
from iscg.pagination import rows_and_total
from iscg.text import normalize, phone_digits

DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
STALE_DAYS = 30


def _parse_date(text: str) -> datetime.date | None:
    text = text.strip()
    match = DATE_RE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def beneficiary_search(user, query: str = ""):
    """Beneficiaries of the user's posts matching a name, phone or birth date."""
    return Beneficiary.objects.visible_to(user, matching=search_condition(query))


def search_condition(query: str = "", field: str = "search_text") -> Q | None:
    """The condition of a search by name, phone or birth date (None: no search).

    Case- and accent-insensitive on every database: it reads the stored ``search_text``
    (on PostgreSQL, within a post from the (post, search_text) index, and across posts
    from a trigram index, for ``LIKE '%…%'``).
    """
    query = (query or "").strip()
    if not query:
        return None
    birth_date = _parse_date(query)
    if birth_date is not None:
        return Q(birth_date=birth_date)
    if re.fullmatch(r"(19|20)\d\d", query):
        return Q(birth_year=int(query)) | Q(**{f"{field}__contains": query})
    if re.fullmatch(r"[\d\s.+()-]{4,}", query):
        return Q(**{f"{field}__contains": phone_digits(query)})
    return Q(*(Q(**{f"{field}__contains": token}) for token in normalize(query).split()))


def _name_key(last_name: str, first_name: str) -> str:
    return " ".join(p for p in (normalize(last_name), normalize(first_name)) if p)


def probable_duplicates(
    user,
    *,
    last_name: str = "",
    first_name: str = "",
    birth_date: datetime.date | None = None,
    birth_year: int | None = None,
    phone: str = "",
    exclude_pk: int | None = None,
):
    """Beneficiaries of the user's posts who are probably this person.

    Same normalised name; or same birth date (or year) and a similar name (same last
    name or same first name); or same phone number.
    """
    conditions = Q()
    key = _name_key(last_name, first_name)
    last, first = normalize(last_name), normalize(first_name)
    if last and first:
        conditions |= Q(search_text=key) | Q(search_text__startswith=key + " ")
    similar = Q()
    if last:
        similar |= Q(search_text=last) | Q(search_text__startswith=last + " ")
    if first:
        similar |= Q(search_text__contains=f" {first} ") | Q(search_text__endswith=f" {first}")
    if birth_date and similar:
        conditions |= Q(birth_date=birth_date) & similar
    year = birth_date.year if birth_date else birth_year
    if year and last and first:
        conditions |= Q(birth_year=year) & similar
    digits = phone_digits(phone)
    if len(digits) >= 8:
        conditions |= Q(search_text__endswith=" " + digits) | Q(search_text=digits)
    if not conditions:
        return Beneficiary.objects.none()
    queryset = Beneficiary.objects.visible_to(user).filter(conditions)
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.prefetch_related(
        Prefetch("cases", queryset=Case.objects.visible_to(user).order_by("-opened_on"))
    ).order_by("last_name", "first_name", "pk")[:10]


def referral_duplicates(user, referral: Referral):
    return probable_duplicates(
        user,
        last_name=referral.person_last_name,
        first_name=referral.person_first_name,
        birth_year=referral.person_birth_year,
        phone=referral.person_phone,
    )


# The count of ``referrals_to_take`` as kept for the request (iscg.request_memo).
WAITING_REFERRALS = "waiting_referrals"


def referrals_to_take(user):
    """Received referrals of the user's posts, urgent first then oldest first."""
    return (
        Referral.objects.for_workers_of(user)
        .filter(status=ReferralStatus.RECEIVED)
        .select_related("source_unit", "main_problem")
        .order_by(
            models.Case(When(urgency=Urgency.URGENT, then=Value(0)), default=Value(1)),
            "received_at",
        )
    )


def stale_cases(user, *, days: int = STALE_DAYS):
    """Open cases of the user's posts with no acte for ``days`` days.

    The date of the last acte is read per case from the (case, occurred_at) index (one
    step of it each), not by grouping every acte of every open case.
    """
    limit = timezone.now() - datetime.timedelta(days=days)
    last_action = (
        Action.objects.filter(case=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")
    )
    return (
        Case.objects.visible_to(user)
        .open()
        .annotate(last_action_at=Subquery(last_action[:1]))
        .filter(
            Q(last_action_at__lt=limit)
            | Q(last_action_at__isnull=True, opened_on__lt=timezone.localdate(limit))
        )
        .select_related("beneficiary")
        .order_by("last_action_at", "opened_on")
    )


def with_total(queryset, limit: int) -> tuple[list, int]:
    """The first ``limit`` rows of a queryset and how many rows it has, in one query."""
    rows, total = rows_and_total(queryset, 0, limit)
    return rows, total or 0


def todays_actions(user):
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    return (
        Action.objects.visible_to(user)
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .select_related("case__beneficiary", "kind", "site")
        .order_by("occurred_at")
    )


def beneficiary_list(user, matching: Q | None = None, query: str = ""):
    """The list's rows in name order (``listed_for``: a page read from each post's name
    index, not every person of the posts sorted). Whether each has an open file, and its
    commune, are read for the page only (``with_open_case_counts``): counting it in this
    query made PostgreSQL count the open files of every visible beneficiary."""
    search = search_condition(query, field=POST_SEARCH)
    return Beneficiary.objects.listed_for(user, matching=matching, search=search)


def open_case_condition(user, has_open: bool):
    """Beneficiaries with (or without) an open file the user can see."""
    condition = Exists(Case.objects.visible_to(user).open().filter(beneficiary=OuterRef("pk")))
    return condition if has_open else ~condition


def with_open_case_counts(user, beneficiaries) -> list:
    """The beneficiaries of one page, each with ``open_case_count`` (the open files the
    user can see, in one query bounded by the page's rows) and its commune."""
    rows = list(beneficiaries)
    prefetch_related_objects(rows, "commune")
    counts = dict(
        Case.objects.visible_to(user)
        .open()
        .filter(beneficiary__in=[row.pk for row in rows])
        .order_by()
        .values("beneficiary")
        .annotate(n=Count("pk"))
        .values_list("beneficiary", "n")
    )
    for row in rows:
        row.open_case_count = counts.get(row.pk, 0)
    return rows


def open_cases_of(user, beneficiary: Beneficiary):
    return Case.objects.visible_to(user).open().filter(beneficiary=beneficiary)
