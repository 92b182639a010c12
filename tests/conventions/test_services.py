import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conventions import services
from conventions.enums import BudgetCategory, ConventionStatus, PartyRole
from conventions.models import Convention, ConventionParty, FundingLine, Payment
from conventions.plans import financing_plan, funding_dashboard
from iscg.enums import FunderKind
from tests.conventions.factories import make_convention, make_line
from tests.iscg.factories import FunderFactory, UserFactory


def pay(line, amount, date=datetime.date(2024, 6, 1)):
    return services.payment_record(
        funding_line=line, date=date, amount=Decimal(amount), acting_user=None
    )


def test_sums_reconcile_as_decimals():
    convention = make_convention()
    department = convention.employer.department
    state = FunderFactory(department=department, kind=FunderKind.FIPD)
    caf = FunderFactory(department=department, kind=FunderKind.CAF)
    for category, amount in [
        (BudgetCategory.SALARY, "47000.10"),
        (BudgetCategory.TRAINING, "2000.20"),
        (BudgetCategory.TRAVEL, "1000.05"),
    ]:
        services.budget_line_set(
            convention=convention,
            year=2024,
            category=category,
            amount=Decimal(amount),
            acting_user=None,
        )
    state_line = make_line(convention, state, requested="22500.15", granted="22500.15")
    caf_line = make_line(convention, caf, requested="27500.20", granted="27000.10")
    pay(state_line, "10000.05")
    pay(state_line, "12500.10")
    pay(caf_line, "0.10")

    plan = financing_plan(convention)
    year = plan["years"][0]
    assert year["budget"] == Decimal("50000.35")
    assert year["granted"] == Decimal("49500.25")
    assert isinstance(year["granted"], Decimal)
    assert year["paid"] == Decimal("22500.25")
    assert year["remaining"] == Decimal("27000.00")
    assert year["state"] == Decimal("22500.15")
    assert year["state_share"] == Decimal("45.5")
    assert year["unfunded"] == Decimal("500.10")
    assert year["etp_cost"] == Decimal("50000.35")  # one ETP covered
    assert plan["paid"] + plan["remaining"] == plan["granted"]
    lines = {line.funder_id: line for line in year["lines"]}
    assert lines[state.pk].remaining == Decimal("0")
    assert lines[caf.pk].paid == Decimal("0.10")


def test_the_funding_dashboard_adds_up_each_year_over_funders_and_conventions():
    first, second = make_convention(), make_convention()
    department = first.employer.department
    state = FunderFactory(department=department, kind=FunderKind.FIPD)
    caf = FunderFactory(department=department, kind=FunderKind.CAF)
    pay(make_line(first, state, granted="20000.10"), "5000.05")
    pay(make_line(second, state, granted="10000"), "10000")
    pay(make_line(first, caf, granted="30000"), "0.40")
    make_line(first, state, year=2025, granted="25000")
    make_line(make_convention(status=ConventionStatus.DRAFT), caf, granted="9999")

    dashboard = funding_dashboard(Convention.objects.all())
    years = {year["year"]: year for year in dashboard["years"]}
    assert list(years) == [2025, 2024]
    y2024 = years[2024]
    assert y2024["granted"] == Decimal("60000.10")
    assert y2024["state"] == Decimal("30000.10")
    assert y2024["paid"] == Decimal("15000.45")
    assert y2024["remaining"] == Decimal("44999.65")
    assert y2024["state_share"] == Decimal("50.0")
    funders = {row["funder_id"]: row for row in y2024["funders"]}
    assert funders[state.pk]["paid"] == Decimal("15000.05") and funders[state.pk]["is_state"]
    assert funders[caf.pk]["remaining"] == Decimal("29999.60")
    assert years[2025]["paid"] == Decimal("0") and years[2025]["state_share"] == Decimal("100.0")


def test_payment_over_granted_is_refused_in_french():
    line = make_line(make_convention(), requested="30000", granted="20000")
    pay(line, "15000")
    with pytest.raises(ValidationError) as error:
        pay(line, "5000.01")
    message = error.value.message_dict["amount"][0]
    assert "au-delà du montant accordé" in message
    assert "Reste à verser : 5\xa0000,00 €" in message
    assert Payment.objects.filter(funding_line=line).count() == 1
    pay(line, "5000.00")  # exactly the balance is fine


def test_granted_rules():
    convention = make_convention()
    with pytest.raises(ValidationError) as error:
        make_line(convention, requested="1000", granted="1500")
    assert "dépasse le montant demandé" in error.value.message_dict["granted"][0]

    line = make_line(convention, requested="10000", granted="10000")
    pay(line, "8000")
    line.granted = Decimal("7000")
    with pytest.raises(ValidationError) as error:
        services.funding_line_save(line=line, acting_user=None)
    assert "inférieur aux versements" in error.value.message_dict["granted"][0]

    with pytest.raises(ValidationError) as error:
        make_line(convention, year=2030)
    assert "hors de la période" in error.value.message_dict["year"][0]


def test_granted_never_exceeds_the_budget_of_the_year():
    convention = make_convention()
    services.budget_line_set(
        convention=convention,
        year=2025,
        category=BudgetCategory.SALARY,
        amount=Decimal("50000"),
        acting_user=None,
    )
    make_line(convention, year=2025, requested="40000", granted="40000")
    with pytest.raises(ValidationError) as error:
        make_line(convention, year=2025, requested="20000", granted="10000.01")
    assert "dépasserait le budget" in error.value.message_dict["granted"][0]
    with pytest.raises(ValidationError):
        services.budget_line_set(
            convention=convention,
            year=2025,
            category=BudgetCategory.SALARY,
            amount=Decimal("39999"),
            acting_user=None,
        )


def test_funding_line_makes_the_funder_a_party_and_grants_its_users():
    convention = make_convention()
    funder = FunderFactory(department=convention.employer.department)
    user = UserFactory(funder_user=True, funder=funder, department=funder.department)
    assert not Convention.objects.visible_to(user).exists()
    make_line(convention, funder)
    assert ConventionParty.objects.filter(
        convention=convention, funder=funder, role=PartyRole.FUNDER
    ).exists()
    assert list(Convention.objects.visible_to(user)) == [convention]


def test_removing_a_party_removes_the_grant():
    funder = FunderFactory()
    convention = make_convention(funders=[funder])
    user = UserFactory(funder_user=True, funder=funder, department=funder.department)
    assert Convention.objects.visible_to(user).count() == 1
    party = convention.parties.get(funder=funder)
    services.party_remove(party=party, acting_user=None)
    assert Convention.objects.visible_to(user).count() == 0


def test_party_with_lines_cannot_be_removed():
    convention = make_convention()
    line = make_line(convention)
    with pytest.raises(ValidationError, match="lignes de cofinancement"):
        services.party_remove(party=convention.parties.get(funder=line.funder), acting_user=None)
    assert FundingLine.objects.filter(pk=line.pk).exists()


def test_notice_deadline_and_employer_party():
    convention = make_convention(end=datetime.date(2026, 12, 31), notice_months=3)
    assert convention.notice_deadline == datetime.date(2026, 9, 30)
    assert convention.parties.filter(role=PartyRole.EMPLOYER, employer=convention.employer).exists()


def test_shortening_a_convention_with_lines_is_refused():
    convention = make_convention()
    make_line(convention, year=2026)
    convention.end = datetime.date(2025, 12, 31)
    with pytest.raises(ValidationError) as error:
        services.convention_save(convention=convention, acting_user=None)
    assert "2026" in error.value.message_dict["end"][0]


def test_post_of_another_employer_cannot_be_covered():
    from conventions.models import ConventionPost
    from tests.iscg.factories import PostFactory

    convention = make_convention()
    with pytest.raises(ValidationError) as error:
        services.post_cover(
            covered=ConventionPost(convention=convention, post=PostFactory(), etp=Decimal("1")),
            acting_user=None,
        )
    assert "ne relève pas de l'employeur" in error.value.message_dict["post"][0]
