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
from django.template.loader import render_to_string
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from iscg.dates import add_months
from reporting import indicators
from reporting.frozen import perturbed_answer
from reporting.indicators.base import table
from reporting.indicators.keys import MODULUS, coefficients
from reporting.live import NotClosedQuarter, live_figures
from reporting.periods import Period, quarter_of
from reporting.scope import Scope
from reporting.secrecy import MASKED
from reporting.secrecy.layout import tables_of
from reporting.secrecy.perturbation import (
    MAX_DEVIATION,
    SPREAD,
    TRANSITIONS,
    perturb,
    perturbed,
    transitions,
    withhold,
)
from tests.cases.factories import CaseFactory
from tests.iscg.factories import EmployerFactory, PostFactory
from tests.reporting.synthetic import median_table

pytestmark = pytest.mark.django_db
KEYS = [i / 1000 for i in range(1000)]


def quarters():
    """Twelve quarters whose entries are closed (perturbed answers are given for no
    other period: reporting.live.NotClosedQuarter), October 2023 to September 2026."""
    for index in range(12):
        yield quarter_of(add_months(datetime.date(2023, 10, 1), 3 * index))


def people(figures) -> tuple[int, int]:
    """(current, previous) of « Personnes accompagnées »."""
    return tuple(tables_of(figures)["activity"]["rows"][0]["values"][:2])


def opened(figures) -> int:
    return tables_of(figures)["activity"]["rows"][2]["values"][0]


def shown(scope, period):
    return live_figures(scope=scope, period=period, masked=True).figures


@pytest.fixture
def employer_of_two_posts():
    """Post A: five files opened in the first month of every quarter, each followed to
    the quarter's end. Post B: one person a quarter, whose file opens on the 10th of its
    first month and closes on the 20th."""
    employer = EmployerFactory()
    post_a, post_b = PostFactory(employer=employer), PostFactory(employer=employer)
    for period in quarters():
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
    """The employer's count is the sum of its posts' published counts
    (reporting.secrecy.perturbation.sum_of_posts): less post A's, it is post B's own
    published count, never its single person."""
    employer, post_a, post_b = employer_of_two_posts
    differences = []
    for period in quarters():
        whole = people(shown(Scope.for_employer(employer), period))[0]
        alone = people(shown(Scope.for_post(post_a), period))[0]
        other = people(shown(Scope.for_post(post_b), period))[0]
        # Post B's own figure, one person, is never shown as such (« s » where the other
        # figures would confine it to 1 or 2: reporting.secrecy.perturbed_audit).
        assert other in (0, 3, MASKED)
        if other == MASKED:  # and so is the employer's: less A's, it would be B's
            assert whole == MASKED
            continue
        differences.append(whole - alone)
        assert whole - alone == other
    # Exactly 1 each month before; now B's published count, quarter after quarter.
    assert differences and set(differences) <= {0, 3}, differences


def test_two_periods_a_day_apart_no_longer_give_that_days_file(employer_of_two_posts):
    """Neither window is answered (not a quarter); perturbed, as they were before
    quarters only were answered, their difference did not give the file either."""
    _, post_a, _ = employer_of_two_posts
    scope = Scope.for_post(post_a)
    differences = []
    for period in quarters():
        # The 12th: post A opens a file that day, and nothing else happens.
        to_12 = Period(period.start, period.start.replace(day=12))
        to_11 = Period(period.start, period.start.replace(day=11))
        for window in (to_12, to_11):
            with pytest.raises(NotClosedQuarter):
                shown(scope, window)
        answers = [perturbed_answer(post_a, window) for window in (to_12, to_11)]
        differences.append(opened(answers[0]) - opened(answers[1]))
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
    # Other dates covering the same files are not answered; perturbed, they read the same.
    late = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 30))
    with pytest.raises(NotClosedQuarter):
        shown(scope, late)
    assert people(perturbed_answer(post_a, late))[0] == people(q1)[0]


def test_the_worker_of_the_post_reads_the_exact_figures(employer_of_two_posts):
    _, post_a, _ = employer_of_two_posts
    period = next(quarters())
    exact = live_figures(scope=Scope.for_post(post_a), period=period, masked=False).figures
    truth = indicators.compute(Scope.for_post(post_a), period)
    assert tables_of(exact)["activity"]["rows"] == tables_of(truth)["activity"]["rows"]
    assert "perturbed" not in exact and people(exact)[0] == 5


def _figures_of(*tables) -> dict:
    period = {"start": "2026-01-01", "end": "2026-03-31", "label": "T1 2026"}
    previous = {"start": "2025-10-01", "end": "2025-12-31", "label": "T4 2025"}
    return {"period": period, "previous_period": previous, "sections": [{"tables": list(tables)}]}


def _communes(rows) -> dict:
    from reporting.indicators.base import table

    return table("commune", "Communes", "Commune", rows)


def test_communes_are_ranked_by_the_published_counts_not_the_true_ones():
    """Reproduced before (an attacker's review): the rows kept their rank by the true
    count, so two « 3 » out of their names' order, or a « 3 » under a « 3 », told the
    true counts apart (336 cells of 1 or 2 read exactly on the demo)."""
    true = [("Saint-Laurent (01002)", [2, 0]), ("Bourg (01001)", [1, 0])]
    true = [("Villars (01009)", [4, 0]), ("Ars (01003)", [4, 0]), *true]
    true.append(("Commune non renseignée", [1, 0]))
    for seed in range(40):
        keys = [
            (label, [(seed * 2654435761 + i * 40503) % MODULUS, 0])
            for i, (label, _) in enumerate(true)
        ]
        shown = perturb(_figures_of(_communes(true)), _figures_of(_communes(keys)))
        rows = tables_of(shown)["commune"]["rows"]
        if rows[-1]["label"] == "Commune non renseignée":  # left out when it reads 0
            rows = rows[:-1]
        assert "Commune non renseignée" not in [row["label"] for row in rows]
        ranked = [(-row["values"][0], row["label"]) for row in rows]
        assert ranked == sorted(ranked), (seed, rows)


def test_a_bilan_lists_its_masked_communes_by_name_after_the_shown_ones():
    """The same order leak in a bilan: masked rows listed by their true counts (2 then 1)
    after a shown 3 said which was which."""
    from reporting.secrecy import MASKED, apply_mask

    rows = [
        ("Oyonnax (01283)", [3, 0]),
        ("Saint-Laurent (01002)", [2, 0]),
        ("Bourg (01001)", [1, 0]),
    ]
    shown = apply_mask(_figures_of(_communes(rows)), {("commune", 1, 0), ("commune", 2, 0)})
    listed = [(row["label"], row["values"][0]) for row in tables_of(shown)["commune"]["rows"]]
    assert listed == [
        ("Oyonnax (01283)", 3),
        ("Bourg (01001)", MASKED),
        ("Saint-Laurent (01002)", MASKED),
    ]


def test_counts_kept_from_anonymised_files_get_a_secret_spread_key():
    """Reproduced before: a kept count n had the key n × a constant, so small that the
    first move was always drawn (2 → 0, n → n − 2): the shown figure gave the count."""
    from reporting.indicators.keys import as_keys
    from reporting.secrecy.perturbation import cell_key

    shown = set()
    for group in range(40):
        kept = {"sex": "F", "group": group, "current": 2, "previous": 0}
        key = as_keys([kept], {"current", "previous"})[0]
        assert key["previous"] == 0  # nothing counted: no key
        assert as_keys([kept], {"current", "previous"})[0] == key  # the same row, the same key
        shown.add(perturbed(2, cell_key(key["current"])))
    assert shown == {0, 3, 4}


def test_the_median_follows_the_published_count_of_closed_files():
    """Reproduced before: « — » for 0 closed and « s » for 1 or 2, both published 0."""
    from reporting.secrecy.perturbation import _median_shown

    assert _median_shown(0, "12 j") == "—" and _median_shown(0, "—") == "—"
    assert _median_shown(3, "12 j") == "s" and _median_shown(4, "40.5 j") == "s"
    assert _median_shown(5, "72.5 j") == "≈ 70 j"
    assert _median_shown(9, "73 j") == "≈ 75 j"


def test_a_row_published_at_zero_in_every_column_is_not_listed():
    """A table of rows lists a commune only if someone of the scope lives there (in
    either period). Published « 0 » and « 0 », still listed, it told the reader that one
    or two people lived there: a count of 1 or 2 read from the row itself. A row whose
    every count reads 0 is left out, as a row of nobody is; one with a count shown stays."""
    true = [
        ("Bourg (01001)", [7, 2]),
        ("Ars (01003)", [1, 0]),  # 1 reads 0 under a cell key below 2/3
        ("Villars (01009)", [0, 2]),  # 2 reads 0 under a cell key below 0.4
        ("Cras (01010)", [1, 5]),  # the previous period's 5 reads 3 to 7: listed
    ]
    keys = [(label, [0, 0]) for label, _ in true]
    shown = perturb(_figures_of(_communes(true)), _figures_of(_communes(keys)))
    rows = {row["label"]: row["values"] for row in tables_of(shown)["commune"]["rows"]}
    assert set(rows) == {"Bourg (01001)", "Cras (01010)"}
    assert rows["Cras (01010)"][0] == 0


def test_a_row_read_3_under_a_total_read_0_is_masked_with_its_total():
    """Each count perturbed by its own key, the published counts bound the true ones
    together: a commune read 3 (1 to 5) under a total read 0 (0 to 2) had 1 or 2 people,
    and so had the total (found on the demo's posts, 2026-12-06: 2 to 4 such cells in
    three posts of four). The audit of the published counts finds them. The table is
    masked whole, its rows unlisted: « s » on the cells found alone would point at them
    (each is a 1 or a 2). Nothing is left to narrow."""
    from reporting.secrecy.layout import TOTAL
    from reporting.secrecy.perturbed_audit import narrowed, protect_perturbed

    true = _figures_of(_communes([("Ars (01003)", [1, 0]), ("Cras (01010)", [1, 0])]))
    up, down = int(0.9 * MODULUS), int(0.1 * MODULUS)  # 1 reads 3; 1 and 2 read 0
    keys = _figures_of(_communes([("Ars (01003)", [up, 0]), ("Cras (01010)", [down, 0])]))
    tables_of(keys)["commune"]["total"] = [down, 0]
    shown = perturb(true, keys)
    communes = tables_of(shown)["commune"]
    assert [r["label"] for r in communes["rows"]] == ["Ars (01003)"]
    assert (communes["rows"][0]["values"][0], communes["total"][0]) == (3, 0)
    assert narrowed(true, shown) == {("commune", "Ars (01003)", 0), ("commune", TOTAL, 0)}
    assert protect_perturbed(true, shown) == 2
    assert communes["rows"] == []
    assert communes["total"] == [MASKED, MASKED]
    assert narrowed(true, shown) == set()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(  # a row read 3 under a total read 0 (the test above)
    [(1, 0, int(0.9 * MODULUS)), (1, 0, int(0.1 * MODULUS))], int(0.1 * MODULUS), 0
)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, MODULUS - 1)),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, MODULUS - 1),
    st.integers(0, MODULUS - 1),
)
def test_after_the_audit_no_published_table_confines_a_count_to_1_or_2(rows, total, previous):
    """Random communes (two periods, any keys): once protected, the published counts
    never confine a true 1 or 2 to 1 or 2."""
    from reporting.secrecy.perturbed_audit import narrowed, protect_perturbed

    counted = [(f"C{i} ({1000 + i:05d})", [a, b], k) for i, (a, b, k) in enumerate(rows)]
    counted = [(label, values, k) for label, values, k in counted if any(values)]
    if not counted:
        return
    true = _figures_of(_communes([(label, values) for label, values, _ in counted]))
    keys = _figures_of(_communes([(label, [k, k // 3]) for label, _, k in counted]))
    tables_of(keys)["commune"]["total"] = [total, previous]
    shown = perturb(true, keys)
    protect_perturbed(true, shown)
    assert narrowed(true, shown) == set()


def test_the_audit_bounds_each_count_by_the_true_counts_that_may_read_it():
    """5 reads from 4 to 7, not 3 to 7 (a 3 moves to 3 or 4 only): a bound wider than
    the reader's would let the audit pass what a reader narrows."""
    from reporting.secrecy.perturbed_audit import read_bounds

    for published in range(0, 30):
        possible = [t for t in range(0, 40) if published in dict(transitions(t))]
        if possible:
            assert read_bounds(published) == (min(possible), max(possible)), published
    assert read_bounds(5) == (4, 7)


def test_a_table_masked_whole_masks_its_median_too():
    """The median row said the published class of the closed files' count (« — » for 0,
    « s » for 3 or 4, « ≈ x j » for 5 and more): masked whole, the table masks it too."""
    from reporting.secrecy.perturbation import withhold

    durations = median_table([5, 3], ["≈ 50 j", "—"])
    withhold(durations)
    assert [row["values"] for row in durations["rows"]] == [[MASKED, MASKED], [MASKED, MASKED]]


def test_a_table_masked_whole_says_so_not_that_there_is_no_data():
    """It listed no row and read « Aucune donnée sur ces périodes. » above a total « s »."""
    masked = table("problem", "Problématiques", "Problématique", [("Logement", [4, 0])])
    withhold(masked)
    html = render_to_string("reporting/partials/table.html", {"table": masked})
    assert "Tableau masqué en entier (secret statistique)" in html
    assert "Aucune donnée" not in html
    empty = table("problem", "Problématiques", "Problématique", [])
    assert "Aucune donnée sur ces périodes." in render_to_string(
        "reporting/partials/table.html", {"table": empty}
    )
