"""The live statistics' secrecy: cell-key perturbation (reporting.secrecy.perturbation).

Reproduced before: the statistics page masked each scope and period alone, so the
préfecture, an employer's manager or a funder could subtract two answers. An employer
and one of its two posts, month after month, gave the other post's single person
exactly (employer − post = 1, twelve times out of twelve); two periods a day apart gave
the file opened on that day. Each answer is now perturbed by the keys of the records it
counts: the subtraction is the truth give or take 4, and a small count is never shown.
"""

import datetime
from collections import Counter

import pytest

from reporting import indicators
from reporting.indicators.keys import MODULUS, coefficients
from reporting.live import live_figures
from reporting.periods import Period
from reporting.scope import Scope
from reporting.secrecy.layout import tables_of
from reporting.secrecy.perturbation import (
    MAX_DEVIATION,
    SPREAD,
    TRANSITIONS,
    perturbed,
    transitions,
)
from tests.cases.factories import CaseFactory
from tests.iscg.factories import EmployerFactory, PostFactory

pytestmark = pytest.mark.django_db
KEYS = [i / 1000 for i in range(1000)]


def months(year=2026):
    for month in range(1, 13):
        start = datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        yield Period(start, following - datetime.timedelta(days=1))


def people(figures) -> tuple[int, int]:
    """(current, previous) of « Personnes accompagnées »."""
    return tuple(tables_of(figures)["activity"]["rows"][0]["values"][:2])


def opened(figures) -> int:
    return tables_of(figures)["activity"]["rows"][2]["values"][0]


def shown(scope, period):
    return live_figures(scope=scope, period=period, masked=True).figures


@pytest.fixture
def employer_of_two_posts():
    """Post A: five files opened every month, each for that month. Post B: one person a
    month, whose file opens on the 10th and closes on the 20th."""
    employer = EmployerFactory()
    post_a, post_b = PostFactory(employer=employer), PostFactory(employer=employer)
    for period in months():
        for day in (2, 5, 8, 12, 16):
            CaseFactory(
                beneficiary__post=post_a,
                opened_on=period.start.replace(day=day),
                closed_on=period.end,
                closing_reason="goals_met",
            )
        CaseFactory(
            beneficiary__post=post_b,
            opened_on=period.start.replace(day=10),
            closed_on=period.start.replace(day=20),
            closing_reason="goals_met",
        )
    return employer, post_a, post_b


def test_no_count_of_1_or_2_is_shown_none_moves_by_more_than_2_and_0_stays_0():
    for value in range(0, 60):
        steps = transitions(value)
        assert sum(p for _, p in steps) == pytest.approx(1.0)
        for key in KEYS:
            published = perturbed(value, key)
            assert published not in (1, 2)
            assert abs(published - value) <= MAX_DEVIATION
        if value >= 4 or value in (0, 1, 2):
            # No bias: sums over many cells stay right on average.
            assert sum(out * p for out, p in steps) == pytest.approx(value)
    assert {perturbed(0, key) for key in KEYS} == {0}
    assert set(TRANSITIONS) == {0, 1, 2, 3, 4} and len(SPREAD) == 2 * MAX_DEVIATION + 1


def test_the_record_keys_come_from_the_secret(settings):
    first = coefficients("beneficiary", settings.SECRET_KEY)
    assert all(1 <= c < MODULUS for c in first)
    assert coefficients("case", settings.SECRET_KEY) != first
    assert coefficients("beneficiary", settings.SECRET_KEY + "x") != first


def test_an_employer_minus_its_post_no_longer_gives_the_other_posts_person(
    employer_of_two_posts,
):
    employer, post_a, post_b = employer_of_two_posts
    differences = []
    for period in months():
        whole = shown(Scope.for_employer(employer), period)
        alone = shown(Scope.for_post(post_a), period)
        differences.append(people(whole)[0] - people(alone)[0])
    # Exactly 1 each month before; now the truth blurred by both perturbations.
    assert len(set(differences)) >= 3, differences
    assert Counter(differences)[1] <= 8, differences
    assert all(abs(d - 1) <= 2 * MAX_DEVIATION for d in differences)
    # Post B's own figure, one person, is never shown as such.
    for period in months():
        assert people(shown(Scope.for_post(post_b), period))[0] in (0, 3)


def test_two_periods_a_day_apart_no_longer_give_that_days_file(employer_of_two_posts):
    employer, _, _ = employer_of_two_posts
    scope = Scope.for_employer(employer)
    differences = []
    for period in months():
        # The 12th: post A opens a file that day, and nothing else happens.
        to_12 = Period(period.start, period.start.replace(day=12))
        to_11 = Period(period.start, period.start.replace(day=11))
        differences.append(opened(shown(scope, to_12)) - opened(shown(scope, to_11)))
    assert len(set(differences)) >= 3, differences
    assert Counter(differences)[1] <= 8, differences


def test_the_same_records_always_give_the_same_figure(employer_of_two_posts):
    employer, post_a, _ = employer_of_two_posts
    scope = Scope.for_post(post_a)
    quarters = [
        Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        Period(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
    ]
    q1, q2 = (shown(scope, quarter) for quarter in quarters)
    # The first quarter's people, as the period and as the next quarter's previous one.
    assert people(q1)[0] == people(q2)[1]
    # The same people in every table that counts them.
    tables = tables_of(q1)
    for key in ("profile", "sex", "age", "family", "residence"):
        assert tables[key]["total"][0] == people(q1)[0], key
    # Asked with other dates covering the same files: the same figures.
    late = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 30))
    assert people(shown(scope, late))[0] == people(q1)[0]


def test_the_worker_of_the_post_reads_the_exact_figures(employer_of_two_posts):
    _, post_a, _ = employer_of_two_posts
    period = next(months())
    exact = live_figures(scope=Scope.for_post(post_a), period=period, masked=False).figures
    truth = indicators.compute(Scope.for_post(post_a), period)
    assert tables_of(exact)["activity"]["rows"] == tables_of(truth)["activity"]["rows"]
    assert "perturbed" not in exact and people(exact)[0] == 5
