"""Consistent backups and restores (reliability goal R5): the database through SQLite's online
backup API or `pg_dump --format=custom`, the uploaded files, and a manifest with a SHA-256 per
file and the row count per table. Never `cp` of a live database file.

With a key file every file of the backup is sealed (`common/sealing.py`, AES-256-GCM): the
manifest stays readable (table names, row counts, the sealed files' SHA-256) and nothing
else is, so the folder may be copied off the server as it is. The plain files exist only in
an owner-only folder while the backup is written or restored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from lindung.common.sealing import SealError, seal, unseal

MANIFEST = "manifest.json"
FORMAT = 1
SEALED = ".sealed"
# Tables `migrate` fills by itself: rows there do not make an instance "not empty".
MIGRATE_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})


class BackupError(Exception):
    """A backup or restore that must not go ahead; the message says why (Indonesian)."""


def _file_dirs() -> dict[str, Path]:
    return {"uploads": Path(settings.UPLOAD_DIR), "media": Path(settings.MEDIA_ROOT)}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    """Rows per table of the current database."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)  # a name from introspection, quoted
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or ""), "--dbname", str(db["NAME"])]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def _dump_database(target: Path) -> str:
    if connection.vendor == "sqlite":
        name = "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target / name)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return name
    if connection.vendor == "postgresql":
        name = "database.dump"
        args, env = _pg_env()
        cmd = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args]
        # Fixed program, arguments from settings: no shell, no user input.
        subprocess.run([*cmd, "--file", str(target / name)], env=env, check=True)  # noqa: S603
        return name
    raise BackupError(f"Basis data {connection.vendor} tidak didukung.")


def backup_create(*, out: Path, key: bytes | None = None) -> dict[str, Any]:
    """Write a backup into `out` (new or empty folder, owner-only), every file sealed with
    `key` when one is given; returns the manifest."""
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"Folder {out} tidak kosong: pilih folder baru.")
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(out, 0o700)
    counts = row_counts()
    database = _dump_database(out)
    for label, source in _file_dirs().items():
        if source.is_dir():
            shutil.copytree(source, out / "files" / label)
    files = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        os.chmod(path, 0o600)
        if key is not None:
            sealed = path.with_name(path.name + SEALED)
            seal(path, sealed, key)
            path.unlink()
            path = sealed
        rel = path.relative_to(out).as_posix()
        files.append({"path": rel, "size": path.stat().st_size, "sha256": sha256_of(path)})
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "database": database,
        "sealed": key is not None,
        "files": files,
        "row_counts": counts,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.chmod(out / MANIFEST, 0o600)
    return manifest


def manifest_check(source: Path) -> dict[str, Any]:
    """The manifest, after every listed file's size and SHA-256 matched."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} bukan cadangan Lindung (manifest tidak terbaca).") from exc
    for entry in manifest["files"]:
        path = source / entry["path"]
        if not path.is_file() or sha256_of(path) != entry["sha256"]:
            raise BackupError(f"Berkas cadangan {entry['path']} hilang atau berubah.")
    return manifest


def instance_is_empty() -> bool:
    """No data in the database (beyond what `migrate` writes) and no stored files."""
    filled = {t for t, n in row_counts().items() if n and t not in MIGRATE_TABLES}
    files = any(p.is_file() for d in _file_dirs().values() if d.is_dir() for p in d.rglob("*"))
    return not filled and not files


def _unsealed(source: Path, manifest: dict[str, Any], key: bytes, into: Path) -> Path:
    """The backup's files opened with `key` into the owner-only folder `into`."""
    for entry in manifest["files"]:
        plain = into / entry["path"].removesuffix(SEALED)
        plain.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            unseal(source / entry["path"], plain, key)
        except SealError as exc:
            raise BackupError(str(exc)) from exc
    return into


def backup_restore(*, source: Path, key: bytes | None = None) -> dict[str, Any]:
    """Restore a checked backup onto an EMPTY instance; refuses anything else. A sealed
    backup needs the key it was sealed with."""
    manifest = manifest_check(source)
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"Cadangan {manifest['engine']} tidak bisa dipulihkan ke {connection.vendor}."
        )
    sealed = bool(manifest.get("sealed"))
    if sealed and key is None:
        raise BackupError("Cadangan ini tersegel: sebutkan berkas kuncinya (--key-file).")
    if not instance_is_empty():
        raise BackupError("Instans tujuan tidak kosong: pemulihan hanya ke instans baru.")
    if key is None or not sealed:
        _restore_from(source, manifest)
        return manifest
    # The plain files only in an owner-only folder beside the instance's data, gone after.
    with tempfile.TemporaryDirectory(prefix="restore-", dir=settings.VAR_DIR) as work:
        _restore_from(_unsealed(source, manifest, key, Path(work)), manifest)
    return manifest


def copy_sqlite_database(origin: sqlite3.Connection, destination: sqlite3.Connection) -> None:
    """Every page of `origin` into `destination` (SQLite's backup API), which takes the
    origin's page size. The API cannot change the page size of a database in WAL mode: a
    backup whose pages are another size (one made before new databases had 16 KiB pages,
    `settings.SQLITE_PAGE_SIZE`) is copied with the destination's journal switched to
    DELETE meanwhile, then back to WAL."""

    def pragma(connection: sqlite3.Connection, name: str) -> Any:
        return connection.execute(f"PRAGMA {name}").fetchone()[0]

    switched = pragma(origin, "page_size") != pragma(destination, "page_size") and (
        str(pragma(destination, "journal_mode")).lower() == "wal"
    )
    if switched:
        destination.execute("PRAGMA journal_mode=DELETE")
    try:
        origin.backup(destination)
    finally:
        if switched:
            destination.execute("PRAGMA journal_mode=WAL")


def _restore_from(source: Path, manifest: dict[str, Any]) -> None:
    dump = source / manifest["database"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(dump)
        try:
            copy_sqlite_database(origin, connection.connection)
        finally:
            origin.close()
    else:
        args, env = _pg_env()
        cmd = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", *args]
        subprocess.run([*cmd, str(dump)], env=env, check=True)  # noqa: S603
    for label, target in _file_dirs().items():
        stored = source / "files" / label
        if stored.is_dir():
            shutil.copytree(stored, target, dirs_exist_ok=True)
