"""Bilans of nested periods (reporting.secrecy.timeline): the relations between them, the
bilans a bilan is protected with, and a property: a quarter protected with its months
leaves no month's count to be narrowed by the four bilans together."""

import calendar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting.secrecy import Publication, audit, protect
from reporting.secrecy.timeline import tied_periods, tiling, tilings, time_relations

JUL, AUG, SEP = (
    ("2026-07-01", "2026-07-31"),
    ("2026-08-01", "2026-08-31"),
    ("2026-09-01", "2026-09-30"),
)
Q2, Q3 = ("2026-04-01", "2026-06-30"), ("2026-07-01", "2026-09-30")
YEAR, LAST_YEAR = ("2026-01-01", "2026-12-31"), ("2025-01-01", "2025-12-31")
KINDS = ["Entretien physique", "Entretien téléphonique", "Accompagnement physique"]


def test_a_period_is_tiled_by_the_longest_periods_that_follow_one_another():
    assert tiling(Q3, {JUL, AUG, SEP, Q3}) == [JUL, AUG, SEP]
    assert tiling(
        YEAR, {Q3, JUL, AUG, SEP, ("2026-01-01", "2026-06-30"), ("2026-10-01", "2026-12-31")}
    ) == [
        ("2026-01-01", "2026-06-30"),
        Q3,
        ("2026-10-01", "2026-12-31"),
    ]
    assert tiling(Q3, {JUL, SEP}) is None  # August missing: no sum, only bounds


def test_sums_for_events_bounds_for_people_and_none_for_age_bands():
    variables = [
        (g, (p, key, label, "count"))
        for g in ("A",)
        for p in (JUL, AUG, SEP, Q3)
        for key, label in (
            ("actes", None),
            ("activity", "Personnes accompagnées"),
            ("age", "18 à 24 ans"),
        )
    ]
    relations = time_relations(variables)
    actes = [r for r in relations if any(k[1][1] == "actes" for k in r[0])]
    people = [r for r in relations if any(k[1][1] == "activity" for k in r[0])]
    assert (
        {
            ("A", (Q3, "actes", None, "count")): 1,
            **{("A", (m, "actes", None, "count")): -1 for m in (JUL, AUG, SEP)},
        },
        "eq",
    ) in actes
    assert any(sense == "le" for _, sense in people) and not any(
        sense == "eq" for _, sense in people
    )
    assert not any(k[1][1] == "age" for r in relations for k in r[0])


def test_a_bilan_is_audited_with_the_periods_nested_in_its_own_and_the_unsealed_chain():
    others = {
        "jul": (JUL, ("2026-06-01", "2026-06-30"), True),
        "q2": (Q2, ("2026-01-01", "2026-03-31"), True),
        "q1": (("2026-01-01", "2026-03-31"), ("2025-10-01", "2025-12-31"), True),
        "last year": (LAST_YEAR, ("2024-01-01", "2024-12-31"), True),
    }
    # The quarter, sealed: its month, and its source (the second quarter), not the first.
    assert tied_periods(Q3, Q2, True, others, source="q2") == {"jul", "q2"}
    # Not sealed: the second quarter's bilans too, and the first through an unsealed one.
    others["q2"] = (Q2, others["q2"][1], False)
    assert tied_periods(Q3, Q2, False, others) == {"jul", "q2", "q1"}
    # The year: every bilan of a period inside it, nothing of the year before.
    assert tied_periods(YEAR, LAST_YEAR, True, others) == {"jul", "q2", "q1"}


def _figures(period, counts):
    rows = [{"label": k, "values": [c, 0]} for k, c in zip(KINDS, counts, strict=True) if c]
    table = {
        "key": "actes",
        "columns": ["Période", "Période précédente"],
        "rows": rows,
        "total": [sum(counts), 0],
        "shares": {},
        "sums": [],
    }
    return {
        "period": {"start": period[0], "end": period[1]},
        "previous_period": {"start": "2026-01-01", "end": "2026-01-31"},
        "rows": "period",
        "sections": [{"tables": [table]}],
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.integers(0, 6), min_size=3, max_size=3), min_size=3, max_size=3))
def test_a_quarter_protected_with_its_months_leaves_nothing_to_narrow(months):
    made = []
    for period, counts in zip((JUL, AUG, SEP), months, strict=True):
        figures = _figures(period, counts)
        hidden, findings = protect(figures, published=list(made))
        assert findings == []
        made.append(Publication(figures, hidden))
    quarter = _figures(Q3, [sum(m[i] for m in months) for i in range(3)])
    hidden, findings = protect(quarter, published=list(made))
    if not findings:  # refused otherwise: it publishes nothing
        made.append(Publication(quarter, hidden))
        # The reader's subtraction: the quarter minus the two months shown.
        shown = [_shown(p) for p in made]
        for label in [*KINDS, "Total"]:
            *parts, whole = [s.get(label, 0) for s in shown]
            unknown = [p for p in parts if p is None]
            if whole is not None and len(unknown) == 1:
                assert whole - sum(p for p in parts if p is not None) not in (1, 2), label
    assert audit(made) == []


def _shown(publication) -> dict:
    """{row label: count shown, or None if masked} of a bilan's actes (absent row: 0)."""
    table = publication.figures["sections"][0]["tables"][0]
    shown = {}
    for r, row in enumerate(table["rows"]):
        shown[row["label"]] = None if ("actes", r, 0) in publication.hidden else row["values"][0]
    shown["Total"] = None if ("actes", -1, 0) in publication.hidden else table["total"][0]
    return shown


def test_every_way_of_tiling_a_period_is_written():
    jan, feb_mar = ("2026-01-01", "2026-01-31"), ("2026-02-01", "2026-03-31")
    jan_feb, mar = ("2026-01-01", "2026-02-28"), ("2026-03-01", "2026-03-31")
    q1 = ("2026-01-01", "2026-03-31")
    assert sorted(tilings(q1, {jan, feb_mar, jan_feb, mar, q1})) == sorted(
        [[jan, feb_mar], [jan_feb, mar]]
    )


def test_a_month_whose_previous_column_is_computed_afresh_ties_the_quarter_before():
    """The employer's third quarter made first, its second quarter's column computed
    afresh (not sealed): post 1's April is audited with it."""
    april = ("2026-04-01", "2026-04-30")
    others = {"employer q3": (Q3, Q2, False), "q3 sealed": (Q3, Q2, True)}
    march = ("2026-03-01", "2026-03-31")
    # The sealed one comes with it: its period is the employer's (nested).
    assert tied_periods(april, march, True, others) == {"employer q3", "q3 sealed"}
    assert tied_periods(april, march, True, {"q3 sealed": others["q3 sealed"]}) == set()


def test_a_quarter_made_before_its_months_bounds_them_with_their_sum():
    """The quarter shows 3 « Entretien téléphonique » before its months are made: July's 1
    and August's 2, both masked but listed, were each at least 1, so each at most 2.
    August, which no mask of its own can protect (its row listed says ≥ 1), is now
    refused: it publishes nothing."""
    made = []
    for period, counts in ((Q3, [30, 3, 0]), (JUL, [10, 1, 0]), (AUG, [12, 2, 0])):
        figures = _figures(period, counts)
        hidden, findings = protect(figures, published=list(made))
        if not findings:
            made.append(Publication(figures, hidden))
    shown = [_shown(p) for p in made]
    label = KINDS[1]
    quarter, months = shown[0], shown[1:]
    listed_masked = [m for m in months if label in m and m[label] is None]
    if quarter[label] is not None and len(listed_masked) == 2:
        # Each at least 1: each at most the quarter's count minus 1.
        assert quarter[label] - 1 >= 3
    assert len(made) == 2
    assert audit(made) == []


def test_a_way_of_tiling_inside_the_first_ways_parts_is_not_written_again():
    """The year by its quarters, and each quarter by its months: the year by Q1, Q2, Q3
    and October to December is implied by these, and is not written (16 ways before)."""
    year = ("2026-01-01", "2026-12-31")
    quarters = [(f"2026-{m:02d}-01", end) for m, end in ((1, "2026-03-31"), (4, "2026-06-30"))]
    quarters += [("2026-07-01", "2026-09-30"), ("2026-10-01", "2026-12-31")]
    months = {
        (f"2026-{m:02d}-01", f"2026-{m:02d}-{calendar.monthrange(2026, m)[1]}")
        for m in range(1, 13)
    }
    assert tilings(year, {year, *quarters, *months}) == [quarters]
    # A period across the quarters' bounds (February to April) brings a relation.
    feb_apr = ("2026-02-01", "2026-04-30")
    found = tilings(year, {year, *quarters, *months, feb_apr})
    assert found[0] == quarters and len(found) == 2
    assert feb_apr in found[1]
