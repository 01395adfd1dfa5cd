"""Point 3 of issue 15: a NIK searched for never lands in a URL (access log, history,
Referer), and log lines mask anything NIK-shaped."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.urls import reverse

from lindung.common.errors import NikScrubbingFormatter
from tests.conftest import client_for
from tests.factories import WorkerFactory
from tests.intake.conftest import csv_bytes, import_bytes

NIK = "3504095806010862"
SIXTEEN = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")


def test_a_worker_search_by_nik_is_posted_kept_in_the_session_and_never_in_the_url(admin, pemda):
    WorkerFactory(pemda=pemda, nik=NIK, name="Siti Aminah")
    WorkerFactory(pemda=pemda, nik="3504095806010999", name="Sumarni")
    client = client_for(admin)

    posted = client.post(reverse("workers:list"), {"q": NIK})

    assert posted.status_code == 303
    assert posted["Location"] == "/pekerja/?cari=1"
    page = client.get(posted["Location"])
    assert [w.name for w in page.context["workers"]] == ["Siti Aminah"]


def test_a_nik_in_a_workers_url_is_not_searched_for(admin, pemda):
    WorkerFactory(pemda=pemda, nik=NIK, name="Siti Aminah")
    WorkerFactory(pemda=pemda, nik="3504095806010999", name="Sumarni")

    page = client_for(admin).get(reverse("workers:list"), {"q": NIK})

    assert len(page.context["workers"]) == 2  # the NIK was ignored, nothing filtered


def test_a_row_search_on_a_submission_is_kept_out_of_the_url(operator, program, agency):
    submission = import_bytes(
        actor=operator,
        program=program,
        agency=agency,
        data=csv_bytes([["NIK", "Nama"], [NIK, "Siti Aminah"], ["3504095806010999", "Sumarni"]]),
    )
    client = client_for(operator)
    url = reverse("intake:detail", args=[submission.pk])

    posted = client.post(url, {"q": NIK, "hasil": ""})

    assert posted["Location"] == f"{url}?cari=1"
    page = client.get(posted["Location"])
    assert [row.name for row in page.context["rows"]] == ["Siti Aminah"]
    # A chosen outcome (not free text) stays in the URL, so the history keeps it.
    posted = client.post(url, {"q": NIK, "hasil": "rejected"})
    assert posted["Location"] == f"{url}?cari=1&hasil=rejected"


def test_the_log_formatter_masks_nik_shaped_runs():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", (
            f"/pekerja/?q={NIK}",
        ), None
    )  # fmt: skip

    line = NikScrubbingFormatter().format(record)

    assert NIK not in line
    assert "3504********0862" in line


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_gunicorns_access_log_masks_a_nik_in_the_request_line(tmp_path: Path):
    """The access log of `lindung serve`'s gunicorn, captured while NIKs are requested."""
    port = _free_port()
    log = tmp_path / "access.log"
    env = {**os.environ, "LINDUNG_VAR_DIR": str(tmp_path), "LINDUNG_ENV": "test"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lindung.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(log),
         "--logger-class", "lindung.common.gunicorn_logging.NikScrubbingLogger"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/kesehatan/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        for path in (f"/pekerja/?q={NIK}", f"/kepesertaan/peserta/?nik={NIK}&hal=1"):
            with contextlib.suppress(OSError):  # the answer does not matter, its log line does
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
        time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=10)
    text = log.read_text()
    assert "/pekerja/?q=3504********0862" in text
    assert not SIXTEEN.search(text)
