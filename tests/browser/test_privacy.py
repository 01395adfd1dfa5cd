"""Point 11 of issue 15 in a real browser, on a phone, on the served demo: the admin types a
participant's NIK, reads the subject-access report (every section fits 390 px, the NIK is in
no address), then restricts the person and sees the restriction listed, NIK masked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
FIRST_ACTIVE = (
    "from lindung.workers.models import Enrolment; "
    "print(Enrolment.objects.filter(status='active').order_by('pk').first().worker.nik)"
)


def _nik(var_dir: Path) -> str:
    env = {**os.environ, "LINDUNG_ENV": "test", "LINDUNG_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "lindung", "shell", "-c", FIRST_ACTIVE],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


def test_the_admin_reports_and_restricts_a_person_on_a_phone(
    browser: Browser, live_url: str, live_var_dir: Path
) -> None:
    nik = _nik(live_var_dir)
    context = browser.new_context(base_url=live_url, locale="id-ID", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, "admin")
        page.goto("/privasi/")
        report_form = page.locator("form[action='/privasi/laporan/']")
        report_form.get_by_label("NIK").fill(nik)
        report_form.get_by_role("button", name="Buat laporan").click()
        main = page.locator("main")
        expect(main).to_contain_text("Kepesertaan BPJS Ketenagakerjaan")
        expect(main).to_contain_text("Aktif")
        assert nik not in page.url
        width = page.evaluate("document.documentElement.scrollWidth")
        screenshot(page, "phone-subject-report")
        assert width <= PHONE["width"], f"the report is {width} px wide"

        page.goto("/privasi/")
        restrict_form = page.locator("form[action='/privasi/pembatasan/']")
        restrict_form.get_by_label("NIK").fill(nik)
        restrict_form.get_by_label("Alasan").fill("Surat permintaan 7/2026")
        restrict_form.get_by_role("button", name="Batasi").click()
        expect(main).to_contain_text("Pemrosesan data orang ini dibatasi")
        expect(main).to_contain_text(f"{nik[:4]}********{nik[-4:]}")
        assert nik not in page.url
        width = page.evaluate("document.documentElement.scrollWidth")
        screenshot(page, "phone-restrictions")
        assert width <= PHONE["width"], f"the restrictions page is {width} px wide"
    finally:
        context.close()
