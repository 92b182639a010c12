"""Backups restore whole: every table's rows and every private file, checked apart.

Reproduced before: nothing backed up the database or the signed conventions and bilan
PDFs; losing the server lost them. Runs on SQLite here and on PostgreSQL in CI
(``pg_dump`` in an exported snapshot, ``pg_restore`` into a scratch database).
"""

import json
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from conventions.models import ConventionDocument
from iscg import backup
from tests.conventions.factories import make_convention

# Committed rows (pg_dump reads another connection); the reference lists the migrations
# load are put back after each test for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def private(tmp_path, settings):
    """tests/conftest.py stores the files of each test in tmp_path / "private"."""
    settings.BACKUP_ROOT = str(tmp_path / "backups")
    convention = make_convention()
    document = ConventionDocument(convention=convention, title="Convention signée")
    document.file.save("convention.pdf", ContentFile(b"%PDF-1.4 convention signee"))
    return tmp_path, convention


def test_a_backup_restores_every_row_and_every_file(private):
    folder = backup.take_backup()
    result = backup.restore_check(folder)
    assert result.passed, result.problems
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["conventions_convention"] == 1
    assert manifest["tables"]["conventions_conventiondocument"] == 1
    assert result.tables == len(manifest["tables"]) > 50
    assert (result.files, result.referenced_files) == (1, 1)
    # Personal data: the backup's files are its owner's alone.
    assert {oct(path.stat().st_mode & 0o777) for path in folder.iterdir()} == {"0o600"}


def test_a_backup_that_does_not_restore_as_recorded_is_reported(private):
    folder = backup.take_backup()
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["tables"]["conventions_convention"] = 2
    manifest["files"] = dict.fromkeys(manifest["files"], "0" * 64)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    problems = backup.restore_check(folder).problems
    assert "Table conventions_convention : 1 lignes restaurées, 2 attendues." in problems
    assert any(problem.endswith(": différent après restauration.") for problem in problems)


def test_a_file_the_database_names_but_the_backup_lacks_is_reported(private):
    tmp_path, _convention = private
    for path in (tmp_path / "private").rglob("*.pdf"):
        path.unlink()
    folder = backup.take_backup()
    problems = backup.restore_check(folder).problems
    assert any("nommé par la base, absent de la sauvegarde" in problem for problem in problems)


def test_a_tampered_database_copy_is_reported(private):
    folder = backup.take_backup()
    dump = next(path for path in folder.iterdir() if path.name.startswith("database."))
    with dump.open("ab") as handle:
        handle.write(b"\0")
    problems = backup.restore_check(folder).problems
    assert f"La copie de la base {dump.name} a été altérée." in problems


def test_the_archive_cannot_write_outside_its_folder(private):
    tmp_path, _convention = private
    folder = backup.take_backup()
    with tarfile.open(folder / "files.tar", "a") as archive:
        info = tarfile.TarInfo("../../evil.txt")
        info.size = 4
        archive.addfile(info, ContentFile(b"evil").file)
    with pytest.raises(tarfile.OutsideDestinationError):
        backup.restore_check(folder)
    assert not (tmp_path / "evil.txt").exists()


def test_the_command_keeps_the_latest_backups_and_checks_the_last(private, settings, capsys):
    settings.BACKUP_KEEP = 2
    for _ in range(3):
        call_command("backup")
    folders = sorted(p for p in (private[0] / "backups").iterdir())
    assert len(folders) == 2
    call_command("restore_check")
    out = capsys.readouterr().out
    assert f"Sauvegarde {folders[-1].name} restaurée" in out
    assert "Identique au manifeste : restauration vérifiée." in out


def test_no_backup_is_said_in_french(tmp_path, settings):
    settings.BACKUP_ROOT = str(tmp_path / "none")
    with pytest.raises(CommandError, match="Aucune sauvegarde dans"):
        call_command("restore_check")
