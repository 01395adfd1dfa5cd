"""Point 7 of issue 15, the restore drill: a small data set is backed up, restored by
`lindung restore` into a fresh database in another process, and comes back with the same rows
per table, the uploaded files and an intact audit chain. A module of its own: the backup reads
committed data, so the test is transactional."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from lindung.audit.services import audit_record
from lindung.common.backup import MANIFEST, sha256_of
from tests.enrollment.test_approval_concurrency import (  # noqa: F401 - fixtures
    _flushable,
    _restored_after_flush,
)
from tests.factories import EnrolmentFactory, WorkerFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _fresh_database_url() -> str | None:
    """On PostgreSQL a new, empty database on the same server; on SQLite None (a new file)."""
    if connection.vendor != "postgresql":
        return None
    db = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS lindung_drill")
        cursor.execute("CREATE DATABASE lindung_drill")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/lindung_drill"


def _lindung(*args: str, var_dir, database_url: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LINDUNG_ENV": "test", "LINDUNG_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.pop("SQLITE_PATH", None)
    env.pop("UPLOAD_DIR", None)
    env.pop("MEDIA_ROOT", None)
    return subprocess.run(
        [sys.executable, "-m", "lindung", *args], env=env, capture_output=True, text=True
    )


@pytest.mark.usefixtures("_restored_after_flush", "_flushable")
def test_a_backup_restores_into_a_fresh_instance_with_the_same_rows_and_an_intact_chain(
    admin, program, agency, settings, tmp_path
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.UPLOAD_DIR / "2026").mkdir(parents=True)
    (settings.UPLOAD_DIR / "2026" / "daftar.csv").write_bytes(b"nik;nama\n")
    for worker in WorkerFactory.create_batch(3, pemda=program.pemda):
        EnrolmentFactory(worker=worker, program=program)
    audit_record(actor=admin, action="program.updated", obj=program)
    out = tmp_path / "cadangan"

    call_command("backup", "--out", str(out), stdout=StringIO())

    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["row_counts"]["workers_enrolment"] == 3
    assert (out / "files" / "uploads" / "2026" / "daftar.csv").read_bytes() == b"nik;nama\n"
    assert all(sha256_of(out / f["path"]) == f["sha256"] for f in manifest["files"])
    assert oct(out.stat().st_mode & 0o777) == "0o700"

    fresh, url = tmp_path / "fresh", _fresh_database_url()
    restored = _lindung("restore", str(out), "--json", var_dir=fresh, database_url=url)
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout) == {"tables_differing": [], "audit_intact": True}

    if url is None:  # on SQLite also count with sqlite3 itself, table by table
        with sqlite3.connect(fresh / "lindung.sqlite3") as db:
            for table, count in manifest["row_counts"].items():
                sql = f'SELECT COUNT(*) FROM "{table}"'  # noqa: S608 - names from our manifest
                assert db.execute(sql).fetchone()[0] == count, table
    assert (fresh / "uploads" / "2026" / "daftar.csv").read_bytes() == b"nik;nama\n"
    verified = _lindung("audit", "verify", "--json", var_dir=fresh, database_url=url)
    assert verified.returncode == 0
    assert json.loads(verified.stdout)["intact"] is True

    again = _lindung("restore", str(out), var_dir=fresh, database_url=url)
    assert again.returncode == 2
    assert "tidak kosong" in again.stderr
