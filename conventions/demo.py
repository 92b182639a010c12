"""The Ain's triennial convention 2024–2026: four posts, FIPDR, CAF and two EPCI."""

import datetime
from decimal import Decimal

from conventions import services
from conventions.enums import BudgetCategory, ConventionKind, ConventionStatus, PartyRole
from conventions.models import Amendment, Convention, ConventionParty, ConventionPost, FundingLine
from iscg.demo import AIN_FUNDERS, EMPLOYER_NAME, register_seeder
from iscg.enums import FunderKind
from iscg.models import Employer, Funder, Post, Unit

TITLE = "Convention triennale ISCG de l'Ain 2024–2026"

# Per year for the four posts (4 ETP at about 50 k€ loaded each).
BUDGET = {
    BudgetCategory.SALARY: Decimal("188000.00"),
    BudgetCategory.TRAINING: Decimal("8000.00"),
    BudgetCategory.EQUIPMENT: Decimal("4000.00"),
    BudgetCategory.TRAVEL: Decimal("10000.00"),
}
# (funder name, requested, granted) per year: FIPDR ≈ 45 % of 210 k€.
FUNDING = [
    ("État – FIPDR (préfecture de l'Ain)", Decimal("95000.00"), Decimal("94500.00")),
    ("Caisse d'allocations familiales de l'Ain", Decimal("60000.00"), Decimal("60000.00")),
    (
        "Communauté d'agglomération du Bassin de Bourg-en-Bresse",
        Decimal("30000.00"),
        Decimal("28000.00"),
    ),
    ("Communauté de communes de Miribel et du Plateau", Decimal("25000.00"), Decimal("25000.00")),
]


@register_seeder(order=50)
def seed_conventions() -> None:
    employer = Employer.objects.get(name=EMPLOYER_NAME)
    convention = Convention.objects.filter(title=TITLE, employer=employer).first()
    if convention is not None:
        return
    convention = services.convention_save(
        convention=Convention(
            kind=ConventionKind.TRIENNIAL,
            title=TITLE,
            reference="PREF01-BSI-2024-ISCG",
            employer=employer,
            start=datetime.date(2024, 1, 1),
            end=datetime.date(2026, 12, 31),
            signed_on=datetime.date(2024, 2, 15),
            status=ConventionStatus.ACTIVE,
            tacit_renewal=False,
            notice_months=3,
            notes="Convention de recrutement et de financement des quatre postes d'ISCG.",
        ),
        acting_user=None,
    )
    department_id = employer.department_id
    parties = [
        ConventionParty(
            convention=convention,
            role=PartyRole.STATE,
            label="Préfecture de l'Ain",
            signed_on=datetime.date(2024, 2, 15),
        ),
        ConventionParty(
            convention=convention,
            role=PartyRole.DDPN,
            unit=Unit.objects.get(department_id=department_id, kind="ddpn"),
            signed_on=datetime.date(2024, 2, 12),
        ),
        ConventionParty(
            convention=convention,
            role=PartyRole.GGD,
            unit=Unit.objects.get(department_id=department_id, kind="groupement"),
            signed_on=datetime.date(2024, 2, 12),
        ),
    ]
    funders = {
        name: Funder.objects.get(department_id=department_id, name=name)
        for name, _kind in AIN_FUNDERS
    }
    for name, _requested, _granted in FUNDING:
        parties.append(
            ConventionParty(
                convention=convention,
                role=PartyRole.FUNDER,
                funder=funders[name],
                signed_on=datetime.date(2024, 2, 8),
            )
        )
    for party in parties:
        services.party_add(party=party, acting_user=None)
    for post in Post.objects.filter(employer=employer):
        services.post_cover(
            covered=ConventionPost(convention=convention, post=post, etp=post.etp),
            acting_user=None,
        )
    for year in convention.years:
        for category, amount in BUDGET.items():
            services.budget_line_set(
                convention=convention,
                year=year,
                category=category,
                amount=(amount * Decimal("1.02") ** (year - 2024)).quantize(Decimal("1")),
                acting_user=None,
            )
        for name, requested, granted in FUNDING:
            line = services.funding_line_save(
                line=FundingLine(
                    convention=convention,
                    funder=funders[name],
                    year=year,
                    requested=requested,
                    granted=granted,
                    decision_reference=f"Décision {year}-{funders[name].pk:03d}",
                    decision_date=datetime.date(year, 3, 15),
                    due_date=datetime.date(year, 10, 31),
                ),
                acting_user=None,
            )
            _pay(line, year)
    amendment = Amendment(
        convention=convention,
        number=1,
        date=datetime.date(2025, 6, 2),
        summary="Revalorisation du financement de la CAF et extension des permanences "
        "à la France services de Montluel.",
    )
    services.amendment_add(amendment=amendment, acting_user=None)


def _pay(line: FundingLine, year: int) -> None:
    if line.granted == 0:
        return
    if year == 2024:
        services.payment_record(
            funding_line=line,
            date=datetime.date(2024, 6, 30),
            amount=line.granted,
            acting_user=None,
        )
    elif year == 2025:
        # Half paid everywhere; the second EPCI still owes the balance (overdue).
        half = (line.granted / 2).quantize(Decimal("0.01"))
        services.payment_record(
            funding_line=line, date=datetime.date(2025, 5, 20), amount=half, acting_user=None
        )
        if line.funder.kind != FunderKind.EPCI or "Bassin" in line.funder.name:
            services.payment_record(
                funding_line=line,
                date=datetime.date(2025, 11, 15),
                amount=line.granted - half,
                acting_user=None,
            )
    elif line.funder.kind in (FunderKind.FIPD, FunderKind.CAF):
        share = Decimal("0.6") if line.funder.kind == FunderKind.FIPD else Decimal("0.5")
        services.payment_record(
            funding_line=line,
            date=datetime.date(2026, 5, 12),
            amount=(line.granted * share).quantize(Decimal("0.01")),
            acting_user=None,
        )
