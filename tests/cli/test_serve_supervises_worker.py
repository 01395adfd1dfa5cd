"""Point 5 of issue 15: a dead background worker never takes the web server down. `lindung
serve` runs for real on a free port (its own SQLite file in a temporary var directory); its
worker is killed with SIGKILL; the web keeps answering and a new worker is running within
seconds."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from lindung.home.management.commands import serve


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _worker_pid(serve_pid: int) -> int | None:
    for child in _children(serve_pid):
        argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        if b"lindung" in argv and b"worker" in argv:
            return child
    return None


def _until(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return None


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return int(response.status)
    except OSError:
        return 0


def _migrated_database(var: Path, env: dict[str, str]) -> None:
    """The served database: the migrated test database's tables, empty (SQLite: a copy of its
    schema, in a moment), else a fresh migration."""
    var.mkdir()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
                " ORDER BY type = 'index', rowid"
            )
            schema = [row[0] for row in cursor.fetchall()]
        target = sqlite3.connect(var / "lindung.sqlite3")
        target.executescript(";\n".join(schema) + ";")
        target.close()
    else:
        lindung = [sys.executable, "-m", "lindung"]
        subprocess.run([*lindung, "migrate", "-v0"], env=env, check=True, timeout=300)


@pytest.mark.django_db
def test_a_killed_worker_is_restarted_and_the_web_keeps_answering(tmp_path):
    var = tmp_path / "var"
    env = {**os.environ, "LINDUNG_ENV": "test", "LINDUNG_VAR_DIR": str(var)}
    for name in ("DATABASE_URL", "SQLITE_PATH", "UPLOAD_DIR"):
        env.pop(name, None)
    _migrated_database(var, env)
    port = _free_port()
    login = f"http://127.0.0.1:{port}/akun/masuk/"
    serve = subprocess.Popen(
        [sys.executable, "-m", "lindung", "serve", "--bind", f"127.0.0.1:{port}",
         "--web-workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert _until(lambda: _status(login) == 200, 60), "the web never answered"
        first = _until(lambda: _worker_pid(serve.pid), 20)
        assert first, "no worker started"

        os.kill(first, signal.SIGKILL)

        assert _status(login) == 200
        second = _until(lambda: (p := _worker_pid(serve.pid)) and p != first and p, 10)
        assert second, "the worker was not restarted"
        assert serve.poll() is None
        assert _status(login) == 200
    finally:
        serve.terminate()
        _, err = serve.communicate(timeout=30)
    assert "Pekerja latar belakang berhenti (kode -9)" in err.decode()


class _Dead:
    returncode = -9

    def poll(self) -> int:
        return -9


def test_a_worker_dying_quickly_again_and_again_waits_longer_each_time(monkeypatch):
    monkeypatch.setattr(serve.subprocess, "Popen", lambda argv, env: _Dead())
    worker = serve.Supervised(["lindung", "worker"], {})
    worker.start()
    clock, pauses = worker.started, []
    for _ in range(8):  # each restarted worker dies at once
        worker.check(clock)
        pauses.append(worker.restart_at - clock)
        clock = worker.restart_at
        worker.check(clock)  # the pause is over: started again
        worker.started = clock

    assert pauses == [1, 2, 4, 8, 16, 32, 60, 60]
    worker.check(clock + 61)  # this one had lived 61 s before it died: a first death again
    assert worker.restart_at == clock + 61 + 1
    assert (
        worker.log[0] == "Pekerja latar belakang berhenti (kode -9); dijalankan lagi dalam 1 detik."
    )
