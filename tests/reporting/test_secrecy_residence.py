"""The residence table tells a reader which communes are of the bilan's département: the
audit reads that département from the table (every recipient knows it), not from the
communes' counts, which two départements can share or none can add up to."""

import datetime

import pytest

from reporting import indicators
from reporting.consolidation import COUNTS
from reporting.indicators import base
from reporting.indicators.base import merge_packed, table
from reporting.indicators.territory import DEPARTMENT
from reporting.periods import quarter_of
from reporting.scope import Scope
from reporting.secrecy import Publication, audit
from reporting.secrecy.audit import build
from reporting.secrecy.layout import layout, row_keys, tables_of
from reporting.secrecy.solver import Solver
from tests.iscg.factories import CommuneFactory, DepartmentFactory, EmployerFactory, PostFactory
from tests.reporting.test_secrecy_late_quarter import _people
from tests.reporting.test_secrecy_withheld_tables import _figures, _q4_commune

Q4, Q3 = ("2025-10-01", "2025-12-31"), ("2025-07-01", "2025-09-30")
OCTOBER, SEPTEMBER = ("2025-10-01", "2025-10-31"), ("2025-09-01", "2025-09-30")
ANNECY, BOURG, LYON = "Annecy (74010)", "Bourg (01053)", "Lyon (69123)"
UNKNOWN = "Commune non renseignée"


def _with_residence(figures, inside, outside, department):
    residence = table(
        "residence",
        "Résidence",
        "Résidence",
        [
            ("Dans le département", [*inside, None]),
            ("Hors du département", [*outside, None]),
            ("Non renseignée", [0, 0, None]),
        ],
        columns=["Période", "Période précédente", "Part (période, %)"],
        shares={"2": 0},
    )
    if department is not None:
        residence[DEPARTMENT] = department
    figures["sections"][0]["tables"].insert(1, residence)
    return figures


def _cell(figures, key, label):
    return (key, row_keys(tables_of(figures)[key]).index(label), 0)


@pytest.mark.no_db
def test_a_departement_is_told_by_its_code_when_two_prefixes_add_up_alike():
    """A post of Haute-Savoie (74): Annecy 4, Bourg (Ain) 4, Lyon 1; « dans le
    département » 4, the table's total 9. Lyon, Annecy and « hors du département »
    masked: a reader knows Annecy is the département's, so Annecy = 4 and Lyon = 9 - 4 -
    4 = 1. Failed before: the audit took the département from the communes adding up to
    4, the first of 01 and 74, read Bourg as « dans le département » and found nothing."""
    communes = [(ANNECY, [4, 0]), (BOURG, [4, 0]), (LYON, [1, 0])]
    figures = _with_residence(_figures(Q4, Q3, communes, [9, 0]), [4, 0], [5, 0], "74")
    lyon = _cell(figures, "commune", LYON)
    outside = _cell(figures, "residence", "Hors du département")
    hidden = {lyon, _cell(figures, "commune", ANNECY), outside}

    found = [f.cell for f in audit([Publication(figures, hidden)])]

    assert lyon in found
    # Masking « dans le département » too leaves Annecy + Lyon = 5 and Lyon up to 4.
    hidden.add(_cell(figures, "residence", "Dans le département"))
    assert audit([Publication(figures, hidden)]) == []


@pytest.mark.no_db
def test_a_withheld_table_with_nobody_in_the_departement_holds_none_of_its_communes():
    """Employer E, posts A and B of the Ain. A counts 5 people in Lyon in Q4 (4 in Q3);
    B 2 in Bourg and 5 in Lyon in October. A's Q4 withholds its communes and shows 0
    people « dans le département »; E's October lists Bourg. A reader knows A has nobody
    in Bourg in Q4. Failed before: no code prefix of A's communes adds up to 0, so the
    audit left A's Q4 Bourg free up to 5: weaker than the reader."""
    e_october = _with_residence(
        _figures(OCTOBER, SEPTEMBER, [(LYON, [10, 0]), (BOURG, [2, 0])], [12, 0]),
        [2, 0],
        [10, 0],
        "01",
    )
    a = _with_residence(_figures(Q4, Q3, [(LYON, [5, 4])], [5, 4]), [0, 0], [5, 4], "01")
    withheld = Publication(a, set(), posts=frozenset({1}), withheld=frozenset({"commune"}))
    withheld.hidden = {c for c in withheld.lay.cells if c[0] == "commune"}
    masked = {
        _cell(e_october, "commune", BOURG),
        _cell(e_october, "residence", "Dans le département"),
        _cell(e_october, "residence", "Hors du département"),
    }
    listed = Publication(e_october, masked, posts=frozenset({1, 2}))

    system = build([withheld, listed])

    a_bourg = _q4_commune(system, frozenset({0, 1}), "Bourg")
    assert Solver(system).interval({a_bourg: 1}) == (0, 0)


@pytest.mark.no_db
def test_figures_made_before_the_table_held_its_departement_still_find_it():
    """A bilan stored without the code: the prefix whose communes add up to « dans le
    département » (Bourg 5 of 01), so Lyon (1, masked) = « hors » 3 - Grenoble 2."""
    grenoble = "Grenoble (38185)"
    communes = [(BOURG, [5, 0]), (grenoble, [2, 0]), (LYON, [1, 0])]
    figures = _with_residence(_figures(Q4, Q3, communes, [8, 0]), [5, 0], [3, 0], None)
    lyon, grenoble = _cell(figures, "commune", LYON), _cell(figures, "commune", grenoble)
    total = ("commune", -1, 0)
    lay = layout(figures)
    assert lay.cells[total][1] == 8

    found = {f.cell for f in audit([Publication(figures, {lyon, grenoble, total})])}

    assert {lyon, grenoble} <= found


@pytest.mark.django_db
def test_a_bilan_of_a_departement_holds_its_code_and_a_consolidation_none():
    department = DepartmentFactory(code="74")
    post = PostFactory(employer=EmployerFactory(department=department))
    annecy = CommuneFactory(department=department, code="74010", name="Annecy")
    _people(post, annecy, 2025, 11, 3, days=0)

    quarter = quarter_of(datetime.date(2025, 10, 1))
    figures, sources, _ = indicators.compute_with_sources(Scope.for_post(post), quarter)

    assert tables_of(figures)["residence"][DEPARTMENT] == "74"
    assert tables_of(figures)["residence"]["rows"][0]["values"][0] == 3
    # A consolidation of several départements lists départements, not communes.
    rows = {name: merge_packed([sources[name]], COUNTS.get(name, base.COUNTS)) for name in sources}
    national = indicators.compute_from_sources(quarter, rows)
    assert DEPARTMENT not in tables_of(national)["residence"]


def _unknown_in_q4(withheld_figures):
    """The interval of A's Q4 « Commune non renseignée », A's Q4 withholding its communes,
    E's October (A and B) listing that row, masked."""
    e_october = _with_residence(
        _figures(OCTOBER, SEPTEMBER, [(BOURG, [10, 0]), (UNKNOWN, [2, 0])], [12, 0]),
        [10, 0],
        [0, 0],
        "01",
    )
    tables_of(e_october)["residence"]["rows"][2]["values"][0] = 2
    masked = {_cell(e_october, "commune", UNKNOWN), _cell(e_october, "residence", "Non renseignée")}
    withheld = Publication(
        withheld_figures, set(), posts=frozenset({1}), withheld=frozenset({"commune"})
    )
    withheld.hidden = {c for c in withheld.lay.cells if c[0] == "commune"}
    system = build([withheld, Publication(e_october, masked, posts=frozenset({1, 2}))])
    return Solver(system).interval({_q4_commune(system, frozenset({0, 1}), UNKNOWN): 1})


@pytest.mark.no_db
def test_a_withheld_table_keeps_its_unknown_commune_equal_to_non_renseignee():
    """« Non renseignée » is the row « Commune non renseignée », listed or not. A's Q4
    withholds its communes and shows « Non renseignée » 4 (its row 4): the row is 4,
    not anything up to 4; shows it 0 (no such row): the row some other bilan gives A
    in the quarter is 0. Failed before: the row was at most « Non renseignée » (0 to
    4), and without a row of its own, free."""
    counted = _with_residence(
        _figures(Q4, Q3, [(BOURG, [6, 0]), (UNKNOWN, [4, 0])], [10, 0]), [6, 0], [0, 0], "01"
    )
    tables_of(counted)["residence"]["rows"][2]["values"][0] = 4
    assert _unknown_in_q4(counted) == (4, 4)

    none = _with_residence(_figures(Q4, Q3, [(BOURG, [6, 0])], [6, 0]), [6, 0], [0, 0], "01")
    assert _unknown_in_q4(none) == (0, 0)
