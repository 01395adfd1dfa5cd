"""`lindung serve`: the web server and the background worker, started and stopped together.

Used by `make run`. The worker (django-tasks' db_worker) picks up long jobs queued by the web
processes; both stop on Ctrl-C or SIGTERM. Debug is off unless LINDUNG_DEBUG=1, so users meet
the Indonesian error pages; whitenoise serves the static files either way. gunicorn's control
socket lives in the instance's var directory, one per address, so two instances (two checkouts,
or two ports) run side by side.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from lindung.common.commands import LindungCommand


def control_socket_path(bind: str) -> Path:
    """gunicorn's control socket for this address, inside the instance's var directory (the
    default, ~/.gunicorn/gunicorn.ctl, is shared by every instance of the user)."""
    name = re.sub(r"[^A-Za-z0-9.]+", "-", bind).strip("-")
    return Path(settings.VAR_DIR) / "run" / f"gunicorn-{name}.ctl"


class Command(LindungCommand):
    help = "Menjalankan server web dan pekerja latar belakang Lindung."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="alamat:port")
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        control_socket = control_socket_path(options["bind"])
        control_socket.parent.mkdir(parents=True, exist_ok=True)
        web = [
            python,
            "-m",
            "gunicorn",
            "lindung.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["web_workers"]),
            "--threads",
            "4",
            "--timeout",
            "120",
            "--access-logfile",
            "-",
            "--logger-class",
            "lindung.common.gunicorn_logging.NikScrubbingLogger",
            "--control-socket",
            str(control_socket),
        ]
        worker = [python, "-m", "lindung", "db_worker"]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lindung.settings"}
        processes = [
            subprocess.Popen(web, env=env),  # noqa: S603 - fixed argv, our own interpreter
            subprocess.Popen(worker, env=env),  # noqa: S603 - fixed argv, our own interpreter
        ]
        self.stdout.write(f"Lindung berjalan di http://{options['bind']} (Ctrl-C untuk berhenti).")

        def stop(signum: int, frame: Any) -> None:
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop(signal.SIGTERM, None)
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
