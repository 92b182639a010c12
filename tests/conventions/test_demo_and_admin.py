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


def test_the_admin_site_shows_conventions_to_the_operator_without_writing_them(client):
    ain = DepartmentFactory(code="01")
    mine = make_convention(employer=EmployerFactory(department=ain), title="Convention de l'Ain")
    client.force_login(UserFactory(admin=True, department=ain))
    assert client.get(reverse("admin:conventions_convention_changelist")).status_code == 403
    client.force_login(User.objects.create_superuser(email="root@example.gouv.fr", password="x"))
    assert client.get(reverse("admin:conventions_convention_changelist")).status_code == 200
    url = reverse("admin:conventions_convention_change", args=[mine.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "Autre titre"}).status_code == 403
    assert client.get(reverse("admin:conventions_convention_add")).status_code == 403
    mine.refresh_from_db()
    assert mine.title == "Convention de l'Ain"
