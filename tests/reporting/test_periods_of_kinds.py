"""A bilan's period fits its kind, and one not yet ended is only a provisional "ponctuel".

Reproduced before: a quarterly bilan over "dernier mois complet" was created as "Bilan
trimestriel novembre 2026"; a bilan of T1 2027, a quarter not yet begun, was created and
could be validated; a monthly bilan over the current month could be validated and sent
with figures that were still moving.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.models import ReportKind, ReportStatus
from reporting.periods import Period, period_problem, preset
from reporting.scope import Scope
from reporting.tasks import generate_report_pdf
from tests.reporting.test_reports import pdf_text
from tests.reporting.test_views import world  # noqa: F401 - fixture

TODAY = datetime.date(2026, 12, 4)


def p(start, end):
    return Period(datetime.date(*start), datetime.date(*end))


@pytest.mark.parametrize(
    "kind, period, refused",
    [
        ("monthly", p((2026, 11, 1), (2026, 11, 30)), None),
        ("monthly", p((2026, 2, 1), (2026, 2, 28)), None),
        ("monthly", p((2026, 7, 1), (2026, 9, 30)), "un mois civil entier"),
        ("monthly", p((2026, 11, 2), (2026, 11, 30)), "un mois civil entier"),
        ("monthly", p((2026, 12, 1), (2026, 12, 31)), "n'est pas terminée"),
        ("quarterly", p((2026, 7, 1), (2026, 9, 30)), None),
        ("quarterly", p((2026, 11, 1), (2026, 11, 30)), "un trimestre civil entier"),
        ("quarterly", p((2026, 8, 1), (2026, 10, 31)), "un trimestre civil entier"),
        ("quarterly", p((2026, 10, 1), (2026, 12, 31)), "n'est pas terminée"),
        ("quarterly", p((2027, 1, 1), (2027, 3, 31)), "n'a pas commencé"),
        ("annual", p((2025, 1, 1), (2025, 12, 31)), None),
        ("annual", p((2025, 7, 1), (2026, 6, 30)), "une année civile entière"),
        ("annual", p((2026, 1, 1), (2026, 12, 31)), "n'est pas terminée"),
        ("on_demand", p((2026, 3, 15), (2026, 4, 20)), None),
        ("on_demand", p((2026, 10, 1), (2026, 12, 31)), None),  # provisional
        ("on_demand", p((2027, 1, 1), (2027, 3, 31)), "n'a pas commencé"),
    ],
)
def test_the_period_must_fit_the_kind_and_have_ended(kind, period, refused):
    problem = period_problem(kind, period, TODAY)
    if refused is None:
        assert problem is None
    else:
        assert refused in problem


def test_the_creation_form_says_why_on_the_period_and_keeps_what_was_typed(
    client,
    world,  # noqa: F811
):
    data, users, _, _ = world
    client.force_login(users["manager"])
    scope = f"employer:{data['employer'].pk}"
    url = reverse("reporting:create")
    for fields, reason in [
        ({"kind": "quarterly", "preset": "month"}, "Un bilan trimestriel porte sur"),
        ({"kind": "monthly", "preset": "month_current"}, "n'est pas terminée"),
        (
            {"kind": "on_demand", "preset": "custom", "start": "2099-01-01", "end": "2099-03-31"},
            "n'a pas commencé",
        ),
    ]:
        response = client.post(url, {"scope": scope, "evaluation": "Texte tapé.", **fields})
        assert response.status_code == 200
        form = response.context["form"]
        assert reason in " ".join(form.errors["preset"])
        page = response.content.decode()
        assert "Texte tapé." in page
        assert 'id="id_preset-desc-error"' in page
    assert (
        not data["employer"]
        .reports.filter(kind=ReportKind.QUARTERLY)
        .exclude(pk=world[3].pk)
        .exists()
    )
    # The service holds the same rule for any caller.
    with pytest.raises(ValidationError) as refused:
        services.report_create(
            kind=ReportKind.QUARTERLY,
            period=preset("month"),
            scope=Scope.for_employer(data["employer"]),
            acting_user=users["manager"],
        )
    assert "trimestre civil" in str(refused.value)


def test_an_unfinished_period_gives_a_provisional_bilan_never_validated_nor_sent(
    client,
    world,  # noqa: F811
):
    data, users, _, _ = world
    manager = users["manager"]
    client.force_login(manager)
    response = client.post(
        reverse("reporting:create"),
        {
            "kind": "on_demand",
            "scope": f"employer:{data['employer'].pk}",
            "preset": "month_current",
        },
    )
    assert response.status_code == 302
    report = data["employer"].reports.latest("pk")
    assert report.is_provisional
    assert report.title.endswith("provisoire)")
    page = client.get(response["Location"]).content.decode()
    assert "Bilan provisoire" in page
    assert reverse("reporting:validate", args=[report.pk]) not in page
    # Neither the confirmation page nor the service validates it.
    response = client.get(reverse("reporting:validate", args=[report.pk]), follow=True)
    assert "Ce bilan est provisoire" in response.content.decode()
    client.post(reverse("reporting:validate", args=[report.pk]))
    with pytest.raises(ValidationError, match="provisoire"):
        services.report_validate(report=report, acting_user=manager)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    listed = client.get(reverse("reporting:list")).content.decode()
    assert "Brouillon, provisoire" in listed
    # Its PDF says so on every page.
    generate_report_pdf.apply(args=[report.pk])
    text = pdf_text(report)
    assert text.count("PROVISOIRE — période non terminée") >= 2
    assert "Provisoire — période non terminée le" in text
    # Computed again once the period has ended, it is a bilan like any other.
    report.computed_at = timezone.now() + datetime.timedelta(days=40)
    assert not report.is_provisional
