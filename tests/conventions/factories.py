"""Conventions built through their services, so that grants follow as in production."""

import datetime
from decimal import Decimal

from conventions import services
from conventions.enums import ConventionKind, ConventionStatus, PartyRole
from conventions.models import Convention, ConventionParty, ConventionPost, FundingLine
from tests.iscg.factories import EmployerFactory, FunderFactory, PostFactory


def make_convention(
    *,
    employer=None,
    funders=(),
    posts=None,
    start=datetime.date(2024, 1, 1),
    end=datetime.date(2026, 12, 31),
    status=ConventionStatus.ACTIVE,
    **fields,
) -> Convention:
    employer = employer or EmployerFactory()
    convention = services.convention_save(
        convention=Convention(
            kind=fields.pop("kind", ConventionKind.TRIENNIAL),
            title=fields.pop("title", f"Convention ISCG {employer.name}"),
            employer=employer,
            start=start,
            end=end,
            status=status,
            **fields,
        ),
        acting_user=None,
    )
    for funder in funders:
        services.party_add(
            party=ConventionParty(convention=convention, role=PartyRole.FUNDER, funder=funder),
            acting_user=None,
        )
    if posts is None:
        posts = [PostFactory(employer=employer)]
    for post in posts:
        services.post_cover(
            covered=ConventionPost(convention=convention, post=post, etp=post.etp),
            acting_user=None,
        )
    return convention


def make_line(convention, funder=None, *, year=2024, requested="50000", granted="40000", **kw):
    funder = funder or FunderFactory(department=convention.employer.department)
    return services.funding_line_save(
        line=FundingLine(
            convention=convention,
            funder=funder,
            year=year,
            requested=Decimal(requested),
            granted=Decimal(granted),
            **kw,
        ),
        acting_user=None,
    )
