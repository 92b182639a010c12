"""One spreadsheet reader (cases/lifecycle/imports/reader.py) for every file people upload: the
activity imports and the weekly summaries of auto-saisines read the same way, with the
same encodings, sizes and errors."""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
READER = ROOT / "cases" / "lifecycle" / "imports" / "reader.py"


def test_no_other_module_opens_a_spreadsheet():
    sources = [
        path
        for folder in ("cases", "conventions", "iscg", "partners", "reporting")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and path != READER
    ]
    assert len(sources) > 100
    opening = [
        str(path.relative_to(ROOT))
        for path in sources
        if any(
            call in path.read_text() for call in ("load_workbook(", "csv.reader(", "DictReader(")
        )
    ]
    assert opening == []
    assert "load_workbook(" in READER.read_text() and "csv.reader(" in READER.read_text()
