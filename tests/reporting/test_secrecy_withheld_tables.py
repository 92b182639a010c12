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
from reporting.models import ReportKind
from reporting.pdf import render_context
from reporting.periods import quarter_of, year_of
from reporting.scope import Scope
from reporting.secrecy import Publication, audit, cells_of
from reporting.secrecy.continuity import carry_previous, sealed
from reporting.secrecy.layout import WITHHELD, tables_of
from reporting.secrecy.related import related_publications
from reporting.secrecy.reports import report_masked_figures
from tests.cases.factories import CaseFactory
from tests.iscg.factories import (
    CommuneFactory,
    DepartmentFactory,
    EmployerFactory,
    PostFactory,
    UserFactory,
)
from tests.reporting.test_secrecy_late_quarter import _made, _people

pytestmark = pytest.mark.django_db


def test_a_quarter_its_rows_would_give_away_is_published_with_the_table_withheld(client):
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
    assert not any(key == "commune" and row >= 0 for key, row, _ in me.lay.cells)
    assert audit([me, *(p for _, p in related_publications(fourth))]) == []
    # Its rows listed, the same mask is refused: the table's rows are what gave it away.
    listed = Publication(fourth.figures, set(Publication(fourth.figures, set()).lay.cells))
    assert audit([listed, *(p for _, p in related_publications(fourth))]) != []


def test_the_next_quarter_is_audited_with_the_quarter_that_withheld_a_table():
    """The first quarter of the next year, made after that fourth quarter, follows it
    (its previous-period column) and is audited with it, the table withheld as published."""
    year = timezone.localdate().year - 1
    department = DepartmentFactory(code="01")
    employer = EmployerFactory(department=department)
    manager = UserFactory(employer_manager=True, employer=employer, department=department)
    post = PostFactory(employer=employer)
    commune = CommuneFactory(department=department, code="01971", name="Hameau")
    _people(post, commune, year, 8, 1)
    _people(post, commune, year, 11, 2, days=0)
    scope = Scope.for_post(post)
    _made(ReportKind.ANNUAL, year_of(datetime.date(year, 1, 1)), scope, manager)
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
    post = PostFactory(employer=EmployerFactory(department=DepartmentFactory(code="01")))
    for day in range(3):
        CaseFactory(
            beneficiary__post=post,
            opened_on=datetime.date(2026, 4, 1 + day),
            closed_on=datetime.date(2026, 7, 10),
            closing_reason="goals_met",
        )
    scope = Scope.for_post(post)
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
