"""Durations of accompaniment in calendar months, counted by the database.

Reproduced before: the bands were 0–30, 31–91, 92–182, 183–365 and 366+ days, defined
nowhere a reader could see; a case of exactly one year fell in "6 mois à 1 an" or in
"Plus d'un an" depending on a 29 February, and 31/01 → 01/03 (29 days in 2026) counted
as "moins d'un mois".
"""

import datetime
import random

import pytest
from dateutil.relativedelta import relativedelta

from cases.models import Case
from reporting import indicators
from reporting.indicators.activity import DURATION_BANDS, band_of, full_months
from reporting.periods import Period
from reporting.scope import Scope
from tests.cases.factories import BeneficiaryFactory, CaseFactory

D = datetime.date
LABELS = [band.label for band in DURATION_BANDS]


def calendar_months(opened: datetime.date, closed: datetime.date) -> int:
    """The oracle: the most months k with opened + k months ≤ closed (dateutil clamps
    31/01 + 1 month to the last day of February)."""
    k = 0
    while opened + relativedelta(months=k + 1) <= closed:
        k += 1
    return k


BOUNDARIES = [
    # (opened, closed, band)
    (D(2026, 1, 15), D(2026, 2, 14), "Moins d'un mois"),
    (D(2026, 1, 15), D(2026, 2, 15), "1 à 3 mois"),
    (D(2026, 1, 31), D(2026, 2, 27), "Moins d'un mois"),
    (D(2026, 1, 31), D(2026, 2, 28), "1 à 3 mois"),  # a month after 31/01: 28/02
    (D(2026, 1, 31), D(2026, 3, 1), "1 à 3 mois"),  # 29 days, more than a month
    (D(2024, 1, 31), D(2024, 2, 28), "Moins d'un mois"),  # leap year: a month is 29/02
    (D(2024, 1, 31), D(2024, 2, 29), "1 à 3 mois"),
    (D(2026, 1, 15), D(2026, 4, 14), "1 à 3 mois"),
    (D(2026, 1, 15), D(2026, 4, 15), "3 à 6 mois"),
    (D(2026, 1, 15), D(2026, 7, 14), "3 à 6 mois"),
    (D(2026, 1, 15), D(2026, 7, 15), "6 mois à 1 an"),
    (D(2025, 3, 1), D(2026, 2, 28), "6 mois à 1 an"),
    (D(2025, 3, 1), D(2026, 3, 1), "Plus d'un an"),  # exactly one year: 365 days
    (D(2023, 3, 1), D(2024, 2, 29), "6 mois à 1 an"),  # 365 days, but not a year
    (D(2023, 3, 1), D(2024, 3, 1), "Plus d'un an"),  # a year of 366 days
    (D(2024, 2, 29), D(2025, 2, 28), "Plus d'un an"),  # a year after 29/02: 28/02
    (D(2024, 2, 29), D(2025, 2, 27), "6 mois à 1 an"),
    (D(2026, 1, 15), D(2026, 1, 15), "Moins d'un mois"),
]


@pytest.mark.parametrize(("opened", "closed", "expected"), BOUNDARIES)
def test_each_boundary_in_the_bilan(opened, closed, expected):
    case = CaseFactory(opened_on=opened, closed_on=closed, closing_reason="goals_met")
    year = Period(D(closed.year, 1, 1), D(closed.year, 12, 31))
    figures = indicators.compute(Scope.for_post(case.post), year)
    band = indicators.tables_by_key(figures)["duration"]
    counts = {row["label"]: row["values"][0] for row in band["rows"]}
    assert counts == {label: int(label == expected) for label in LABELS}


def test_the_database_counts_months_as_the_calendar_does():
    """A few hundred random pairs, 29 February and month ends included, against dateutil."""
    rng = random.Random(20261204)
    beneficiary = BeneficiaryFactory()
    pairs = [(opened, closed) for opened, closed, _ in BOUNDARIES]
    for _ in range(400):
        opened = D(2023, 1, 1) + datetime.timedelta(days=rng.randrange(1200))
        pairs.append((opened, opened + datetime.timedelta(days=rng.randrange(800))))
    for day in (28, 29, 30, 31):  # every month end against every month end
        for month in range(1, 13):
            try:
                opened = D(2024, month, day)
            except ValueError:
                continue
            pairs += [(opened, opened + relativedelta(months=k)) for k in (1, 2, 6, 12)]
            pairs += [(opened, opened + relativedelta(months=k, days=-1)) for k in (1, 12)]
    Case.objects.bulk_create(
        Case(
            beneficiary=beneficiary,
            post=beneficiary.post,
            created_by=beneficiary.created_by,
            opened_on=opened,
            closed_on=closed,
            closing_reason="goals_met",
        )
        for opened, closed in pairs
    )
    rows = Case.objects.filter(beneficiary=beneficiary).annotate(**full_months())
    wrong = [
        (row.opened_on, row.closed_on, row.months)
        for row in rows.only("opened_on", "closed_on")
        if row.months != calendar_months(row.opened_on, row.closed_on)
    ]
    assert not wrong
    assert rows.count() == len(pairs) > 500


def test_rows_frozen_before_keep_their_day_bands():
    """A bilan frozen before carries days only: its bands are read as they were."""
    assert [band_of(days, None) for days in (30, 31, 91, 92, 182, 183, 365, 366)] == [
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
    ]


def test_the_day_bounds_of_each_band_hold_for_every_duration():
    """The secrecy audit relates the bands to the median in days by these bounds."""
    start = D(2023, 1, 1)
    for offset in range(0, 3 * 366):
        opened = start + datetime.timedelta(days=offset)
        for days in range(0, 400):
            months = calendar_months(opened, opened + datetime.timedelta(days=days))
            band = DURATION_BANDS[band_of(days, months)]
            assert band.days_from <= days, (opened, days)
            assert band.days_to is None or days <= band.days_to, (opened, days)


def test_the_methodology_states_the_bands(client):
    from django.urls import reverse

    from tests.iscg.factories import UserFactory

    client.force_login(UserFactory(worker=True))
    page = client.get(reverse("reporting:methodology")).content.decode()
    assert "mois du calendrier" in page
    assert "un mois après le 31 janvier est le dernier jour de février" in page
    assert "« Plus d'un an » : 12 mois ou plus" in page
