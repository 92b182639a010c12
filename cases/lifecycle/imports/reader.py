"""The one reader of every spreadsheet the project takes (activity imports, auto-saisines).

An uploaded file is read lazily and within bounds, whatever it declares: an XLSX is a zip
archive refused when its uncompressed size passes ``MAX_UNCOMPRESSED_BYTES``; it is read
by openpyxl in read-only mode with its declared dimensions ignored (a 1.6 KB file
declaring 8,000 rows in its ``<dimension>`` took 1 GB: openpyxl filled every declared
cell), only the columns under the header are kept, and reading stops at the first data
line past the caller's maximum. A CSV is decoded as UTF-8, UTF-16 (with its mark),
Windows-1252 or Latin-1, and what cannot be text gets a French message, never a crash.
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import PurePath

from openpyxl import load_workbook

MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 1_000
# Blank lines are skipped, but not without end: a sheet of a million empty rows is refused.
MAX_BLANK_LINES = 10_000
UNREADABLE_XLSX = "Ce fichier Excel ne peut pas être lu : enregistrez-le au format .xlsx."


class UnreadableFile(ValueError):
    """The file cannot be read at all; the message is French, for the user."""


def read_rows(
    content: bytes,
    filename: str,
    *,
    max_rows: int = MAX_ROWS,
    keep: Callable[[list[str]], set[int]] | None = None,
) -> tuple[list[str], list[tuple[int, list]]]:
    """The header (first non-empty line) and the non-empty data lines, each with its line
    number in the file. ``keep(header)`` names the columns to read (the template's):
    the others come back as None. Raises UnreadableFile (French) past ``max_rows`` lines."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".xlsx":
        lines = _xlsx_lines(content)
    elif suffix in (".csv", ".txt"):
        lines = _csv_lines(content)
    else:
        raise UnreadableFile("Format non pris en charge : déposez un fichier .xlsx ou .csv.")
    try:
        return _table(lines, max_rows, keep)
    finally:
        lines.close()


def _blank(value) -> bool:
    return value is None or not str(value).strip()


def _table(lines, max_rows, keep):
    header, width, kept, data, blanks = None, 0, None, [], 0
    for number, cells in lines:
        if header is None:
            if all(_blank(cell) for cell in cells):
                continue
            header = [str(cell if cell is not None else "").strip() for cell in cells]
            while header and not header[-1]:
                header.pop()
            if len(header) > MAX_COLUMNS:
                raise UnreadableFile(
                    f"La première ligne compte {len(header)} colonnes : {MAX_COLUMNS} au plus."
                )
            width = len(header)
            kept = keep(header) if keep else None
            lines.send(width)  # the reader reads no cell right of the header from here on
            continue
        row = list(cells[:width]) + [None] * (width - len(cells))
        if kept is not None:
            row = [value if index in kept else None for index, value in enumerate(row)]
        if all(_blank(value) for value in row):
            blanks += 1
            if blanks > MAX_BLANK_LINES:
                raise UnreadableFile(
                    f"Le fichier compte plus de {MAX_BLANK_LINES} lignes vides : "
                    "supprimez-les et déposez-le à nouveau."
                )
            continue
        data.append((number, row))
        if len(data) > max_rows:
            raise UnreadableFile(
                f"Le fichier compte plus de {max_rows} lignes : découpez-le en fichiers de "
                f"{max_rows} lignes au plus."
            )
    if header is None:
        raise UnreadableFile("Le fichier est vide.")
    return header, data


def _check_archive(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableFile(UNREADABLE_XLSX) from exc
    # Python's zipfile never inflates a member past its declared size: the sum bounds it.
    if (
        len(members) > MAX_ARCHIVE_MEMBERS
        or sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES
    ):
        raise UnreadableFile(
            f"Ce fichier Excel décompressé dépasserait {MAX_UNCOMPRESSED_BYTES // 2**20} Mo : "
            "découpez-le en plusieurs fichiers."
        )


def _xlsx_lines(content: bytes) -> Iterator[tuple[int, tuple]]:
    """Yields (line number, cells); after the header, is sent its width."""
    _check_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise UnreadableFile(UNREADABLE_XLSX) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared <dimension> is not the content
        width = None
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            width = yield number, cells
            if width is not None:
                yield  # answers the header's send()
                rows = sheet.iter_rows(min_row=number + 1, max_col=width, values_only=True)
                yield from enumerate(rows, start=number + 1)
                return
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet, mid-way
        raise UnreadableFile(UNREADABLE_XLSX) from exc
    finally:
        workbook.close()


def _encoding(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(content), 1 << 20):
                decoder.decode(content[start : start + (1 << 20)])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"  # decodes any byte


def _csv_lines(content: bytes) -> Iterator[tuple[int, list]]:
    encoding = _encoding(content)
    if encoding != "utf-16" and b"\x00" in content:
        raise UnreadableFile(
            "Ce fichier n'est pas un texte CSV lisible : enregistrez-le au format "
            "« CSV UTF-8 (délimité par des points-virgules) »."
        )
    stream = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    reader = None
    try:
        first_line = stream.readline()
        stream.seek(0)
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
        reader = csv.reader(stream, delimiter=delimiter)
        for cells in reader:
            if (yield reader.line_num, cells) is not None:
                yield  # answers the header's send()
    except (csv.Error, UnicodeDecodeError) as exc:
        raise UnreadableFile(
            f"Ce fichier CSV ne peut pas être lu (ligne {getattr(reader, 'line_num', 0) + 1}) : "
            "enregistrez-le au format « CSV UTF-8 » depuis votre tableur."
        ) from exc
