"""Backups of the database and the private files, and the proof that they restore.

A backup is a folder of BACKUP_ROOT named after its time: the database (``pg_dump``'s
custom format, or a copy made with SQLite's backup API), the private files (a tar of
PRIVATE_STORAGE_ROOT: signed conventions, bilan PDFs) and ``manifest.json``, which holds
the row count of every table, read in the very snapshot that was dumped, and the SHA-256
of every file. ``restore_check`` restores a backup into a scratch database and a
scratch folder, then compares both with the manifest: a backup is only trusted once it
has been restored.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connection, models

DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def files_root() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_params(settings_dict, name=None) -> dict:
    params = {
        "dbname": name or settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
    }
    return {key: value for key, value in params.items() if value}


def _pg_env(settings_dict) -> dict:
    env = dict(os.environ)
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
    for key, value in _pg_params(settings_dict).items():
        if key in names:
            env[names[key]] = value
    return env


def _count(cursor, tables, quote) -> dict:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 - introspected names
        counts[table] = cursor.fetchone()[0]
    return counts


def _dump_postgresql(target: Path) -> dict:
    """pg_dump and the row counts read in the same exported snapshot."""
    settings_dict = connection.settings_dict
    with psycopg.connect(**_pg_params(settings_dict)) as conn, conn.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [row[0] for row in cursor.fetchall()]
        counts = _count(cursor, tables, connection.ops.quote_name)
        subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}"]
            + ["--file", str(target), settings_dict["NAME"]],
            env=_pg_env(settings_dict),
            check=True,
            capture_output=True,
        )
        conn.rollback()
    return counts


def _sqlite_tables(conn) -> list:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [row[0] for row in rows]


def _dump_sqlite(target: Path) -> dict:
    """VACUUM INTO writes a consistent copy from the application's own connection (the
    backup API waits for ever on the shared in-memory database of the tests)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(target)])
    with sqlite3.connect(target) as copy:
        counts = _count(copy.cursor(), _sqlite_tables(copy), connection.ops.quote_name)
    copy.close()
    return counts


def take_backup(root: Path | None = None, now=None) -> Path:
    """A new backup folder under ``root`` (BACKUP_ROOT); returns its path."""
    root = Path(root or settings.BACKUP_ROOT)
    now = now or datetime.datetime.now(datetime.UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    folder, same_second = root / stamp, 0
    while folder.exists() or folder.with_name(folder.name + ".partial").exists():
        same_second += 1
        folder = root / f"{stamp}-{same_second}"
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir(parents=True, mode=0o700)
    vendor = connection.vendor
    dump = partial / DUMP[vendor]
    counts = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
    checksums = {}
    with tarfile.open(partial / "files.tar", "w") as archive:
        source = files_root()
        for path in sorted(source.rglob("*")) if source.exists() else []:
            if path.is_file():
                name = path.relative_to(source).as_posix()
                checksums[name] = _sha256(path)
                archive.add(path, arcname=name, recursive=False)
    manifest = {
        "created_at": now.isoformat(),
        "engine": vendor,
        "tables": counts,
        "files": checksums,
        "database_sha256": _sha256(dump),
    }
    (partial / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    for path in partial.iterdir():  # personal data: readable by the backup's owner only
        path.chmod(0o600)
    partial.rename(folder)  # a folder without ".partial" is complete
    return folder


def prune_backups(root: Path | None = None, keep: int | None = None) -> list:
    """Keeps the ``keep`` latest complete backups (BACKUP_KEEP); returns those removed."""
    root = Path(root or settings.BACKUP_ROOT)
    keep = settings.BACKUP_KEEP if keep is None else keep
    backups = sorted(path for path in root.glob("*") if (path / "manifest.json").exists())
    removed = backups[: max(len(backups) - keep, 0)]
    for path in removed:
        shutil.rmtree(path)
    return removed


def latest_backup(root: Path | None = None) -> Path | None:
    root = Path(root or settings.BACKUP_ROOT)
    backups = sorted(path for path in root.glob("*") if (path / "manifest.json").exists())
    return backups[-1] if backups else None


@dataclass
class CheckResult:
    backup: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    referenced_files: int = 0
    problems: list = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def _file_columns() -> list:
    """(table, column) of every FileField: the files the database points to."""
    return [
        (model._meta.db_table, model_field.column)
        for model in apps.get_models()
        for model_field in model._meta.concrete_fields
        if isinstance(model_field, models.FileField)
    ]


def _restored_counts_postgresql(backup: Path, expected) -> tuple:
    settings_dict = connection.settings_dict
    scratch = f"iscg_restore_check_{os.getpid()}"
    quote = connection.ops.quote_name
    admin = psycopg.connect(**_pg_params(settings_dict, "postgres"), autocommit=True)
    try:
        admin.execute(f"DROP DATABASE IF EXISTS {quote(scratch)}")
        admin.execute(f"CREATE DATABASE {quote(scratch)}")
        subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", scratch]
            + [str(backup / DUMP["postgresql"])],
            env=_pg_env(settings_dict),
            check=True,
            capture_output=True,
        )
        with psycopg.connect(**_pg_params(settings_dict, scratch)) as conn:
            return _read_restored(conn.cursor(), expected, quote)
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {quote(scratch)} WITH (FORCE)")
        admin.close()


def _restored_counts_sqlite(backup: Path, expected, scratch_dir: Path) -> tuple:
    scratch = scratch_dir / "restored.sqlite3"
    shutil.copyfile(backup / DUMP["sqlite"], scratch)
    with sqlite3.connect(scratch) as conn:
        result = _read_restored(conn.cursor(), expected, connection.ops.quote_name)
    conn.close()
    return result


def _read_restored(cursor, expected, quote) -> tuple:
    counts = {}
    for table in expected:
        try:
            counts.update(_count(cursor, [table], quote))
        except Exception:  # noqa: BLE001 - a missing table is reported, not raised
            counts[table] = None
    referenced = set()
    for table, column in _file_columns():
        if table in expected:
            cursor.execute(
                f"SELECT {quote(column)} FROM {quote(table)} "  # noqa: S608
                f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
            )
            referenced.update(row[0] for row in cursor.fetchall())
    return counts, referenced


def restore_check(backup: Path | None = None) -> CheckResult:
    """Restores ``backup`` (the latest by default) apart and compares it with its manifest."""
    backup = Path(backup) if backup else latest_backup()
    if backup is None:
        raise FileNotFoundError(f"Aucune sauvegarde dans {settings.BACKUP_ROOT}.")
    manifest = json.loads((backup / "manifest.json").read_text())
    result = CheckResult(backup=backup)
    dump = backup / DUMP[manifest["engine"]]
    if _sha256(dump) != manifest["database_sha256"]:
        result.problems.append(f"La copie de la base {dump.name} a été altérée.")
    expected = manifest["tables"]
    with tempfile.TemporaryDirectory(prefix="iscg-restore-") as scratch:
        scratch_dir = Path(scratch)
        if manifest["engine"] == "postgresql":
            counts, referenced = _restored_counts_postgresql(backup, expected)
        else:
            counts, referenced = _restored_counts_sqlite(backup, expected, scratch_dir)
        for table, rows in sorted(expected.items()):
            if counts.get(table) != rows:
                result.problems.append(
                    f"Table {table} : {counts.get(table)} lignes restaurées, {rows} attendues."
                )
        result.tables, result.rows = len(expected), sum(expected.values())
        files_dir = scratch_dir / "files"
        with tarfile.open(backup / "files.tar") as archive:
            archive.extractall(files_dir, filter="data")
        restored = {
            path.relative_to(files_dir).as_posix(): _sha256(path)
            for path in files_dir.rglob("*")
            if path.is_file()
        }
        for name, digest in sorted(manifest["files"].items()):
            if restored.get(name) != digest:
                state = "absent" if name not in restored else "différent"
                result.problems.append(f"Fichier {name} : {state} après restauration.")
        for name in sorted(set(restored) - set(manifest["files"])):
            result.problems.append(f"Fichier {name} : restauré mais absent du manifeste.")
        result.files = len(restored)
        result.referenced_files = len(referenced)
        for name in sorted(referenced - set(restored)):
            result.problems.append(f"Fichier {name} : nommé par la base, absent de la sauvegarde.")
    return result
