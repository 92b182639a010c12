"""Reads an uploaded XLSX or CSV into (line number, {header: value}) rows."""

import csv
import io
from pathlib import PurePath

from openpyxl import load_workbook

MAX_ROWS = 50_000
CSV_ENCODINGS = ("utf-8-sig", "utf-8", "latin-1")


class UnreadableFile(ValueError):
    """The file cannot be read at all; the message is French, for the user."""


def read_rows(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, list]]]:
    """Returns the header and the non-empty data rows, each with its line number (1 = header)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx":
        rows = _read_xlsx(content)
    elif suffix in (".csv", ".txt"):
        rows = _read_csv(content)
    else:
        raise UnreadableFile("Format non pris en charge : déposez un fichier .xlsx ou .csv.")
    if not rows:
        raise UnreadableFile("Le fichier est vide.")
    header = [str(cell or "").strip() for cell in rows[0]]
    data = [
        (number, row)
        for number, row in enumerate(rows[1:], start=2)
        if any(str(cell if cell is not None else "").strip() for cell in row)
    ]
    if len(data) > MAX_ROWS:
        raise UnreadableFile(
            f"Le fichier compte {len(data)} lignes : découpez-le en fichiers de "
            f"{MAX_ROWS} lignes au plus."
        )
    return header, data


def _read_xlsx(content: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise UnreadableFile(
            "Ce fichier Excel ne peut pas être lu : enregistrez-le au format .xlsx."
        ) from exc
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _read_csv(content: bytes) -> list[list]:
    for encoding in CSV_ENCODINGS:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - latin-1 decodes every byte
        raise UnreadableFile("L'encodage du fichier n'est pas reconnu : enregistrez-le en UTF-8.")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))
