"""Issue 12's path in a real browser on the served demo: Keuangan generates this month's bill,
opens it (it fits a phone) and downloads its xlsx, records the SP2D payment for it (the same
SP2D entered again is refused), reconciles BPJS's bill for the month (written here from the
downloaded xlsx, as the branch would send it, with two planted differences) and sees the
burn-down chart drawn by the vendored Chart.js, with no request leaving the host."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

Line = tuple[str, str, str, int, int, int]  # NIK, name, KPJ, JKK, JKM, amount


def _bill_lines(xlsx: Path) -> list[Line]:
    """Our bill's lines from its xlsx download (No, NIK, Nama, KPJ, Instansi, JKK, JKM, JHT,
    Iuran): the rows under the header down to the "Jumlah" row."""
    sheet = openpyxl.load_workbook(xlsx, read_only=True).active
    lines: list[Line] = []
    header_seen = False
    for row in sheet.iter_rows(values_only=True):
        if not header_seen:
            header_seen = row[:2] == ("No", "NIK")
            continue
        if not row[1]:
            break
        lines.append((str(row[1]), str(row[2]), str(row[3] or ""), row[5], row[6], row[8]))
    return lines


def _bpjs_bill(lines: list[Line], month: dt.date, path: Path) -> Path:
    """BPJS's bill as the branch sends it: a title line, its own column names; our first
    participant missing, the second with PP 50/2025 relief applied to APBD money (half)."""
    period = f"{month:%m-%Y}"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow([f"TAGIHAN IURAN PESERTA BPU PERIODE {period}"])
        writer.writerow(["No", "No. KTP", "No. KPJ", "Nama TK", "Periode", "Iuran JKK",
                         "Iuran JKM", "Total Iuran"])  # fmt: skip
        for number, (nik, name, kpj, jkk, jkm, amount) in enumerate(lines[1:], start=1):
            if number == 1:
                jkk, jkm, amount = jkk // 2, jkm // 2, amount // 2
            writer.writerow([number, nik, kpj, name.upper(), period, jkk, jkm, amount])
    return path


def _rupiah(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def test_keuangan_bills_pays_reconciles_and_sees_the_burn_down(page: Page, tmp_path: Path):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    month = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date().replace(day=1)
    log_in(page, "keuangan")

    # 1. This month's bill, generated from the Iuran page.
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Iuran").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tagihan iuran")
    page.get_by_label("Bulan iuran").select_option(f"{month:%Y-%m}")
    page.get_by_role("button", name="Buat tagihan").click()
    expect(page.locator(".msg-success")).to_contain_text("dibuat")
    screenshot(page, "money-bills")
    page.locator("tr", has_text=f"{month:%m-%Y}").get_by_role("link", name="apbd").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tagihan")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh xlsx").click()
    xlsx = tmp_path / "tagihan.xlsx"
    download.value.save_as(xlsx)
    lines = _bill_lines(xlsx)
    total = sum(line[5] for line in lines)
    assert len(lines) > 20_000
    assert total == len(lines) * 16_800  # JKK + JKM at the Rp 1 juta band, APBD: no relief
    expect(page.locator("main")).to_contain_text(_rupiah(total))
    # The bill on a phone: its lines and subtotals fit 390 px.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("link", name="Unduh PDF")).to_be_visible()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    screenshot(page, "money-bill-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Kembali").click()

    # 2. The SP2D for it, once: entered again (other case, blanks) it is refused.
    page.get_by_role("link", name="Pembayaran").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pembayaran iuran")
    number = f"SP2D-{dt.datetime.now().strftime('%H%M%S%f')}/BPKAD/{month.year}"  # noqa: DTZ005

    def pay(sp2d: str) -> None:
        page.get_by_label("Sumber dana").select_option(index=1)  # APBD; 0 is the blank choice
        page.get_by_label("Nomor SP2D").fill(sp2d)
        page.get_by_label("Tanggal SP2D").fill(dt.date.today().isoformat())  # noqa: DTZ011
        page.get_by_label("Jumlah (Rp)").fill(_rupiah(total))
        page.locator(f"input[name=months][value='{month:%Y-%m}']").check()
        page.get_by_role("button", name="Catat pembayaran").click()

    pay(number)
    expect(page.locator(".msg-success")).to_contain_text(f"SP2D {number.upper()} dicatat")
    expect(page.locator("main")).to_contain_text(number.upper())
    pay(" " + number.lower() + " ")
    expect(page.locator(".msg-error")).to_contain_text(re.compile("sudah pernah dicatat"))
    screenshot(page, "money-payment-refused")

    # 3. BPJS's bill of the month reconciled: the two planted differences and nothing else.
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Rekonsiliasi"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rekonsiliasi tagihan BPJS")
    page.get_by_label("Bulan iuran").select_option(month.isoformat())
    bpjs = _bpjs_bill(lines, month, tmp_path / f"tagihan-bpjs-{month:%Y-%m}.csv")
    page.get_by_label("File tagihan BPJS").set_input_files(bpjs)
    page.get_by_role("button", name="Rekonsiliasi").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{month:%m-%Y}")
    stats = page.get_by_role("navigation", name="Hasil rekonsiliasi")
    expected = {
        "Cocok": _rupiah(len(lines) - 2),
        "Tidak ada di tagihan BPJS": "1",
        "Jumlah iuran berbeda": "1",
        "Bukan peserta program ini": "0",
        "Sudah berakhir, masih ditagih": "0",
    }
    for label, count in expected.items():
        stat = stats.locator(".stat", has_text=label)
        expect(stat.locator(".stat-value")).to_have_text(count)
    screenshot(page, "money-reconciled")

    # 4. The budget's burn-down chart, its figures in the table under it.
    page.get_by_role("link", name="Anggaran").first.click()
    expect(page.get_by_role("heading", name="Anggaran dan realisasi")).to_be_visible()
    chart = page.locator(".chart-box.drawn canvas")
    expect(chart).to_be_visible()
    assert page.evaluate("() => Object.keys(window.Chart.instances).length") == 1
    assert chart.bounding_box()["height"] > 100
    expect(page.locator("#tabel-sisa-dana tbody tr")).to_have_count(12)
    screenshot(page, "money-burn-down")
    origin = page.url.split("/iuran/")[0]
    assert all(url.startswith(origin) for url in requests), "no request leaves the host"
