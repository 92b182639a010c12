"""Reads of the conventions app that other apps use (bilans, home pages)."""

import datetime

from conventions.enums import ConventionStatus, PartyRole
from conventions.models import ConventionParty, ConventionPost


def funder_ids_covering(*, post_ids, start: datetime.date, end: datetime.date) -> set[int]:
    """Funders party to a convention (not a mere draft) covering one of these posts and
    overlapping the period [start, end]."""
    return set(
        ConventionParty.objects.filter(
            role=PartyRole.FUNDER,
            funder__isnull=False,
            convention__covered__post_id__in=list(post_ids),
            convention__start__lte=end,
            convention__end__gte=start,
        )
        .exclude(convention__status=ConventionStatus.DRAFT)
        .values_list("funder_id", flat=True)
        .distinct()
    )


def funded_posts(*, funder_ids, start: datetime.date | None = None, end=None):
    """Ids of the posts covered by a convention (not a mere draft) one of these funders is
    party to; with a period, by one overlapping [start, end]. A subquery, run by its user."""
    coverages = ConventionPost.objects.filter(
        convention__parties__role=PartyRole.FUNDER,
        convention__parties__funder_id__in=list(funder_ids),
    ).exclude(convention__status=ConventionStatus.DRAFT)
    if start is not None and end is not None:
        coverages = coverages.filter(convention__start__lte=end, convention__end__gte=start)
    return coverages.values("post_id")


def post_ids_funded(*, funder_ids, start: datetime.date | None = None, end=None) -> set[int]:
    """The same posts, read now."""
    posts = funded_posts(funder_ids=funder_ids, start=start, end=end)
    return set(posts.values_list("post_id", flat=True).distinct())
