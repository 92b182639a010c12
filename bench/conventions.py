"""One triennial convention per generated département, through the conventions services."""

import datetime
from decimal import Decimal

from conventions import services
from conventions.enums import BudgetCategory, ConventionKind, ConventionStatus
from conventions.models import Convention, ConventionPost, FundingLine
from iscg.enums import FunderKind
from iscg.models import Employer, Funder, Post

YEARS = (2024, 2025, 2026)
# Yearly cost of one ETP and the funders' shares (State about 45 %).
ETP_COST = Decimal("52000")
SHARES = {
    FunderKind.FIPD: Decimal("0.45"),
    FunderKind.CAF: Decimal("0.25"),
    FunderKind.DEPARTMENT: Decimal("0.30"),
}


def build_conventions(departments) -> int:
    created = 0
    for department in departments:
        for employer in Employer.objects.filter(department=department):
            if Convention.objects.filter(employer=employer).exists():
                continue
            posts = list(Post.objects.filter(employer=employer))
            if not posts:
                continue
            convention = services.convention_save(
                convention=Convention(
                    kind=ConventionKind.TRIENNIAL,
                    title=f"Convention ISCG {department.name} 2024-2026",
                    employer=employer,
                    start=datetime.date(2024, 1, 1),
                    end=datetime.date(2026, 12, 31),
                    signed_on=datetime.date(2023, 12, 15),
                    status=ConventionStatus.ACTIVE,
                    tacit_renewal=False,
                ),
                acting_user=None,
            )
            for post in posts:
                services.post_cover(
                    covered=ConventionPost(convention=convention, post=post, etp=post.etp),
                    acting_user=None,
                )
            total = ETP_COST * sum(p.etp for p in posts)
            for year in YEARS:
                services.budget_line_set(
                    convention=convention,
                    year=year,
                    category=BudgetCategory.SALARY,
                    amount=total,
                    acting_user=None,
                )
                for funder in Funder.objects.filter(department=department, kind__in=SHARES):
                    amount = (total * SHARES[funder.kind]).quantize(Decimal("1"))
                    line = services.funding_line_save(
                        line=FundingLine(
                            convention=convention,
                            funder=funder,
                            year=year,
                            requested=amount,
                            granted=amount,
                            due_date=datetime.date(year, 6, 30),
                        ),
                        acting_user=None,
                    )
                    if year < 2026:
                        services.payment_record(
                            funding_line=line,
                            date=datetime.date(year, 7, 1),
                            amount=amount,
                            acting_user=None,
                        )
            created += 1
    return created
