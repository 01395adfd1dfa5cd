"""Backups refuse what would lose or corrupt data: a folder that is not empty, a backup file
that changed after its manifest was written. (The restore drill: test_backup_restore.py.)"""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command

from lindung.common.backup import MANIFEST
from lindung.common.commands import UsageError


def test_a_changed_backup_file_is_refused_before_anything_is_restored(db, tmp_path):
    (tmp_path / "database.sqlite3").write_bytes(b"SQLite format 3\x00 changed")
    entry = {"path": "database.sqlite3", "size": 16, "sha256": hashlib.sha256(b"x").hexdigest()}
    manifest = {"format": 1, "engine": "sqlite", "database": "database.sqlite3", "files": [entry]}
    (tmp_path / MANIFEST).write_text(json.dumps(manifest | {"row_counts": {}}))

    with pytest.raises(UsageError, match="berubah"):
        call_command("restore", str(tmp_path))


def test_a_folder_without_a_manifest_is_not_a_backup(db, tmp_path):
    with pytest.raises(UsageError, match="bukan cadangan"):
        call_command("restore", str(tmp_path))


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "lama.txt").write_text("x")
    with pytest.raises(UsageError, match="tidak kosong"):
        call_command("backup", "--out", str(tmp_path))
