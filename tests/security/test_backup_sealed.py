"""Point 7 of issue 15, a sealed backup (`lindung backup --key-file`): no file of it can be
read without the key, and it restores into a fresh instance only with that key. A module of
its own, like the plain drill: the test is transactional and empties the database."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from lindung.common.backup import MANIFEST
from tests.enrollment.test_approval_concurrency import (  # noqa: F401 - fixtures
    _flushable,
    _restored_after_flush,
)
from tests.factories import EnrolmentFactory, WorkerFactory
from tests.security.test_backup_restore import _fresh_database_url, _lindung

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.usefixtures("_restored_after_flush", "_flushable")
def test_a_sealed_backup_holds_nothing_readable_and_restores_only_with_its_key(
    admin, program, settings, tmp_path
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_DIR.mkdir()
    (settings.UPLOAD_DIR / "daftar.csv").write_bytes(b"nik;nama\n3504011208750001;SUPRI\n")
    worker = WorkerFactory(pemda=program.pemda, name="Supriyanto Sealed")
    EnrolmentFactory(worker=worker, program=program)
    key, other, out = tmp_path / "kunci", tmp_path / "kunci-lain", tmp_path / "cadangan"
    call_command("backup", "--new-key", str(key), stdout=StringIO())
    call_command("backup", "--new-key", str(other), stdout=StringIO())
    assert oct(key.stat().st_mode & 0o777) == "0o600"

    call_command("backup", "--out", str(out), "--key-file", str(key), stdout=StringIO())

    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["sealed"] is True
    stored = [p for p in out.rglob("*") if p.is_file() and p.name != MANIFEST]
    assert stored
    assert all(p.name.endswith(".sealed") for p in stored)
    for path in stored:
        content = path.read_bytes()
        assert b"SQLite format 3" not in content
        assert b"PGDMP" not in content
        assert b"3504011208750001" not in content
        assert b"Sealed" not in content

    fresh, url = tmp_path / "fresh", _fresh_database_url()
    unkeyed = _lindung("restore", str(out), var_dir=fresh, database_url=url)
    assert unkeyed.returncode == 2
    assert "tersegel" in unkeyed.stderr
    wrong = _lindung("restore", str(out), "--key-file", str(other), var_dir=fresh, database_url=url)
    assert wrong.returncode == 2
    assert "kunci tidak cocok" in wrong.stderr
    restored = _lindung(
        "restore", str(out), "--key-file", str(key), "--json", var_dir=fresh, database_url=url
    )
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout) == {"tables_differing": [], "audit_intact": True}
    assert (fresh / "uploads" / "daftar.csv").read_bytes().startswith(b"nik;nama\n")
