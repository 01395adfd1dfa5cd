"""The verifier runs a verification of the demo program, accepts a probable DTKS match and
chooses the owner of a person two agencies handed in; Dinas Perhubungan's operator then sees
both outcomes on the submission page and in the feedback file.

The demo's Dinas Perhubungan list lost the last digit of every NIK in a spreadsheet number
format, so its people are found in DTKS by name and birth date only: probable matches."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PROGRAM, log_in, screenshot

pytestmark = pytest.mark.browser

PROGRAM = DEMO_PROGRAM
AGENCY = "Dinas Perhubungan"


def _choose_agency(page: Page) -> None:
    page.get_by_label("Instansi", exact=True).select_option(label=AGENCY)
    expect(page).to_have_url(re.compile(r"instansi=\d+"))


def test_the_verifier_resolves_a_match_and_a_duplicate_and_the_agency_sees_why(
    page: Page,
) -> None:
    log_in(page, "verifikator")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Verifikasi").click()
    page.get_by_role("link", name=PROGRAM).click()
    expect(page.get_by_role("heading", name=f"Verifikasi {PROGRAM}")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("DTKS keadaan per 31 Maret 2025")
    expect(main).to_contain_text("calon padanan menunggu keputusan")

    # Run: queued for the background worker, followed until done, then the summary again.
    page.get_by_role("button", name="Jalankan verifikasi").click()
    expect(page).to_have_url(re.compile(r"/verifikasi/proses/\d+/$"))
    screenshot(page, "verification-run")
    expect(page).to_have_url(re.compile(r"/verifikasi/program/\d+/$"), timeout=60_000)
    expect(main).to_contain_text("Hasil verifikasi #")
    history = page.locator("table").last
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history.locator("tbody tr").first).to_contain_text("Selesai")
    screenshot(page, "verification-program")

    # A probable match of Dinas Perhubungan: the row and the DTKS record side by side.
    page.get_by_role("link", name="Calon padanan DTKS/DTSEN").click()
    _choose_agency(page)
    item = page.locator("article.match").first
    expect(item).to_contain_text(AGENCY)
    expect(item.locator("mark").first).to_be_visible()  # the NIK digits that differ
    item_id = item.get_attribute("id")
    row_link = item.get_by_role("link", name=re.compile(r"usulan #\d+ baris \d+"))
    match_url = row_link.get_attribute("href")
    screenshot(page, "verification-matches")
    item.get_by_label("Catatan (boleh kosong)").fill("Nama dan tanggal lahir sama dengan KTP")
    item.get_by_role("button", name="Terima: orang yang sama").click()
    decided = page.locator(f"#{item_id}")
    expect(decided).to_contain_text("Diterima: orang yang sama")
    expect(decided.get_by_role("button", name="Terima: orang yang sama")).to_have_count(0)
    screenshot(page, "verification-match-accepted")

    # A person Dinas Perhubungan and another agency both handed in: the other agency keeps it.
    page.get_by_role("link", name="Data ganda antarinstansi").click()
    _choose_agency(page)
    group = page.locator("article.duplicate-group").first
    group_id = group.get_attribute("id")
    agencies = group.locator("thead th").all_inner_texts()[1:]
    ours = agencies.index(AGENCY)
    duplicate_url = (
        group.locator("tbody tr").first.locator("td").nth(ours).get_by_role("link").first
    ).get_attribute("href")
    owner = next(
        label
        for label in group.locator("label.check").all()
        if not label.inner_text().startswith(AGENCY)
    )
    owner_name = owner.inner_text().split(" baris ")[0].strip()
    owner.locator("input").check()
    group.get_by_label("Catatan untuk instansi (boleh kosong)").fill(
        "Sudah lebih dulu diusulkan instansi lain"
    )
    screenshot(page, "verification-duplicates")
    group.get_by_role("button", name="Simpan pemilik").click()
    resolved = page.locator(f"#{group_id}")
    expect(resolved).to_contain_text("Pemilik tersimpan")
    expect(resolved).to_contain_text(f"Orang yang sama diusulkan oleh {owner_name}")
    screenshot(page, "verification-duplicate-resolved")
    page.get_by_role("button", name="Keluar").click()

    # Dinas Perhubungan's operator: the accepted match and the lost duplicate, with reasons.
    log_in(page, "opd.dishub")
    assert match_url is not None
    assert duplicate_url is not None
    page.goto(match_url)
    expect(page.locator("#hasil-verifikasi")).to_contain_text("Hasil verifikasi")
    # The links name the row: /usulan/<pk>/?q=<row number>#baris-<row id>.
    cell = page.locator("#" + match_url.split("#")[1]).locator("td.verification")
    expect(cell).to_contain_text("diputuskan pemeriksa")
    expect(cell).to_contain_text(re.compile(r"NIK 3504\*{8}\d{4}"))  # the register's, masked
    screenshot(page, "verification-agency-match")

    page.goto(duplicate_url)
    cell = page.locator("#" + duplicate_url.split("#")[1]).locator("td.verification")
    expect(cell).to_contain_text("Tidak memenuhi syarat")
    expect(cell).to_contain_text(f"Orang yang sama diusulkan oleh {owner_name}")
    expect(cell).to_contain_text("Catatan: Sudah lebih dulu diusulkan instansi lain")
    screenshot(page, "verification-agency-duplicate")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh umpan balik (xlsx)").click()
    with download_info.value.path().open("rb") as handle:
        workbook = load_workbook(handle, read_only=True)
        table = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    header = table[0]
    assert header[:7] == [
        "Lembar",
        "Baris",
        "Status",
        "Alasan",
        "Hasil verifikasi",
        "Keterangan verifikasi",
        "Padanan DTKS",
    ]
    notes = " ".join(str(r[5] or "") for r in table[1:])
    assert "Catatan: Sudah lebih dulu diusulkan instansi lain" in notes
    assert "diputuskan pemeriksa" in notes


def _open_program(page: Page) -> None:
    page.goto("/verifikasi/")
    page.get_by_role("link", name=PROGRAM).click()
    expect(page.get_by_role("heading", name=f"Verifikasi {PROGRAM}")).to_be_visible()


def test_back_from_the_results_of_a_run_leaves_the_run_in_one_press(page: Page) -> None:
    log_in(page, "verifikator")
    _open_program(page)
    before = page.url

    page.get_by_role("button", name="Jalankan verifikasi").click()
    expect(page).to_have_url(re.compile(r"/verifikasi/proses/\d+/$"))
    expect(page).to_have_url(re.compile(r"/verifikasi/program/\d+/$"), timeout=60_000)
    expect(page.locator("main")).to_contain_text("Hasil verifikasi #")

    page.go_back()
    page.wait_for_timeout(2_500)  # a progress page would poll and forward again within 1 s
    assert "/proses/" not in page.url
    assert page.url == before


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text.split(" ")[0]) or "0")


def test_the_counters_follow_an_inline_match_decision_without_a_reload(page: Page) -> None:
    log_in(page, "verifikator")
    _open_program(page)
    page.get_by_role("link", name="Calon padanan DTKS/DTSEN").click()
    waiting = page.locator("#padanan-menunggu")
    tab = page.locator("#tab-padanan-n")
    before = _number(waiting.inner_text())
    assert before > 0
    assert _number(tab.inner_text().strip(" ()")) == before
    page.evaluate("window.notReloaded = true")

    item = page.locator("article.match").first
    item.get_by_role("button", name="Tolak: orang berbeda").click()

    expect(item).to_contain_text("Ditolak: orang berbeda")
    expect(waiting).to_have_text(re.compile(rf"^{before - 1:,} calon".replace(",", ".")))
    expect(tab).to_have_text(f" ({before - 1:,})".replace(",", "."))
    assert page.evaluate("window.notReloaded") is True


def test_a_single_decision_is_undone_inline_and_the_counters_follow(page: Page) -> None:
    log_in(page, "verifikator")
    _open_program(page)
    page.get_by_role("link", name="Calon padanan DTKS/DTSEN").click()
    waiting = page.locator("#padanan-menunggu")
    before = _number(waiting.inner_text())
    item = page.locator("article.match").first
    item_id = item.get_attribute("id")
    item = page.locator(f"#{item_id}")

    item.get_by_role("button", name="Terima: orang yang sama").click()
    expect(item).to_contain_text("Diterima: orang yang sama")
    expect(waiting).to_have_text(re.compile(rf"^{before - 1:,} calon".replace(",", ".")))
    expect(page.locator("#keputusan summary")).to_contain_text("dapat dibatalkan")

    item.get_by_role("button", name="Batalkan keputusan").click()

    expect(item).to_contain_text("Keputusan dibatalkan")
    expect(item.get_by_role("button", name="Terima: orang yang sama")).to_be_visible()
    expect(waiting).to_have_text(re.compile(rf"^{before:,} calon".replace(",", ".")))
    screenshot(page, "verification-match-undone")


def test_bulk_accept_shows_the_count_and_asks_before_accepting(page: Page) -> None:
    log_in(page, "verifikator")
    _open_program(page)
    page.get_by_role("link", name="Calon padanan DTKS/DTSEN").click()
    waiting = page.locator("#padanan-menunggu")
    before = _number(waiting.inner_text())

    page.get_by_text("Terima sekaligus calon yang jelas").click()
    page.get_by_label("Skor minimal").fill("0,5")
    page.get_by_role("button", name="Terima semua dengan skor ≥ skor minimal").click()

    # A confirmation step (a page: it works without scripts) with the count; nothing yet.
    count = page.locator("#jumlah-diterima")
    expect(count).to_contain_text("padanan akan diterima.")
    clear = _number(count.inner_text())
    assert 0 < clear <= before
    shown = f"{clear:,}".replace(",", ".")
    screenshot(page, "verification-bulk-confirm")
    page.get_by_role("link", name="Batal").click()
    expect(waiting).to_have_text(re.compile(rf"^{before:,} calon".replace(",", ".")))

    page.get_by_text("Terima sekaligus calon yang jelas").click()
    page.get_by_label("Skor minimal").fill("0,5")
    page.get_by_role("button", name="Terima semua dengan skor ≥ skor minimal").click()
    page.get_by_role("button", name=f"Ya, terima {shown} padanan").click()

    expect(page.locator("main")).to_contain_text(
        f"{shown} calon padanan dengan skor ≥ 0,50 diterima.", timeout=90_000
    )
    left = f"{before - clear:,}".replace(",", ".")
    expect(waiting).to_have_text(re.compile(rf"^{left} calon"))
