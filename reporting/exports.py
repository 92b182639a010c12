"""CSV and XLSX of the indicator tables (the same tables as the PDF)."""

from openpyxl import Workbook
from openpyxl.styles import Font

from iscg.spreadsheets import csv_bytes, xlsx_bytes


def _lines(figures: dict):
    yield ["Période", figures["period"]["label"]]
    yield ["Période précédente", figures["previous_period"]["label"]]
    if figures.get("previous_note"):
        yield [figures["previous_note"]]
    yield []
    for section in figures["sections"]:
        for table in section["tables"]:
            yield [f"{section['number']}. {table['title']}"]
            yield [table["label_header"], *table["columns"]]
            for row in table["rows"]:
                yield [row["label"], *row["values"]]
            if table["total"]:
                yield ["Total", *table["total"]]
            yield []


def to_csv(figures: dict) -> bytes:
    return csv_bytes(_lines(figures))


def to_xlsx(figures: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Indicateurs"
    for line in _lines(figures):
        sheet.append(["" if v is None else v for v in line])
        if len(line) == 1:
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 60
    return xlsx_bytes(workbook)
