"""The one spreadsheet reader: bounded memory and time whatever the file declares, and a
French message (never a crash) for whatever cannot be read."""

import codecs
import io
import re
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from cases.lifecycle.imports import reader
from cases.lifecycle.imports.reader import UnreadableFile, read_rows
from cases.referrals import auto_import as auto

pytestmark = pytest.mark.no_db


def xlsx(rows, *, dimension=None, extra_row_xml=None) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if dimension is None and extra_row_xml is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if dimension:
                    text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', text)
                if extra_row_xml:
                    text = text.replace("</sheetData>", extra_row_xml + "</sheetData>")
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def test_a_small_file_declaring_a_huge_sheet_is_read_in_little_memory():
    """1.6 KB declaring 8,000 rows × 16,384 columns took 1 GB: openpyxl filled every
    declared cell. Here 2,000 declared rows (256 MB before)."""
    content = xlsx([["Nom", "Sexe"], ["A", "F"]], dimension="A1:XFD2000")
    assert len(content) < 10_000
    tracemalloc.start()
    header, rows = read_rows(content, "petit.xlsx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert header == ["Nom", "Sexe"] and rows == [(2, ["A", "F"])]
    assert peak < 10 * 2**20, peak


def test_only_the_columns_under_the_header_and_the_kept_ones_are_read():
    far_cell = '<row r="3"><c r="XFD3" t="inlineStr"><is><t>loin</t></is></c></row>'
    content = xlsx([["Nom", "Inconnue", "Sexe"], ["A", "secret", "F"]], extra_row_xml=far_cell)
    header, rows = read_rows(content, "f.xlsx", keep=lambda header: {0, 2})
    assert header == ["Nom", "Inconnue", "Sexe"]
    assert rows == [(2, ["A", None, "F"])]  # the far cell is right of the header: not read


def test_reading_stops_at_the_first_line_past_the_maximum():
    content = xlsx([["Nom"], *[[f"L{i}"] for i in range(6)]])
    with pytest.raises(UnreadableFile, match="plus de 5 lignes"):
        read_rows(content, "f.xlsx", max_rows=5)
    assert len(read_rows(content, "f.xlsx", max_rows=6)[1]) == 6


def test_a_sheet_of_a_million_empty_rows_is_refused_quickly():
    last = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    content = xlsx([["Nom"], ["A"]], extra_row_xml=last)
    with pytest.raises(UnreadableFile, match="lignes vides"):
        read_rows(content, "f.xlsx")


def test_an_archive_inflating_past_the_cap_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED_BYTES", 4 * 2**20)
    buffer = io.BytesIO(xlsx([["Nom"], ["A"]]))
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/bombe.bin", "w") as member,
    ):
        for _ in range(5):
            member.write(b"\0" * 2**20)
    content = buffer.getvalue()
    assert len(content) < 100_000
    with pytest.raises(UnreadableFile, match="décompressé dépasserait 4 Mo"):
        read_rows(content, "bombe.xlsx")


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 pas une archive", b"", b"texte simple", xlsx([["Nom"]])[:200]],
)
def test_a_damaged_xlsx_gets_a_french_message(content):
    with pytest.raises(UnreadableFile, match="enregistrez-le au format .xlsx"):
        read_rows(content, "abime.xlsx")


@pytest.mark.parametrize(
    "content, expected",
    [
        ("Nom;Sexe\nÉloïse;F\n".encode(), "Éloïse"),
        ("Nom;Sexe\nÉloïse;F\n".encode("cp1252"), "Éloïse"),
        (codecs.BOM_UTF16_LE + "Nom;Sexe\nÉloïse;F\n".encode("utf-16-le"), "Éloïse"),
        # Neither UTF-8 nor Windows-1252 (0x81 is undefined there): read as Latin-1.
        (b"Nom;Sexe\n\x81lo\xefse;F\n", "\x81loïse"),
    ],
)
def test_csv_encodings_are_read(content, expected):
    header, rows = read_rows(content, "f.csv")
    assert header == ["Nom", "Sexe"] and rows[0][1][0] == expected


@pytest.mark.parametrize(
    "content",
    [
        "Nom;Sexe\nA;F\n".encode("utf-16-le"),  # UTF-16 without its mark: NUL bytes
        b'Nom;Sexe\n"' + b"x" * 200_000 + b'";F\n',  # a cell past the csv module's limit
    ],
)
def test_csv_that_cannot_be_text_gets_a_french_message(content):
    with pytest.raises(UnreadableFile, match="CSV"):
        read_rows(content, "f.csv")


def test_the_auto_referral_import_reads_any_csv_without_crashing():
    """A file that is neither UTF-8 nor cp1252 raised UnboundLocalError."""
    header = ";".join(auto.COLUMN_NAMES).encode()
    line = b"03/11/2026;Brigade;non;\x81\x8d;Marie;;F;42;;;;;;;oui;normale;"
    rows = auto.read_rows(header + b"\n" + line + b"\n", "csv")
    assert rows[0]["nom"] == "\x81\x8d" and rows[0]["_line"] == 2
    with pytest.raises(auto.ImportFileError, match="CSV"):
        auto.read_rows("date;unite".encode("utf-16-le"), "csv")


def test_the_auto_referral_import_stops_past_its_maximum(monkeypatch):
    monkeypatch.setattr(auto, "MAX_ROWS", 2)
    header = ";".join(auto.COLUMN_NAMES)
    lines = "\n".join([header] + ["03/11/2026;Brigade;oui"] * 3)
    with pytest.raises(auto.ImportFileError, match="plus de 2 lignes"):
        auto.read_rows(lines.encode(), "csv")
