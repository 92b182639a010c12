"""Every table of the bilan's PDF fits its page, every word its cell, and every column
header can be read.

Reproduced before: the last column of the orientations table ("Total période
précédente") ran off the page in every bilan with orientations. The check reads
WeasyPrint's own layout (each table's right edge against the page's content area) and
the PDF's text (each header of each table, as a recipient's PDF reader extracts it).
"""

import datetime
import io
import re

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TableBox, TableCellBox, TextBox

from iscg.pdf import FONT_DIR, project_url_fetcher
from reporting import services
from reporting.indicators import tables_by_key
from reporting.models import ReportKind
from reporting.pdf import render_context
from reporting.periods import Period
from reporting.scope import Scope
from tests.iscg.factories import UserFactory
from tests.reporting import dataset

Q1 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


@pytest.fixture
def report():
    data = dataset.build()
    manager = UserFactory(
        employer_manager=True, employer=data["employer"], department=data["department"]
    )
    return services.report_create(
        kind=ReportKind.QUARTERLY,
        period=Q1,
        scope=Scope.for_employer(data["employer"]),
        acting_user=manager,
    )


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def _first_text(box) -> str:
    """A table's text, from its first header: which table, in a failure."""
    return " ".join(getattr(b, "text", "") for b in _boxes(box) if getattr(b, "text", ""))


def _squashed(text: str) -> str:
    """Headers wrap over several lines in their cells: compared without white space."""
    return re.sub(r"\s+", "", text)


def test_every_table_fits_its_page_and_every_header_is_in_the_text(report):
    from django.template.loader import render_to_string

    html = render_to_string("reporting/pdf/report.html", render_context(report))
    document = HTML(string=html, base_url=str(FONT_DIR), url_fetcher=project_url_fetcher()).render()
    tables, overflowing, spilling = 0, [], []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for box in _boxes(page_box):
            if isinstance(box, TableBox):
                tables += 1
                edge = box.position_x + box.margin_width()
                if edge > right + 0.5:  # half a CSS pixel of rounding
                    overflowing.append((number, _first_text(box)[:40], round(edge - right, 1)))
            # Tables are laid out at fixed widths (a sixth of the rendering saved): no word
            # of a cell may run past it, into its neighbour.
            if isinstance(box, TableCellBox):
                cell_right = box.position_x + box.margin_width()
                for text in _boxes(box):
                    if (
                        isinstance(text, TextBox)
                        and text.position_x + text.width > cell_right + 0.5
                    ):
                        spilling.append((number, text.text))
    assert tables >= 10
    assert overflowing == []
    assert spilling == []

    text = _squashed(
        "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document.write_pdf())).pages)
    )
    headers = {
        header
        for table in tables_by_key(report.figures).values()
        for header in [table["label_header"], *table["columns"]]
    }
    missing = sorted(header for header in headers if _squashed(header) not in text)
    assert "Total période précédente" in headers or any("Total" in h for h in headers)
    assert missing == []
