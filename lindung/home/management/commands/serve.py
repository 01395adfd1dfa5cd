"""`lindung serve`: the web server and the background worker, started and stopped together.

Used by `make run`. The worker (django-tasks' db_worker) picks up long jobs queued by the web
processes; both stop on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import CommandParser

from lindung.common.commands import LindungCommand


class Command(LindungCommand):
    help = "Menjalankan server web dan pekerja latar belakang Lindung."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="alamat:port")
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
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
