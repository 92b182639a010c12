"""Amounts as French users type them (reproduced before: "195595,50" typed into a budget
amount in Chromium saved 19 559 550 €, the browser reading a number input its own way)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conventions.models import BudgetLine, Payment
from iscg.amounts import AmountField, format_amount, parse_amount
from tests.conventions.test_views import world  # noqa: F401 - fixture


@pytest.mark.parametrize(
    "typed, amount",
    [
        ("195 595,50", "195595.50"),
        ("195595,50", "195595.50"),
        ("195\u202f595,5", "195595.5"),
        ("195\u00a0595,50 €", "195595.50"),
        ("195595.50", "195595.50"),
        ("195595", "195595"),
        ("0,01", "0.01"),
    ],
)
def test_french_amounts_are_read_as_meant(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("195.595", "Montant ambigu"),
        ("195.595,50", "Montant illisible"),
        ("1,234,5", "Montant illisible"),
        ("12,345", "Montant illisible"),
        ("douze", "Montant illisible"),
        ("-40", "Indiquez un montant positif."),
    ],
)
def test_ambiguous_amounts_are_refused_in_french(typed, message):
    with pytest.raises(ValidationError, match=message):
        parse_amount(typed)


def test_amounts_are_shown_in_french_and_never_as_a_number_input():
    assert format_amount(Decimal("195595.5")) == "195 595,50"
    html = str(AmountField(label="Montant").widget.render("amount", Decimal("60000")))
    assert 'value="60 000,00"' in html and 'inputmode="decimal"' in html
    assert 'type="text"' in html


def test_a_budget_amount_typed_the_french_way_is_saved_as_meant(client, world):  # noqa: F811
    client.force_login(world["users"]["prefecture"])
    convention = world["convention"]
    url = reverse("conventions:budget_set", args=[convention.pk])
    page = client.get(url).content.decode()
    assert 'type="number"' not in page.split('name="amount"')[0][-200:]
    response = client.post(url, {"year": "2025", "category": "salary", "amount": "195595,50"})
    assert response.status_code == 302
    line = BudgetLine.objects.get(convention=convention, year=2025, category="salary")
    assert line.amount == Decimal("195595.50")
    response = client.post(url, {"year": "2025", "category": "salary", "amount": "195.595"})
    content = response.content.decode()
    assert "Montant ambigu" in content and 'value="195.595"' in content


def test_a_payment_typed_the_french_way(client, world):  # noqa: F811
    client.force_login(world["users"]["prefecture"])
    url = reverse("conventions:payment_add", args=[world["convention"].pk, world["line"].pk])
    data = {"date": "2024-09-01", "amount": "1 500,25", "reference": "V3"}
    assert client.post(url, data).status_code == 302
    assert Payment.objects.get(reference="V3").amount == Decimal("1500.25")
