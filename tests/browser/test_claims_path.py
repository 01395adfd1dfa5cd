"""Issue 13's path in a real browser, on the served demo: the verifier finds a participant
by KPJ, reports their death (not caused by work), reads the cover and the Rp 42 juta
entitlement computed from the recorded payments, names the heir (who receives), hands in
the papers of the JKM checklist ("documents complete" is refused before), and follows the
claim through every step (each asks first) to the hand-over; the participant's enrolment
has ended, deceased.

The test adds one participant paid from the program's first month to this one (`lindung
shell`), so the served demo stays as `make run` makes it, plus that person."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

KPJ = "25099990888"
MAKE_PARTICIPANT = f"""
import datetime as dt
from lindung.accounts.models import Pemda, User
from lindung.billing.models import Payment, PaymentMonth
from lindung.domain.allocation import add_months
from lindung.programs.models import FundingSource, Program
from lindung.workers.models import Enrolment, Worker
pemda = Pemda.objects.get(code="tulungagung")
program = Program.objects.filter(pemda=pemda).order_by("-year").first()
source = FundingSource.objects.filter(program=program, agency__isnull=True).order_by("pk").first()
worker, _ = Worker.objects.get_or_create(
    pemda=pemda, nik="3504015508800888", defaults={{"name": "SURATMI KLAIM", "sex": "P"}}
)
Enrolment.objects.get_or_create(
    program=program, worker=worker,
    defaults={{"pemda": pemda, "status": "active", "kpj": "{KPJ}", "funding_source": source,
               "started_on": program.start_month, "start_month": program.start_month}},
)
paid_on = dt.date.fromisoformat("{{paid_on}}")
months, month = [], program.start_month
while month <= paid_on.replace(day=1):
    months.append(month)
    month = add_months(month, 1)
payment = Payment.objects.create(
    pemda=pemda, program=program, funding_source=source, sp2d_number="SP2D/KLAIM/888",
    paid_on=paid_on, amount=16800 * len(months), months=[m.strftime("%Y-%m") for m in months],
    recorded_by=User.objects.get(username="keuangan"),
)
# Recorded on its SP2D day, before the death (a payment recorded later would not count).
recorded = dt.datetime.combine(paid_on, dt.time(2), tzinfo=dt.UTC)
Payment.objects.filter(pk=payment.pk).update(recorded_at=recorded)
for m in months:
    PaymentMonth.objects.create(payment=payment, pemda=pemda, funding_source=source, month=m)
PaymentMonth.objects.filter(payment=payment).update(recorded_at=recorded)
"""
STATUS = (
    "from lindung.workers.models import Enrolment; "
    f"e = Enrolment.objects.get(kpj='{KPJ}'); print(e.status, e.end_reason, e.ended_on)"
)


def _shell(var_dir: Path, code: str) -> str:
    env = {**os.environ, "LINDUNG_ENV": "test", "LINDUNG_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "lindung", "shell", "-c", code],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _step(page: Page, name: str, fields: dict[str, str] | None = None) -> None:
    page.locator("summary", has_text=name).click()
    form = page.locator("details[open] form")
    for name_, value in (fields or {}).items():
        form.locator(f"[name={name_}]").fill(value)
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name=name).click()
    expect(page.locator("main")).to_contain_text(f"Klaim: {name}.")


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _heir_and_papers(page: Page) -> None:
    main = page.locator("main")
    page.locator("summary", has_text="Tambah ahli waris").click()
    form = page.locator("details[open] form")
    form.get_by_label("Nama ahli waris").fill("Siti Aminah")
    form.get_by_label("Hubungan dengan peserta").select_option("spouse")
    form.get_by_label("NIK ahli waris").fill("3504016503780002")
    form.get_by_role("button", name="Simpan ahli waris").click()
    expect(main).to_contain_text("Penerima manfaat: Siti Aminah")
    # Before the papers are in, "documents complete" is refused with what is missing.
    page.locator("summary", has_text="Berkas lengkap").click()
    form = page.locator("details[open] form")
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name="Berkas lengkap").click()
    expect(main).to_contain_text("Berkas belum lengkap")
    items = page.locator("#upload_item option")
    codes = [items.nth(i).get_attribute("value") for i in range(items.count())]
    for code in codes:
        if code == "marriage_book":  # optional
            continue
        page.locator("summary", has_text="Unggah dokumen").click()
        form = page.locator("details[open] form")
        form.get_by_label("Dokumen").select_option(code)
        form.get_by_label("File (PDF, JPG, PNG)").set_input_files(
            files=[{"name": f"{code}.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        form.get_by_role("button", name="Unggah").click()
        expect(main).to_contain_text("Dokumen diunggah.")
    screenshot(page, "claim-papers")


def _month_after(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _death_day(today: dt.date) -> dt.date:
    """The 14th of last month (today in the program's first month), so that the month after
    the death is still in the program's year and can be billed."""
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    return last_month.replace(day=14) if today.month > 1 else today


def test_a_death_claim_from_the_report_to_the_hand_over(page: Page, live_var_dir: Path):
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()
    died = _death_day(today)
    paid_on = died - dt.timedelta(days=4) if died.day > 4 else died
    _shell(live_var_dir, MAKE_PARTICIPANT.replace("{paid_on}", paid_on.isoformat()))
    log_in(page, "verifikator")
    page.goto("/klaim/")
    page.get_by_role("link", name="Laporkan kejadian").click()
    page.get_by_label("NIK atau KPJ").fill(KPJ)
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="SURATMI KLAIM").click()
    page.get_by_label("Jenis klaim").select_option("JKM")
    page.locator("#id_incident_on").fill(died.isoformat())
    page.locator("#id_place").fill("Desa Sumberdadi")
    page.get_by_label("Dilaporkan oleh").select_option("family")
    page.get_by_label("Nama pelapor").fill("Siti Aminah")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Catat laporan").click()
    main = page.locator("main")
    expect(main).to_contain_text("Klaim dicatat.")
    expect(main).to_contain_text("Hak manfaat: Rp 42.000.000")
    expect(main).to_contain_text("Santunan sekaligus")
    screenshot(page, "claim-reported")

    _heir_and_papers(page)
    _step(page, "Berkas lengkap")
    _step(page, "Diajukan ke BPJS")
    _step(page, "Dibayar BPJS", {"paid_amount": "42000000", "paid_on": today.isoformat()})
    _step(
        page, "Diserahkan",
        {"handed_over_on": today.isoformat(), "handed_over_place": "Pendopo Kabupaten",
         "handed_over_by": "Bupati Tulungagung"},
    )  # fmt: skip
    expect(main).to_contain_text("Pendopo Kabupaten")
    expect(page.locator("summary")).to_have_count(0)  # nothing left to do
    screenshot(page, "claim-handed-over")
    assert _shell(live_var_dir, STATUS) == f"ended deceased {died.isoformat()}"

    # The month after the death, Keuangan's bill no longer holds the participant.
    after = _month_after(died)
    page.context.clear_cookies()
    log_in(page, "keuangan")
    page.goto("/iuran/")
    page.get_by_label("Bulan iuran").select_option(f"{after:%Y-%m}")
    page.get_by_role("button", name="Buat tagihan").click()
    expect(page.locator(".msg-success")).to_contain_text("dibuat")
    lines = (
        "from lindung.billing.models import BillLine; "
        f"q = BillLine.objects.filter(bill__month='{after.isoformat()}'); "
        f"print(q.filter(enrolment__kpj='{KPJ}').count(), q.exists())"
    )
    assert _shell(live_var_dir, lines) == "0 True"
