from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from conventions.models import Amendment, Convention, FundingLine, Payment
from conventions.plans import financing_plan
from iscg.demo import EMPLOYER_NAME
from iscg.grants import compute_diffs
from iscg.models import User
from tests.conventions.factories import make_convention
from tests.iscg.factories import DepartmentFactory, EmployerFactory, UserFactory


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--quiet-accounts", "--i-know-this-is-not-production")


def test_demo_convention_is_realistic_and_idempotent(demo, client):
    convention = Convention.objects.get(employer__name=EMPLOYER_NAME)
    assert convention.years == [2024, 2025, 2026]
    assert convention.covered.count() == 4
    assert {p.funder.kind for p in convention.parties.exclude(funder=None)} == {
        "fipd",
        "caf",
        "epci",
    }
    assert convention.parties.filter(funder__kind="epci").count() == 2
    assert Amendment.objects.filter(convention=convention).count() == 1
    plan = financing_plan(convention)
    first = plan["years"][0]
    assert Decimal("45000") <= first["etp_cost"] <= Decimal("55000")
    assert Decimal("40") <= first["state_share"] <= Decimal("50")
    assert Decimal("0") < plan["paid"] < plan["granted"]  # partial payments
    assert not any(d.missing or d.extra for d in compute_diffs())

    counts = (FundingLine.objects.count(), Payment.objects.count(), Amendment.objects.count())
    call_command("seed_demo", "--quiet-accounts", "--i-know-this-is-not-production")
    assert (FundingLine.objects.count(), Payment.objects.count(), Amendment.objects.count()) == (
        counts
    )
    paid = Payment.objects.aggregate(total=Sum("amount"))["total"]
    assert paid == plan["paid"]

    client.force_login(User.objects.get(email="financeur@demo.iscg.fr"))
    assert "Vos conventions" in client.get("/").content.decode()
    client.force_login(User.objects.get(email="prefecture@demo.iscg.fr"))
    content = client.get("/").content.decode()
    assert "Tableau des financements" in content
    assert "Versement en retard" in content  # the second EPCI owes its 2025 balance


def test_admin_screens_go_through_visible_to(client):
    ain, rhone = DepartmentFactory(code="01"), DepartmentFactory(code="69")
    mine = make_convention(employer=EmployerFactory(department=ain), title="Convention de l'Ain")
    make_convention(employer=EmployerFactory(department=rhone), title="Convention du Rhône")
    admin = UserFactory(admin=True, department=ain)
    client.force_login(admin)
    response = client.get(reverse("admin:conventions_convention_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Convention de l&#x27;Ain" in content
    assert "Convention du Rhône" not in content
    assert (
        client.get(reverse("admin:conventions_convention_change", args=[mine.pk])).status_code
        == 200
    )
    other = Convention.objects.get(title="Convention du Rhône")
    response = client.get(reverse("admin:conventions_convention_change", args=[other.pk]))
    assert response.status_code == 302  # the admin redirects an object outside the queryset
    client.force_login(UserFactory(prefecture=True, department=ain))
    assert client.get(reverse("admin:conventions_convention_changelist")).status_code == 302
