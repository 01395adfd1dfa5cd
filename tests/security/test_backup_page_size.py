"""New SQLite databases have 16 KiB pages (`settings.SQLITE_PAGE_SIZE`); a backup made from a
database of 4 KiB pages (every instance before issue 10 session 15) still restores into a new
instance, whose database is in WAL mode (`backup.copy_sqlite_database`)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings

from lindung.common.backup import copy_sqlite_database


def _database(path, *, page_size: int, wal: bool) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA page_size={page_size}")
    if wal:
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS worker (id INTEGER PRIMARY KEY, name TEXT)")
    return db


def _pragma(db: sqlite3.Connection, name: str):
    return db.execute(f"PRAGMA {name}").fetchone()[0]


@pytest.mark.parametrize("origin_page_size", [4096, 16384])
def test_a_backup_of_either_page_size_restores_into_a_wal_database(tmp_path, origin_page_size):
    origin = _database(tmp_path / "cadangan.sqlite3", page_size=origin_page_size, wal=False)
    origin.executemany(
        "INSERT INTO worker (name) VALUES (?)", [(f"Pekerja {i}",) for i in range(3000)]
    )
    destination = _database(tmp_path / "baru.sqlite3", page_size=16384, wal=True)

    copy_sqlite_database(origin, destination)

    assert destination.execute("SELECT COUNT(*), MAX(name) FROM worker").fetchone() == (
        3000,
        "Pekerja 999",
    )
    assert _pragma(destination, "page_size") == origin_page_size
    assert _pragma(destination, "journal_mode") == "wal"
    assert _pragma(destination, "integrity_check") == "ok"
    origin.close()
    destination.close()


def test_the_backup_api_alone_refuses_another_page_size_in_wal_mode(tmp_path):
    """Why `copy_sqlite_database` switches the journal: without it the restore fails."""
    origin = _database(tmp_path / "cadangan.sqlite3", page_size=4096, wal=False)
    destination = _database(tmp_path / "baru.sqlite3", page_size=16384, wal=True)

    with pytest.raises(sqlite3.OperationalError):
        origin.backup(destination)
    origin.close()
    destination.close()


def test_a_new_sqlite_database_gets_the_configured_page_size(tmp_path):
    """The page size `init_command` sets, as a new instance's database file has it."""
    code = (
        "import django; django.setup(); from django.db import connection; "
        "cursor = connection.cursor(); cursor.execute('PRAGMA page_size'); "
        "print(cursor.fetchone()[0]); cursor.execute('PRAGMA journal_mode'); "
        "print(cursor.fetchone()[0])"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "LINDUNG_ENV": "test",
        "LINDUNG_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "lindung.settings",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )

    assert done.stdout.split() == [str(settings.SQLITE_PAGE_SIZE), "wal"]
    assert settings.SQLITE_PAGE_SIZE == 16384
    header = (tmp_path / "lindung.sqlite3").read_bytes()[:18]
    assert int.from_bytes(header[16:18], "big") == 16384
