"""Point 4 of issue 15, files: what Lindung writes is not readable by other accounts on the
server (an upload, the SQLite database, the var directory), and the demo with its published
password is refused on a production instance."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from django.core.management import base as management_base

from lindung.accounts.models import Pemda
from lindung.common.tabular import Limits
from lindung.common.uploads import upload_path, upload_received
from lindung.demo.management.commands.demo import Command as DemoCommand

CSV = b"NIK;Nama\n3504011208750001;Slamet\n"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_stored_upload_is_owner_only_whatever_the_process_umask(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    old = os.umask(0o022)  # the loosest usual umask: files 0644, directories 0755
    try:
        with upload_received([CSV], filename="a.csv", limits=Limits(), too_large="x") as got:
            assert _mode(got.path) == 0o600  # already while it is being received
            stored = got.keep(folder="intake")
    finally:
        os.umask(old)

    assert _mode(upload_path(stored)) == 0o600
    assert _mode(upload_path("intake")) == 0o700
    assert _mode(upload_path("tmp")) == 0o700


def test_lindung_creates_its_var_directory_and_database_owner_only(tmp_path):
    var = tmp_path / "var"
    env = {**os.environ, "LINDUNG_ENV": "test", "LINDUNG_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)
    env.pop("SQLITE_PATH", None)
    probe = (
        "import os; from django.db import connection; connection.ensure_connection(); "
        "print(oct(os.umask(0)))"
    )
    out = subprocess.run(
        [sys.executable, "-m", "lindung", "shell", "-c", probe],
        env=env, capture_output=True, text=True, timeout=60, check=True, umask=0o022,
    )  # fmt: skip

    assert out.stdout.splitlines()[-1] == "0o27"
    assert _mode(var / "lindung.sqlite3") == 0o600
    assert _mode(var) & 0o007 == 0
    assert _mode(var / "uploads") == 0o700


def test_the_demo_is_refused_on_a_production_instance(settings, db, capsys, monkeypatch):
    settings.PRODUCTION = True
    # run_from_argv closes the connections when done; the test still needs its own.
    monkeypatch.setattr(management_base.connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exit_:
        DemoCommand().run_from_argv(["lindung", "demo"])

    assert exit_.value.code == 2
    assert "tidak boleh dibuat pada instalasi produksi" in capsys.readouterr().err
    assert not Pemda.objects.exists()
