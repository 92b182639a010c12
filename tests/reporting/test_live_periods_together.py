"""The perturbed live statistics read side by side (reporting.secrecy.perturbed_audit.
narrowed_together, reporting.live.perturbed_period_problem).

Reproduced before: each answer was audited alone, and a viewer whose figures are
perturbed could ask for months, quarters and years. A quarter read 3 (1 to 5 in truth)
beside its year read 0 (0 to 2) confines the quarter's count, and the year's, to 1 or 2,
though neither answer does alone: months beside their quarters left 8 to 59 counts
confined in each of the demo's posts, and the year 2025 of an Ain post of the national
base beside its four quarters, 89. Such a viewer now asks for ended quarters only, and
quarters side by side, each protected alone, confine nothing.
"""

import datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reporting import indicators
from reporting.indicators.base import table
from reporting.indicators.keys import MODULUS
from reporting.live import live_figures, perturbed_period_problem
from reporting.periods import Period, month_of, quarter_of, year_of
from reporting.scope import Scope
from reporting.secrecy.layout import tables_of
from reporting.secrecy.perturbation import perturb
from reporting.secrecy.perturbed_audit import narrowed, narrowed_together, protect_perturbed
from tests.cases.factories import CaseFactory

UP, DOWN = int(0.9 * MODULUS), int(0.1 * MODULUS)  # a 1 reads 3; a 1 reads 0
ARS = "Ars (01003)"
TODAY = datetime.date(2026, 12, 6)


def quarter(year, number) -> Period:
    return quarter_of(datetime.date(year, 3 * number, 1))


def _figures(period: Period, rows) -> dict:
    return {
        "period": period.as_dict(),
        "previous_period": period.previous().as_dict(),
        "sections": [{"tables": [table("commune", "Communes", "Commune", rows)]}],
    }


def _answer(period, true_rows, key_rows):
    true = _figures(period, true_rows)
    return true, perturb(true, _figures(period, key_rows))


def test_a_quarter_read_3_beside_its_year_read_0_confines_both_so_years_are_not_asked():
    """Alone, the quarter's 3 may be 3 and the year's 0 may be 0; together, the quarter's
    people are at most the year's, so both are 1 or 2. The live statistics of a viewer
    whose figures are perturbed answer ended quarters, neither a year nor a month."""
    q1 = _answer(quarter(2025, 1), [(ARS, [1, 0])], [(ARS, [UP, 0])])
    year = _answer(year_of(datetime.date(2025, 1, 1)), [(ARS, [1, 0])], [(ARS, [DOWN, 0])])
    assert tables_of(q1[1])["commune"]["rows"][0]["values"][0] == 3
    assert tables_of(year[1])["commune"]["rows"] == []  # read 0: not listed
    assert narrowed(*q1) == set() and narrowed(*year) == set()
    assert narrowed_together([q1, year]) == {
        (0, ("commune", ARS, 0)),
        (0, ("commune", -1, 0)),
        (1, ("commune", ARS, 0)),
        (1, ("commune", -1, 0)),
    }
    for nested in (year_of(datetime.date(2025, 1, 1)), month_of(datetime.date(2025, 2, 1))):
        assert perturbed_period_problem(nested, masked=True, today=TODAY), nested
        assert perturbed_period_problem(nested, masked=False, today=TODAY) is None
    assert perturbed_period_problem(quarter(2025, 1), masked=True, today=TODAY) is None


# People: (commune, the quarters they were followed in, 0 for the last of 2024 to 5 for
# the first of 2026, and their record key).
PERSON = st.tuples(
    st.sampled_from([ARS, "Bourg (01053)", "Cras (01010)"]),
    st.sets(st.integers(0, 5), min_size=1),
    st.integers(0, MODULUS - 1),
)
QUARTERS = [quarter(2024, 4)] + [quarter(2025, n) for n in (1, 2, 3, 4)] + [quarter(2026, 1)]


def _counted(people, period: Period, measure) -> list:
    """Communes' rows (count or key sum) of the people followed in ``period`` and in the
    quarter before."""
    rows = {}
    for which, span in enumerate((period, period.previous())):
        for commune, followed, key in people:
            if any(QUARTERS[q] == span for q in followed):
                rows.setdefault(commune, [0, 0])[which] += measure(key)
    return sorted(rows.items())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(people=[(ARS, {1}, UP), (ARS, {2}, DOWN), (ARS, {2, 3}, UP)])
@given(people=st.lists(PERSON, min_size=1, max_size=8))
def test_quarters_side_by_side_each_protected_alone_confine_nothing(people):
    """Random people over five quarters: each answer protected alone (its table masked
    whole where it confines a count), the five read together confine no count to 1 or 2
    (300 examples when this test was written; 60 in each run)."""
    answers = []
    for period in QUARTERS[1:]:
        true = _figures(period, _counted(people, period, lambda key: 1))
        shown = perturb(true, _figures(period, _counted(people, period, lambda key: key)))
        protect_perturbed(true, shown)
        answers.append((true, shown))
    assert narrowed_together(answers) == set()


@pytest.mark.django_db
def test_a_posts_quarters_as_shown_confine_nothing_together():
    """Seven quarters of one post's live statistics, as the préfecture reads them."""
    post = CaseFactory(opened_on=datetime.date(2025, 2, 3)).post
    for day in ("2025-02-10", "2025-06-02", "2025-11-20", "2026-03-03", "2026-08-17"):
        CaseFactory(post=post, opened_on=datetime.date.fromisoformat(day))
    scope = Scope.for_post(post)
    quarters = [quarter(2025, n) for n in (1, 2, 3, 4)] + [quarter(2026, n) for n in (1, 2, 3)]
    answers = [
        (
            indicators.compute(scope, period),
            live_figures(scope=scope, period=period, masked=True).figures,
        )
        for period in quarters
    ]
    assert narrowed_together(answers) == set()
