"""Coherent values in the conventions' forms: refused on the field in French, nothing
typed lost (each reproduced on the demo before: accepted and shown as wrong figures)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from conventions.models import Amendment, FundingLine, Payment
from tests.conventions.test_views import world  # noqa: F401 - fixture


def test_an_amendment_number_is_used_once_per_convention(client, world):  # noqa: F811
    """Reproduced before: "Avenant n° 1" was accepted twice on one convention."""
    client.force_login(world["users"]["admin"])
    convention = world["convention"]
    url = reverse("conventions:amendment_add", args=[convention.pk])
    existing = Amendment.objects.filter(convention=convention).count()
    data = {"number": "7", "date": "2024-06-01", "summary": "Prolongation"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "summary": "Seconde saisie"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "L&#x27;avenant n° 7 existe déjà pour cette convention." in content
    assert "Seconde saisie" in content
    assert Amendment.objects.filter(convention=convention).count() == existing + 1
    assert client.post(url, {**data, "number": "8"}).status_code == 302


def test_a_funding_deadline_before_its_year_is_refused(client, world):  # noqa: F811
    """Reproduced before: a 2027 line with a deadline of 30/06/2026 showed at once its whole
    grant overdue on the préfecture's home page."""
    client.force_login(world["users"]["prefecture"])
    convention = world["convention"]
    url = reverse("conventions:funding_add", args=[convention.pk])
    data = {
        "funder": world["line"].funder.pk,
        "year": "2025",
        "requested": "40000",
        "granted": "40000",
        "due_date": "2024-06-30",
    }
    response = client.post(url, data)
    content = response.content.decode()
    assert "L&#x27;échéance d&#x27;un financement 2025 ne peut pas précéder le 01/01/2025." in (
        content
    )
    assert 'value="2024-06-30"' in content
    assert not FundingLine.objects.filter(convention=convention, year=2025).exists()
    assert client.post(url, {**data, "due_date": "2025-06-30"}).status_code == 302


def test_a_payment_dated_after_today_is_refused(client, world):  # noqa: F811
    """Reproduced before: a payment dated 2028 counted as paid."""
    client.force_login(world["users"]["prefecture"])
    line = world["line"]
    url = reverse("conventions:payment_add", args=[world["convention"].pk, line.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"date": tomorrow.isoformat(), "amount": "100", "reference": "V9"})
    content = response.content.decode()
    assert "Un versement ne peut pas être daté après aujourd&#x27;hui" in content
    assert 'value="V9"' in content
    assert not Payment.objects.filter(reference="V9").exists()
    today = timezone.localdate().isoformat()
    assert client.post(url, {"date": today, "amount": "100", "reference": "V9"}).status_code == 302
