"""The attacks that undid the per-cell masking, as fixtures: each recovers a masked count
exactly from the mask a per-table rule chose ("before"), and nothing once the bilan is
protected by secondary suppression proven by the audit ("after")."""

import pytest

from reporting.indicators.base import table
from reporting.secrecy import MASKED, Publication, apply_mask, audit, intervals, protect

pytestmark = pytest.mark.no_db

Q1 = {"start": "2026-01-01", "end": "2026-03-31", "label": "T1", "short_label": "T1 2026"}
Q4 = {"start": "2025-10-01", "end": "2025-12-31", "label": "T4", "short_label": "T4 2025"}
Q3 = {"start": "2025-07-01", "end": "2025-09-30", "label": "T3", "short_label": "T3 2025"}


def figures(*tables, period=Q1, previous=Q4):
    return {
        "period": period,
        "previous_period": previous,
        "sections": [{"number": 1, "title": "S", "tables": list(tables)}],
    }


def less_than_three(*cells):
    """What « < 3 » told the reader: the count is 1 or 2."""
    return [c for cell in cells for c in (([(cell, 1)], "ge", 1), ([(cell, 1)], "le", 2))]


def recovered(publications) -> dict:
    """The masked cells whose interval is a single value: {(publication, cell): value}."""
    return {key: low for key, (low, high) in intervals(publications).items() if low == high}


def assert_protected(figs, **kwargs):
    hidden, findings = protect(figs, **kwargs)
    assert findings == []
    published = kwargs.get("published", [])
    me = Publication(figs, hidden, posts=kwargs.get("posts"))
    assert audit([me, *published]) == []
    for (i, cell), (_low, high) in intervals([me, *published]).items():
        value = (me if i == 0 else published[i - 1]).lay.cells[cell][1]
        if 0 < value < 3:
            assert high >= 3, cell
    return hidden


def communes(rows, key="commune"):
    return table(key, "Communes", "Commune", rows, chart=None)


def test_two_communes_below_three_with_their_total():
    figs = figures(
        communes([("A (01001)", [1, 0]), ("B (01002)", [1, 0]), ("C (01003)", [277, 0])])
    )
    before = {("commune", 0, 0), ("commune", 1, 0)}
    found = recovered([Publication(figs, before, known=less_than_three(*before))])
    assert found == {(0, ("commune", 0, 0)): 1, (0, ("commune", 1, 0)): 1}
    hidden = assert_protected(figs)
    assert recovered([Publication(figs, hidden)]) == {}
    # The shown figures are exact, the masked ones all read « s ».
    rows = apply_mask(figs, hidden)["sections"][0]["tables"][0]["rows"]
    assert [r["values"][0] for r in rows] == [MASKED, MASKED, MASKED]
    assert [r["values"][1] for r in rows] == [0, 0, 0]


def test_two_cells_below_three_adding_up_to_four():
    problems = table("problem", "P", "P", [("a", [2, 5]), ("b", [2, 5]), ("c", [9, 5])], chart=None)
    figs = figures(problems)
    before = {("problem", 0, 0), ("problem", 1, 0)}
    found = recovered([Publication(figs, before, known=less_than_three(*before))])
    assert found == {(0, ("problem", 0, 0)): 2, (0, ("problem", 1, 0)): 2}
    hidden = assert_protected(figs)
    assert recovered([Publication(figs, hidden)]) == {}


def test_a_row_of_small_counts_chained_through_rows_and_columns():
    columns = ["s1", "s2", "s3", "s4", "s5", "Total période", "Total période précédente"]
    orientations = table(
        "orientation",
        "O",
        "T",
        [
            ("a", [0, 1, 0, 2, 1, 4, 5]),
            ("b", [3, 4, 5, 6, 7, 25, 20]),
            ("c", [2, 9, 9, 9, 9, 38, 30]),
        ],
        columns=columns,
        sums=[[5, [0, 1, 2, 3, 4]]],
    )
    figs = figures(orientations)
    before = {("orientation", 0, 1), ("orientation", 0, 3), ("orientation", 0, 4)}
    before |= {("orientation", 2, 0), ("orientation", 1, 0)}
    found = recovered(
        [Publication(figs, before, known=less_than_three(*before - {("orientation", 1, 0)}))]
    )
    assert len(found) >= 3
    hidden = assert_protected(figs)
    assert recovered([Publication(figs, hidden)]) == {}


def activity(values):
    labels = [
        "Personnes accompagnées",
        "Accompagnements (dossiers) actifs",
        "Accompagnements ouverts",
        "Accompagnements clôturés",
        "Accompagnements en cours en fin de période",
    ]
    return table("activity", "A", "M", list(zip(labels, values, strict=True)), total=False)


def test_active_files_are_the_closed_ones_plus_the_ongoing_ones():
    # February: 7 active files, 6 still open at the end: « < 3 » closed is 1.
    figs = figures(activity([[7, 9], [7, 9], [3, 4], [1, 5], [6, 4]]))
    before = {("activity", 3, 0)}
    assert recovered([Publication(figs, before)]) == {(0, ("activity", 3, 0)): 1}
    hidden = assert_protected(figs)
    assert recovered([Publication(figs, hidden)]) == {}


def residence_tables(inside, outside, unknown, people):
    known = inside + outside
    split = table(
        "residence",
        "R",
        "Résidence",
        [
            ("Dans le département", [inside, 6, round(100 * inside / known, 1)]),
            ("Hors du département", [outside, 3, round(100 * outside / known, 1)]),
            ("Non renseignée", [unknown, 3, None]),
        ],
        columns=["Période", "Période précédente", "Part (période, %)"],
        shares={"2": 0},
    )
    return split, activity([[people, 12], [people, 12], [1, 1], [1, 1], [people - 1, 11]])


def test_a_share_over_the_known_communes_gives_the_masked_rows_away():
    split, act = residence_tables(4, 1, 2, 7)
    figs = figures(split, act)
    before = {("residence", 1, 0), ("residence", 2, 0)}
    # 80.0 % with 4 inside: 4 / 0.8 = 5 known, hence 1 outside, and 7 − 5 = 2 unknown.
    share = [([(("residence", 0, 0), 1), (("residence", 1, 0), 1)], "eq", 4 / 0.8)]
    found = recovered([Publication(figs, before, known=share)])
    assert found[(0, ("residence", 1, 0))] == 1 and found[(0, ("residence", 2, 0))] == 2
    hidden = assert_protected(figs)
    shown = apply_mask(figs, hidden)["sections"][0]["tables"][0]
    # No share is shown over a masked count or denominator.
    assert [row["values"][2] for row in shown["rows"]][:2] == [MASKED, MASKED]


def test_the_same_people_counted_in_several_sections():
    # profile and sex both add up to the people accompanied; the profile's total masked
    # with its « < 3 » cell is given back by the sex table's total.
    profile = table("profile", "P", "Profil", [("Victime", [1, 4]), ("Mis en cause", [8, 4])])
    sex = table("sex", "S", "Sexe", [("Femme", [5, 4]), ("Homme", [4, 4])])
    act = activity([[9, 8], [9, 8], [2, 2], [1, 1], [8, 7]])
    figs = figures(profile, sex, act)
    before = {("profile", 0, 0), ("profile", -1, 0), ("activity", 0, 0)}
    assert recovered([Publication(figs, before)])[(0, ("profile", 0, 0))] == 1
    hidden = assert_protected(figs)
    assert recovered([Publication(figs, hidden)]) == {}


def test_linked_sections_referrals_by_unit_and_by_origin():
    units = table(
        "referral_unit",
        "U",
        "Unité",
        [("A", [11, 0, 11, 9]), ("B", [4, 0, 4, 3]), ("C", [1, 0, 1, 2])],
        columns=["Directes", "Indirectes", "Total période", "Total période précédente"],
        sums=[[2, [0, 1]]],
    )
    origin = table(
        "origin",
        "O",
        "Origine",
        [
            ("Saisine directe par un policier ou un gendarme", [16, 14]),
            ("Auto-saisine (résumé hebdomadaire d'activité)", [0, 0]),
            ("Un partenaire", [5, 6]),
        ],
    )
    figs = figures(units, origin)
    before = {("referral_unit", 2, 0), ("referral_unit", 2, 2)}
    before |= {("referral_unit", -1, 0), ("referral_unit", -1, 2)}
    # 16 − 11 − 4 = 1
    assert recovered([Publication(figs, before)])[(0, ("referral_unit", 2, 0))] == 1
    hidden = assert_protected(figs)
    assert recovered([Publication(figs, hidden)]) == {}


def test_differencing_an_employer_and_one_of_its_posts():
    employer = figures(
        communes([("X (01001)", [2, 0]), ("Y (01002)", [4, 0]), ("Z (01003)", [10, 0])])
    )
    post = figures(communes([("Y (01002)", [4, 0]), ("Z (01003)", [6, 0])]))
    employer_hidden = assert_protected(employer)
    published = Publication(employer, employer_hidden, posts=frozenset({1, 2}))
    # The post protected alone shows what the employer hid.
    alone, _ = protect(post)
    assert audit([published, Publication(post, alone, posts=frozenset({1}))]) != []
    assert_protected(post, published=[published], posts=frozenset({1}))


def test_previous_period_columns_and_the_bilan_before():
    rows = [("X (01001)", [1, 5]), ("Y (01002)", [4, 6]), ("Z (01003)", [10, 7])]
    q4 = figures(communes(rows), period=Q4, previous=Q3)
    q1 = figures(communes([(label, [7, v[0]]) for label, v in rows]))
    q4_hidden = {("commune", 0, 0), ("commune", 1, 0)}
    q1_alone = {("commune", 0, 1), ("commune", 2, 1)}
    q4_published = Publication(q4, q4_hidden)
    found = recovered([q4_published, Publication(q1, q1_alone)])
    assert found[(0, ("commune", 0, 0))] == 1
    hidden = assert_protected(q1, published=[q4_published])
    # The previous-period column hides at least what the earlier bilan hid.
    assert {("commune", 0, 1), ("commune", 1, 1)} <= hidden
