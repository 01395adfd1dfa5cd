"""Issue 11's path in a real browser, on the served demo: the verifier proposes an
allocation, the Kepala Dinas approves it, the BPJS officer makes the registration file and
reads back the branch's result file (a title row and other headers), a participant's card
opens, and the worker checks their cover on /cek/ on a phone (390 × 844)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

KPJ = "26099900001"


def _log_out(page: Page) -> None:
    page.context.clear_cookies()


def _propose(page: Page) -> str:
    """As the verifier: what-if for this month, then the proposal; the proposal's address."""
    log_in(page, "verifikator")
    page.goto("/kepesertaan/alokasi/")
    this_month = dt.datetime.now(ZoneInfo("Asia/Jakarta")).strftime("%m-%Y")
    page.get_by_label("Bulan mulai").select_option(label=this_month)
    page.get_by_role("button", name="Hitung").click()
    page.get_by_role("button", name="Ajukan alokasi").click()
    expect(page).to_have_url(re.compile(r"/kepesertaan/usulan/\d+/$"))
    expect(page.locator("main")).to_contain_text("Menunggu persetujuan")
    expect(page.get_by_role("link", name="Setujui")).to_have_count(0)  # not for the maker
    return page.url


def _approve(page: Page, proposal: str) -> None:
    _log_out(page)
    log_in(page, "kadis")
    page.goto(proposal)
    page.get_by_role("link", name="Setujui").click()
    page.get_by_role("button", name=re.compile(r"^Ya, setujui \d+ orang$")).click()
    expect(page.locator("main")).to_contain_text("Usulan disetujui")


def _registration_file(page: Page, folder: Path) -> list[list[str]]:
    """As the BPJS officer: the xlsx of everyone approved and not yet sent; its rows."""
    _log_out(page)
    log_in(page, "bpjs")
    page.goto("/kepesertaan/bpjs/")
    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh file pendaftaran (xlsx)").click()
    path = folder / "pendaftaran.xlsx"
    info.value.save_as(path)
    sheet = load_workbook(path, read_only=True).active
    return [
        [str(c) if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)
    ]


def _result_file(rows: list[list[str]], path: Path) -> tuple[str, str]:
    """The branch's answer in its own layout: every NIK accepted from the first of this
    month, the first person whose name starts with three letters with KPJ `KPJ`. Returns that
    person's NIK and name."""
    header = [h.lower() for h in rows[0]]
    nik_at = next(i for i, h in enumerate(header) if "nik" in h)
    name_at = next(i for i, h in enumerate(header) if h.startswith("nama"))
    people = [(r[nik_at], r[name_at]) for r in rows[1:] if r[nik_at]]
    chosen = next(p for p in people if p[1][:3].isalpha())
    people.remove(chosen)
    people.insert(0, chosen)
    effective = dt.datetime.now(ZoneInfo("Asia/Jakarta")).strftime("01/%m/%Y")
    book = Workbook()
    sheet = book.active
    sheet.append(["REKAPITULASI HASIL PENDAFTARAN PESERTA BUKAN PENERIMA UPAH"])
    sheet.append(["KANTOR CABANG TULUNGAGUNG"])
    sheet.append(["No", "No. KTP", "Nama Peserta", "Nomor Peserta", "Tgl Kepesertaan", "Hasil",
                  "Alasan"])  # fmt: skip
    for number, (nik, name) in enumerate(people, start=1):
        kpj = KPJ if number == 1 else f"2609990{number:04d}"
        sheet.append([number, nik, name, kpj, effective, "BERHASIL", ""])
    book.save(path)
    return people[0]


def test_propose_approve_send_read_back_card_and_public_check(
    browser: Browser, live_url: str, page: Page, tmp_path: Path
):
    proposal = _propose(page)
    _approve(page, proposal)
    rows = _registration_file(page, tmp_path)
    assert len(rows) > 1
    result = tmp_path / "hasil-bpjs-cabang.xlsx"
    nik, name = _result_file(rows, result)

    page.goto("/kepesertaan/bpjs/")
    page.get_by_label("Hasil pendaftaran BPJS").check()
    page.locator("input[type=file]").set_input_files(str(result))
    page.get_by_role("button", name="Baca file").click()
    main = page.locator("main")
    expect(main).to_contain_text("Diaktifkan")
    screenshot(page, "enrollment-bpjs-result")

    # The participant's page and card, found by the KPJ BPJS gave.
    _log_out(page)
    log_in(page, "verifikator")
    page.goto("/kepesertaan/peserta/")
    page.get_by_label("Nomor KPJ").fill(KPJ)
    page.get_by_role("button", name="Cari", exact=True).click()
    page.get_by_role("link", name=name).click()
    expect(page.locator("main")).to_contain_text(KPJ)
    card = page.get_by_role("link", name="Unduh kartu (PDF)")
    response = page.request.get(card.get_attribute("href") or "")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # The worker checks their cover on a phone, with no login.
    phone = browser.new_context(
        base_url=live_url, locale="id-ID", viewport={"width": 390, "height": 844}
    )
    check = phone.new_page()
    check.goto("/cek/")
    check.get_by_label("NIK (16 angka)").fill(nik)
    check.get_by_label("Tiga huruf pertama nama").fill(name[:3].lower())
    check.get_by_role("button", name="Cek status").click()
    answer = check.get_by_role("status")
    expect(answer).to_contain_text("Terlindungi JKK + JKM sampai 31 Desember")
    assert nik not in check.content()
    assert check.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(check, "enrollment-public-check")
    phone.close()
