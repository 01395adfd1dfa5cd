"""The public status check on a phone (390 × 844): a worker opens /cek/, types their NIK
and the first letters of their name, and reads their cover.

The demo of this branch has no participants yet, so the test makes one active participant
in the served instance's database with `lindung shell` (the least invasive way: the served
demo stays as `make run` makes it, plus one enrolment)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

NIK = "3504015508800777"
MAKE_PARTICIPANT = f"""
from lindung.accounts.models import Pemda
from lindung.programs.models import Program
from lindung.workers.models import Enrolment, Worker
pemda = Pemda.objects.get(code="tulungagung")
program = Program.objects.filter(pemda=pemda).order_by("-year").first()
worker, _ = Worker.objects.get_or_create(
    pemda=pemda, nik="{NIK}", defaults={{"name": "SUMARNI WULANDARI", "sex": "P"}}
)
Enrolment.objects.get_or_create(
    program=program, worker=worker,
    defaults={{"pemda": pemda, "status": "active", "kpj": "25099990777",
               "started_on": program.start_month, "start_month": program.start_month}},
)
"""


@pytest.fixture
def participant(live_url: str, live_var_dir: Path) -> str:
    env = {**os.environ, "LINDUNG_ENV": "test", "LINDUNG_VAR_DIR": str(live_var_dir)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "lindung", "shell", "-c", MAKE_PARTICIPANT],
        env=env,
        check=True,
        capture_output=True,
    )
    return NIK


def test_a_worker_checks_their_cover_on_a_phone(browser: Browser, live_url: str, participant):
    context = browser.new_context(
        base_url=live_url, locale="id-ID", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto("/cek/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cek status kepesertaan")
    page.get_by_label("NIK (16 angka)").fill(participant)
    page.get_by_label("Tiga huruf pertama nama").fill("sum")
    page.get_by_role("button", name="Cek status").click()
    answer = page.get_by_role("status")
    expect(answer).to_contain_text("Terlindungi JKK + JKM sampai")
    expect(answer).to_contain_text("iuran dibayar Pemerintah Kabupaten Tulungagung")
    expect(answer).to_contain_text("SU*** WU***")
    body = page.content()
    assert participant not in body
    assert not re.search(r"\d{16}", body)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "public-check-phone")
    context.close()
