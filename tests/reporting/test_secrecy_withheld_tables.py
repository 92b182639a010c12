"""A bilan whose own rows give a count away with the bilans sent: a table withheld.

Reproduced first (bench year_late, 2026-12-07: Bugey Sud's fourth quarter and November,
refused, 22 of 24 published): a post's annual bilan sent shows 3 people in a commune,
one from August, two from November. Its fourth quarter, made after it, lists the commune
(someone lives there) and so does its third quarter to come: masked whole, the quarter
still gave each at most 2, and was refused, publishing no figure at all. It is now
published with its table of communes withheld (« s » for each count, no commune listed),
every other table as the audit allows (failed before: refused)."""

import copy
import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reporting import indicators
from reporting.exports import to_csv
from reporting.indicators.base import table
from reporting.models import ReportKind
from reporting.pdf import render_context
from reporting.periods import month_of, quarter_of, year_of
from reporting.scope import Scope
from reporting.secrecy import MASKED, Publication, apply_mask, audit, cells_of, protect
from reporting.secrecy.audit import GROUP, build, intervals
from reporting.secrecy.continuity import carry_previous, sealed
from reporting.secrecy.layout import ACTIVITY, THRESHOLD, WITHHELD, layout, tables_of
from reporting.secrecy.related import related_publications
from reporting.secrecy.reports import report_masked_figures
from reporting.secrecy.solver import Solver
from tests.iscg.factories import (
    CommuneFactory,
    DepartmentFactory,
    EmployerFactory,
    PostFactory,
    UserFactory,
)
from tests.reporting.test_secrecy_chain import post_of_three_people
from tests.reporting.test_secrecy_late_quarter import _made, _people

pytestmark = pytest.mark.django_db


def _post_with_its_year_sent():
    """A post's annual bilan sent: 3 people in Hameau, one from August, two from November
    (its scope, its employer's manager, the year)."""
    year = timezone.localdate().year - 1
    department = DepartmentFactory(code="01")
    employer = EmployerFactory(department=department)
    manager = UserFactory(employer_manager=True, employer=employer, department=department)
    post = PostFactory(employer=employer)
    commune = CommuneFactory(department=department, code="01971", name="Hameau")
    _people(post, commune, year, 8, 1)
    _people(post, commune, year, 11, 2, days=0)
    scope = Scope.for_post(post)
    annual = _made(ReportKind.ANNUAL, year_of(datetime.date(year, 1, 1)), scope, manager)
    assert annual.audit_passed
    return scope, manager, year


def test_a_quarter_its_rows_would_give_away_is_published_with_the_table_withheld(client):
    scope, manager, year = _post_with_its_year_sent()

    fourth = _made(ReportKind.QUARTERLY, quarter_of(datetime.date(year, 10, 1)), scope, manager)

    assert (fourth.audit_passed, fourth.audit_report["unprotected"]) == (True, [])
    assert fourth.audit_report["withheld"] == ["commune"]
    shown = report_masked_figures(fourth)
    table = tables_of(shown)["commune"]
    assert table[WITHHELD] and table["rows"] == [] and set(table["total"]) == {"s"}
    assert "Hameau" not in to_csv(shown).decode()
    # The employer's manager, a recipient, reads it so on the page and in the PDF.
    client.force_login(manager)
    page = client.get(reverse("reporting:detail", args=[fourth.pk])).content.decode()
    assert "Tableau masqué en entier" in page and "Hameau" not in page
    printed = render_to_string("reporting/pdf/report.html", render_context(fourth))
    assert "Tableau masqué en entier" in printed and "Hameau" not in printed
    # As a reader holds it, beside the bilans it was protected with: nothing found.
    me = Publication(fourth.figures, cells_of(fourth.masked_cells), withheld={"commune"})
    # Its rows still count (each masked), but none is said to count someone.
    assert {c for c in me.lay.cells if c[0] == "commune"} <= cells_of(fourth.masked_cells)
    assert not [s for s in me.lay.statements if s[0][0][0][1] == "commune"]
    assert audit([me, *(p for _, p in related_publications(fourth))]) == []
    # Its rows listed, the same mask is refused: the table's rows are what gave it away.
    listed = Publication(fourth.figures, set(Publication(fourth.figures, set()).lay.cells))
    assert audit([listed, *(p for _, p in related_publications(fourth))]) != []


def test_the_next_quarter_is_audited_with_the_quarter_that_withheld_a_table():
    """The first quarter of the next year, made after that fourth quarter, follows it
    (its previous-period column) and is audited with it, the table withheld as published."""
    scope, manager, year = _post_with_its_year_sent()
    fourth = _made(ReportKind.QUARTERLY, quarter_of(datetime.date(year, 10, 1)), scope, manager)
    assert fourth.audit_report["withheld"] == ["commune"]

    first = _made(ReportKind.QUARTERLY, quarter_of(datetime.date(year + 1, 1, 1)), scope, manager)

    assert first.figures["continuity"]["report"] == fourth.pk
    assert not sealed(first.figures)
    assert fourth.pk in first.audit_report["with_reports"]
    assert first.audit_passed


def test_a_table_withheld_is_not_carried_into_the_next_bilan():
    """The previous bilan published the table masked whole: its counts are not carried
    into the previous-period column (they would publish what it withheld); the column is
    computed afresh there, and the bilan is not sealed (tied to the bilans of that period
    for the audit). Failed before: the withheld counts were carried, the bilan sealed."""
    scope = post_of_three_people()
    source = indicators.compute(scope, quarter_of(datetime.date(2026, 4, 1)))
    for row in tables_of(source)["commune"]["rows"]:
        row["values"][0] += 4  # what the source froze, not what is computed today
    figures = indicators.compute(scope, quarter_of(datetime.date(2026, 7, 1)))
    fresh = {r["label"]: r["values"][1] for r in tables_of(figures)["commune"]["rows"]}
    carried_anyway = copy.deepcopy(figures)
    carry_previous(carried_anyway, source, set())
    assert carried_anyway["continuity"]["sealed"] is True

    carry_previous(figures, source, set(), withheld={"commune"})

    carried = {r["label"]: r["values"][1] for r in tables_of(figures)["commune"]["rows"]}
    assert carried == fresh and sum(fresh.values()) == 3
    assert figures["continuity"]["sealed"] is False


YEAR = 2025


def _primary(figures) -> set:
    return {c for c, (_, v) in layout(figures).cells.items() if 0 < v < THRESHOLD}


def _rows(table) -> dict:
    return {r["label"]: r["values"][0] for r in table["rows"]}


def _hameau_found(findings) -> list:
    return [
        f
        for f in findings
        if f.publication == GROUP and f.cell[1] == "commune" and "Hameau" in (f.cell[2] or "")
    ]


def _two_posts():
    """Employer E of the Ain and its posts A and B; the communes Hameau and Bourg."""
    department = DepartmentFactory(code="01")
    employer = EmployerFactory(department=department)
    a, b = PostFactory(employer=employer), PostFactory(employer=employer)
    hameau = CommuneFactory(department=department, code="01971", name="Hameau")
    bourg = CommuneFactory(department=department, code="01970", name="Bourg")
    return employer, a, b, hameau, bourg


def _q4_commune(system, group, label) -> int:
    """The audit's unknown of a commune's fourth-quarter count for a group of posts."""
    (index,) = [
        index
        for (g, (period, key, lb, measure)), index in system.variables.items()
        if g == group
        and key == "commune"
        and label in (lb or "")
        and period == ("2025-10-01", "2025-12-31")
        and measure == "count"
    ]
    return index


def test_a_withheld_table_is_not_read_as_listing_zero_rows():
    """Employer E, posts A and B. In Q4, A counts 2 people in Hameau, B 1 (and 5 each in
    Bourg). E's Q4 shows Hameau 3; A's November lists Hameau (someone: at least 1), A's
    Q4 withheld its commune table. A reader: B's Q4 Hameau = 3 - A's Q4 Hameau, and A's Q4
    Hameau >= A's November Hameau >= 1, so B's is at most 2 (true 1): given away.

    Found by review (failed before): the audit read A's withheld commune table (rows
    removed) as a table of rows listing none, so every commune of A's Q4 was zero
    (audit._zero_rows); group_values then peeled B's Hameau as 3 - 0 = 3, not a
    protected count, and found nothing. A withheld table's rows are not zero."""
    employer, a, b, hameau, bourg = _two_posts()
    _people(a, hameau, YEAR, 11, 2, days=0)
    _people(b, hameau, YEAR, 11, 1, days=0)
    _people(a, bourg, YEAR, 11, 5, days=0)
    _people(b, bourg, YEAR, 11, 5, days=0)
    q4, november = quarter_of(datetime.date(YEAR, 10, 1)), month_of(datetime.date(YEAR, 11, 1))
    e_q4 = indicators.compute(Scope.for_employer(employer), q4)
    a_q4 = indicators.compute(Scope.for_post(a), q4)
    a_nov = indicators.compute(Scope.for_post(a), november)
    both, only_a = frozenset({a.pk, b.pk}), frozenset({a.pk})

    def held(a_q4_publication):
        return [
            Publication(e_q4, _primary(e_q4), posts=both),
            Publication(a_nov, set(layout(a_nov).cells), posts=only_a),
            a_q4_publication,
        ]

    listed = Publication(a_q4, set(layout(a_q4).cells), posts=only_a)
    assert _hameau_found(audit(held(listed)))  # B's Hameau (1) found: E's 3 must be masked

    withheld = Publication(a_q4, set(), posts=only_a, withheld=frozenset({"commune"}))
    # What the reader computes, with A's Q4 withheld: B's Hameau at most 2.
    system = build(held(withheld))
    hameau_b = _q4_commune(system, frozenset({0}), "Hameau")
    low, high = Solver(system).interval({hameau_b: 1})
    assert high < THRESHOLD  # narrowed: B's Hameau (1) is at most 2
    # The audit's target for it: its true count.
    targets = [t for t in system.targets if t.publication == GROUP and hameau_b in t.expression]
    assert [t.value for t in targets] == [1]
    # So the employer's Hameau, shown, is found: it must be masked.
    assert _hameau_found(audit(held(withheld)))


def test_the_rows_of_a_withheld_table_are_still_protected_from_the_other_tables():
    """Post A: Hameau, three people in February and two from November; Bourg, ten from
    October. Its year lists Bourg 10 and Hameau 5 (nothing else), its October Bourg 10.
    Its Q4 withholds its commune table. A reader: A's Q4 communes are among the year's
    (Hameau, Bourg); Bourg's Q4 count is at least October's 10; the people of Q4 « dans
    le département », if shown, give Hameau's Q4 count = that - Bourg's <= 2 (true 2).

    Found by review (failed before): the withheld table's rows were dropped from the
    audit (no target, no relation), so nothing protected them. They stay its quantities,
    masked, not said to count someone."""
    department = DepartmentFactory(code="01")
    post = PostFactory(employer=EmployerFactory(department=department))
    hameau = CommuneFactory(department=department, code="01971", name="Hameau")
    bourg = CommuneFactory(department=department, code="01970", name="Bourg")
    _people(post, hameau, YEAR, 2, 3)
    _people(post, hameau, YEAR, 11, 2, days=0)
    _people(post, bourg, YEAR, 10, 10, days=0)
    scope = Scope.for_post(post)
    year = indicators.compute(scope, year_of(datetime.date(YEAR, 1, 1)))
    october = indicators.compute(scope, month_of(datetime.date(YEAR, 10, 1)))
    q4 = indicators.compute(scope, quarter_of(datetime.date(YEAR, 10, 1)))
    published = [Publication(year, _primary(year)), Publication(october, _primary(october))]
    assert not _primary(year) and not _primary(october)  # both shown in full
    assert _rows(tables_of(year)["commune"]) == {"Bourg (01970)": 10, "Hameau (01971)": 5}

    # protect's withholding branch.
    hidden, found = protect(q4, published=published, leave_out=False, withhold={"commune"})
    assert found == []
    me = Publication(q4, hidden, withheld=frozenset({"commune"}))
    assert audit([me, *published]) == []
    shown = apply_mask(q4, hidden, {"commune"})

    inside = tables_of(shown)["residence"]["rows"][0]["values"][0]
    bourg_october = _rows(tables_of(october)["commune"])["Bourg (01970)"]
    assert _rows(tables_of(q4)["commune"])["Hameau (01971)"] == 2  # the count withheld
    # Hameau's Q4 count is at most inside - Bourg's October count: must reach 3.
    assert inside == MASKED or inside - bourg_october >= THRESHOLD, (inside, bourg_october)


def _interval_of(system, group, label) -> tuple:
    return Solver(system).interval({_q4_commune(system, group, label): 1})


def test_a_withheld_table_does_not_tell_which_rows_it_has():
    """Employer E, posts A and B. In Q4, A counts 5 people in Bourg; B 5 in Bourg and
    1 in Hameau. E's Q4 lists both communes, masked whole; A's Q4, masked whole too,
    withholds its commune table: a reader does not learn which communes A has.

    Reproduced first (bench year_late, 2026-12-07: Bugey Sud's fourth quarter refused,
    masked whole and every table withheld): the audit wrote A's total of communes as
    the sum of A's own rows (Bourg), so every other commune, Hameau too, was zero for
    A: E's Hameau was B's alone. A withheld table's total is at least the rows any
    bilan gives A (Layout.open_sums), whichever A has (failed before: A's Hameau at
    most 0)."""
    employer, a, b, hameau, bourg = _two_posts()
    _people(a, bourg, YEAR, 11, 5, days=0)
    _people(b, bourg, YEAR, 11, 5, days=0)
    _people(b, hameau, YEAR, 11, 1, days=0)
    q4 = quarter_of(datetime.date(YEAR, 10, 1))
    e_q4 = indicators.compute(Scope.for_employer(employer), q4)
    a_q4 = indicators.compute(Scope.for_post(a), q4)
    assert set(_rows(tables_of(a_q4)["commune"])) == {"Bourg (01970)"}
    e = Publication(e_q4, set(layout(e_q4).cells), posts=frozenset({a.pk, b.pk}))
    withheld = Publication(a_q4, set(), posts=frozenset({a.pk}), withheld=frozenset({"commune"}))
    withheld.hidden = set(withheld.lay.cells)

    system = build([withheld, e])

    a_alone = frozenset({0, 1})  # A: in both bilans; B: in E's only
    low, high = _interval_of(system, a_alone, "Hameau")
    assert (low, high >= THRESHOLD) == (0, True), (low, high)
    # Its rows listed instead, Hameau absent says A has nobody there: at most 0.
    listed = Publication(a_q4, set(layout(a_q4).cells), posts=frozenset({a.pk}))
    assert _interval_of(build([listed, e]), a_alone, "Hameau")[1] == 0


PEOPLE = ACTIVITY["people"]


def _figures(period, previous, communes, people):
    def span(dates):
        return {"start": dates[0], "end": dates[1]}

    return {
        "period": span(period),
        "previous_period": span(previous),
        "sections": [
            {
                "number": 1,
                "title": "Activité",
                "tables": [
                    table(
                        "activity",
                        "Activité",
                        "Mesure",
                        [(ACTIVITY["people"], people)],
                        total=False,
                    ),
                    table("commune", "Communes", "Commune", communes),
                ],
            }
        ],
    }


@pytest.mark.no_db
def test_a_withheld_quarter_holds_the_rows_its_months_and_the_employers_list():
    """Employer E, posts A and B. A: 5 people in Bourg from October to December; B: 3 in
    October, one each in Bourg, Hameau and Ville. E's October masks its three communes
    and shows 8 people; A's October and fourth quarter withhold their communes and show
    5 people; A's December lists Bourg 5. A reader: A's quarter's communes add up to 5,
    its Bourg is at least December's 5, so A has nobody else in the quarter, nor in
    October: E's Hameau and Ville are B's, whose October counts 8 - 5 = 3 people, each
    listed (at least 1): each at most 2.

    Found by review (failed before): the quarter's total was at least the rows the
    bilans give A in the quarter only; Hameau and Ville, given A by E's October, had no
    unknown in the quarter, and neither the total nor « a quarter's row is at least its
    month's » held them (audit._open_rows)."""
    oct_, dec = ("2025-10-01", "2025-10-31"), ("2025-12-01", "2025-12-31")
    sep, nov = ("2025-09-01", "2025-09-30"), ("2025-11-01", "2025-11-30")
    q3, q4 = ("2025-07-01", "2025-09-30"), ("2025-10-01", "2025-12-31")
    bourg, hameau, ville = "Bourg (01970)", "Hameau (01971)", "Ville (01972)"
    e_oct = _figures(oct_, sep, [(bourg, [6, 0]), (hameau, [1, 0]), (ville, [1, 0])], [8, 0])
    a_oct = _figures(oct_, sep, [(bourg, [5, 0])], [5, 0])
    a_dec = _figures(dec, nov, [(bourg, [5, 5])], [5, 5])
    a_q4 = _figures(q4, q3, [(bourg, [5, 0])], [5, 0])
    a, both = frozenset({1}), frozenset({1, 2})
    communes = {("commune", row, 0) for row in range(3)}
    published = [
        Publication(e_oct, communes, posts=both),
        Publication(a_oct, set(), posts=a, withheld=frozenset({"commune"})),
        Publication(a_dec, set(), posts=a),
        Publication(a_q4, set(), posts=a, withheld=frozenset({"commune"})),
    ]

    found = {(f.publication, f.cell) for f in audit(published)}

    assert {(0, ("commune", 1, 0)), (0, ("commune", 2, 0))} <= found
    narrowed = intervals(published)
    assert narrowed[(0, ("commune", 1, 0))] == narrowed[(0, ("commune", 2, 0))] == (1, 2)


@pytest.mark.no_db
def test_a_partial_previous_column_knows_its_departement_from_the_period_column():
    """A November bilan without a bilan of October: its « Période précédente » column
    lists November's communes only (Bourg 3, Lyon 1, Grenoble 3; Ville's 2 not listed),
    « dans le département » 5, « hors » 4. Its own communes add up to 5 for no code
    prefix; November's do (Bourg 5): the département is 01, so October's « hors » 4 is at
    least Lyon + Grenoble, and Lyon's 1 at most 1. Found by review (failed before: no
    prefix found in the partial column, Lyon reached 3)."""
    bourg, lyon, grenoble = "Bourg (01053)", "Lyon (69123)", "Grenoble (38185)"
    figures = _figures(
        ("2025-11-01", "2025-11-30"),
        ("2025-10-01", "2025-10-31"),
        [(bourg, [5, 3]), (lyon, [3, 1]), (grenoble, [3, 3])],
        [11, 9],
    )
    figures["rows"] = "period"
    residence = table(
        "residence",
        "Résidence",
        "Résidence",
        [
            ("Dans le département", [5, 5, None]),
            ("Hors du département", [6, 4, None]),
            ("Non renseignée", [0, 0, None]),
        ],
        columns=["Période", "Période précédente", "Part (période, %)"],
        shares={"2": 0},
    )
    tables = figures["sections"][0]["tables"]
    tables.insert(1, residence)
    tables[2]["total"] = [11, 9]  # Ville counted in October's total, not listed
    hidden = {c for c, (_, v) in layout(figures).cells.items() if v in (1, 2)}
    assert hidden == {("commune", 1, 1)}

    assert [f.cell for f in audit([Publication(figures, hidden)])] == [("commune", 1, 1)]
