"""`lindung serve`: the web server and the background worker, started and stopped together.

Used by `make run`. The worker (`lindung worker`, django-tasks' db_worker with Lindung's
heartbeat) picks up long jobs queued by the web processes. `serve` supervises it: a worker
that dies (a crash, an out-of-memory kill, `kill -9`) is started again, after a pause that
doubles with each quick death (1 s up to 60 s), while the web keeps answering; only the web
server's own end stops everything. Both stop on Ctrl-C or SIGTERM. Debug is off unless
LINDUNG_DEBUG=1, so users meet the Indonesian error pages; whitenoise serves the static files
either way. gunicorn's control socket lives in the instance's var directory, one per address,
so two instances (two checkouts, or two ports) run side by side.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.management.base import CommandParser

from lindung.common.commands import LindungCommand


def control_socket_path(bind: str) -> Path:
    """gunicorn's control socket for this address, inside the instance's var directory (the
    default, ~/.gunicorn/gunicorn.ctl, is shared by every instance of the user)."""
    name = re.sub(r"[^A-Za-z0-9.]+", "-", bind).strip("-")
    return Path(settings.VAR_DIR) / "run" / f"gunicorn-{name}.ctl"


# A worker that lived this long before dying is restarted at once, as after its first death.
STABLE_AFTER: Final = 60.0
BACKOFF_MAX: Final = 60.0


@dataclass
class Supervised:
    """The worker process, restarted with back-off whenever it ends."""

    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    deaths: int = 0  # quick deaths in a row
    restart_at: float | None = None
    log: list[str] = field(default_factory=list)

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env)  # noqa: S603 - fixed argv
        self.started = time.monotonic()
        self.restart_at = None

    def check(self, now: float) -> None:
        """Restart the worker when it has died and its pause is over."""
        if self.process is None:
            return
        if self.restart_at is None and self.process.poll() is not None:
            lived = now - self.started
            self.deaths = 1 if lived >= STABLE_AFTER else self.deaths + 1
            pause = min(2.0 ** (self.deaths - 1), BACKOFF_MAX)
            self.log.append(
                f"Pekerja latar belakang berhenti (kode {self.process.returncode}); "
                f"dijalankan lagi dalam {pause:g} detik."
            )
            self.restart_at = now + pause
        if self.restart_at is not None and now >= self.restart_at:
            self.start()


class Command(LindungCommand):
    help = "Menjalankan server web dan pekerja latar belakang Lindung."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="alamat:port")
        parser.add_argument("--web-workers", type=int, default=2)

    def _web_argv(self, bind: str, workers: int) -> list[str]:
        control_socket = control_socket_path(bind)
        control_socket.parent.mkdir(parents=True, exist_ok=True)
        return [
            sys.executable, "-m", "gunicorn", "lindung.wsgi:application",
            "--bind", bind, "--workers", str(workers), "--threads", "4", "--timeout", "120",
            "--access-logfile", "-",
            "--logger-class", "lindung.common.gunicorn_logging.NikScrubbingLogger",
            "--control-socket", str(control_socket),
        ]  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lindung.settings"}
        web_argv = self._web_argv(options["bind"], options["web_workers"])
        web = subprocess.Popen(web_argv, env=env)  # noqa: S603 - fixed argv, our interpreter
        worker = Supervised([sys.executable, "-m", "lindung", "worker"], env)
        worker.start()
        self.stdout.write(f"Lindung berjalan di http://{options['bind']} (Ctrl-C untuk berhenti).")
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        try:
            # Only the web server's end (or a signal) ends `serve`; the worker is restarted.
            while not stopping and web.poll() is None:
                worker.check(time.monotonic())
                for line in worker.log:
                    self.stderr.write(line)
                worker.log.clear()
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in (web, worker.process):
                if process is not None and process.poll() is None:
                    process.terminate()
            for process in (web, worker.process):
                try:
                    if process is not None:
                        process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
