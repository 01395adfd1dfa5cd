"""An agency operator hands in a messy list, confirms its columns, corrects a rejected row in
the browser and downloads the feedback file; the walk-in entry page checks as they type.

The list (tests/data/browser/daftar-nelayan-berantakan.xlsx, written by make_intake_files.py
next to it) has title rows, a NIK column headed "Nomor Kependudukan" that Lindung does not
know, a NIK of 15 digits (spreadsheet row 7), a NIK with a letter (row 10), a birth date that
disagrees with its NIK (row 8, "Slamet Riyadi"), a blank row and a JUMLAH row.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from lindung.domain.nik import compose_nik
from tests.browser.conftest import DEMO_PROGRAM, log_in, screenshot

pytestmark = pytest.mark.browser

MESSY_LIST = Path(__file__).parents[1] / "data" / "browser" / "daftar-nelayan-berantakan.xlsx"
PROGRAM = DEMO_PROGRAM
DETAIL_URL = re.compile(r"/usulan/\d+/(\?.*)?$")
# A new list's progress is keyed by its file, a correction's by its submission.
JOB_URL = re.compile(r"/usulan/(berkas/)?\d+/proses/$")
UPLOAD_URL = re.compile(r"/usulan/unggah/$")


def _upload(page: Page) -> None:
    page.goto("/usulan/unggah/")
    page.get_by_label("Program").select_option(label=PROGRAM)
    page.get_by_label("File daftar pekerja").set_input_files(MESSY_LIST)
    page.get_by_role("button", name="Unggah", exact=True).click()


def test_an_operator_confirms_columns_fixes_a_rejected_row_and_downloads_feedback(
    page: Page,
) -> None:
    log_in(page, "opd.perikanan")

    # Upload: the NIK column's header is unknown, so the mapping must be confirmed.
    _upload(page)
    expect(page).to_have_url(re.compile(r"/usulan/berkas/\d+/kolom/$"))
    expect(page.get_by_role("heading", name="Cocokkan kolom")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("judul kolom ditemukan di baris 4")
    expect(main).to_contain_text("Kolom NIK tidak dikenali")
    nik_column = page.get_by_label("Arti kolom Nomor Kependudukan")
    expect(nik_column).to_have_value("")
    expect(page.get_by_label("Arti kolom Tgl Lhr")).to_have_value("birth_date")
    expect(page.locator("table.mapping tbody")).to_contain_text("Slamet Riyadi")
    nik_column.select_option("nik")
    screenshot(page, "intake-mapping")
    page.get_by_role("button", name="Proses file").click()

    # Progress: the page polls (htmx) and moves on to the submission when the job is done.
    expect(page).to_have_url(JOB_URL)
    expect(page.get_by_role("heading", name=re.compile("Memproses"))).to_be_visible()
    screenshot(page, "intake-progress")
    expect(page).to_have_url(DETAIL_URL, timeout=60_000)
    stats = page.locator(".stats")
    expect(stats).to_contain_text("5diterima")
    expect(stats).to_contain_text("3ditolak")
    expect(stats).to_contain_text("2baris kosong/jumlah diabaikan")
    screenshot(page, "intake-submission")
    detail_url = page.url

    # Only the rejected rows, each with its reason.
    page.get_by_label("Hasil").select_option(label="Ditolak")
    rows = page.locator("#rows tbody tr")
    expect(rows).to_have_count(3)
    expect(page).to_have_url(re.compile(r"hasil=rejected"))
    table = page.locator("#rows")
    expect(table).to_contain_text("NIK harus 16 digit angka (tertulis 15 digit)")
    expect(table).to_contain_text("tidak sama dengan NIK (07-05-1980)")
    screenshot(page, "intake-rejected-rows")

    # Correct the birth date of the row that disagrees with its NIK.
    slamet = rows.filter(has_text="Slamet Riyadi")
    expect(slamet.locator(".tag")).to_have_text("Ditolak")
    slamet.get_by_role("button", name="Perbaiki", exact=True).click()
    editing = page.locator("tr.editing")
    expect(editing).to_contain_text("Perbaiki baris 8")
    birth_date = editing.get_by_label("Tanggal lahir")
    expect(birth_date).to_have_value("05-07-1980")
    birth_date.fill("07-05-1980")
    screenshot(page, "intake-row-edit")
    editing.get_by_role("button", name="Simpan dan periksa").click()
    expect(page.locator("tr.editing")).to_have_count(0)
    saved = page.locator("#rows tbody tr.just-saved")
    expect(saved).to_contain_text("Slamet Riyadi")
    expect(saved.locator(".tag")).to_have_text("Diterima")
    expect(saved.locator(".reasons")).to_have_count(0)
    screenshot(page, "intake-row-accepted")

    # The feedback file: the agency's rows with Lembar, Baris, Status and Alasan in front.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh umpan balik (xlsx)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with download.path().open("rb") as handle:  # a temporary name without ".xlsx"
        workbook = load_workbook(handle, read_only=True)
        table_rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    header = table_rows[0]
    assert header[:4] == ["Lembar", "Baris", "Status", "Alasan"]
    assert "Nomor Kependudukan" in header
    by_row = {r[1]: dict(zip(header, r, strict=False)) for r in table_rows[1:]}
    assert by_row[8]["Status"] == "Diterima"
    assert by_row[8]["Nama"] == "Slamet Riyadi"
    assert not by_row[8]["Alasan"]
    assert by_row[7]["Status"] == "Ditolak"
    assert "NIK harus 16 digit" in by_row[7]["Alasan"]
    assert by_row[10]["Status"] == "Ditolak"
    assert by_row[10]["Alasan"]
    assert by_row[5]["Status"] == "Diterima"

    # The same file again: the operator is told, and sent to the submission it became.
    _upload(page)
    expect(page).to_have_url(DETAIL_URL)
    assert page.url.split("?")[0] == detail_url.split("?")[0]
    expect(page.get_by_role("status")).to_contain_text("File yang sama sudah pernah diunggah")
    screenshot(page, "intake-reupload")


def test_walk_in_entry_checks_the_nik_against_the_birth_date_as_the_operator_types(
    page: Page,
) -> None:
    log_in(page, "opd.perikanan")
    page.goto("/usulan/tambah/")
    expect(page.get_by_role("heading", name="Tambah satu pekerja")).to_be_visible()
    page.get_by_label("Program").select_option(label=PROGRAM)
    page.get_by_label("Nama sesuai KTP").fill("Sri Wahyuni")
    page.get_by_label("Tanggal lahir").fill("14-02-1983")
    page.get_by_label("Jenis kelamin").select_option("P")
    # Her NIK says she was born on 02-04-1983 (women's day + 40).
    nik = compose_nik(district="35.04.15", birth_date=dt.date(1983, 4, 2), sex="P", serial=9201)
    page.get_by_label("NIK", exact=True).press_sequentially(nik, delay=20)
    check = page.locator("#periksa")
    expect(check).to_contain_text("Belum dapat diterima")
    expect(check).to_contain_text("Tanggal lahir 14-02-1983 tidak sama dengan NIK (02-04-1983)")
    screenshot(page, "intake-entry-live-check")

    page.get_by_label("Tanggal lahir").fill("02-04-1983")
    expect(check).to_contain_text("Data lengkap dan sesuai")
    expect(check).not_to_contain_text("tidak sama dengan NIK")


# --- A1: the feedback file as the correction of a hand-mapped list (issue 8, point 1) ------


def _hand_mapped_list(path: Path) -> Path:
    """A list whose NIK column is headed "Identitas", a header Lindung does not know: four
    people whose NIK agrees with their birth date and sex, a NIK of 15 digits (spreadsheet
    row 6) and a NIK with a letter (row 7)."""
    from openpyxl import Workbook

    people = [
        ("Ngatini", dt.date(1979, 3, 14), "P"),
        ("Warsono", dt.date(1983, 11, 2), "L"),
        ("Tukiyem", dt.date(1990, 6, 21), "P"),
        ("Suparno", dt.date(1975, 1, 9), "L"),
    ]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Identitas", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Pekerjaan"])
    for serial, (name, born, sex) in enumerate(people, start=7301):
        nik = compose_nik(district="35.04.15", birth_date=born, sex=sex, serial=serial)
        sheet.append([nik, name, f"{born:%d-%m-%Y}", sex, "Nelayan"])
    sheet.append(["350415540379730", "Painem", "14-03-1979", "P", "Nelayan"])
    sheet.append(["35041554037973X5", "Sukirah", "14-03-1979", "P", "Nelayan"])
    workbook.save(path)
    return path


def _download_to(page: Page, path: Path) -> Path:
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh umpan balik (xlsx)").click()
    download_info.value.save_as(path)
    return path


def _edit_feedback(source: Path, target: Path, edits: dict[tuple[int, str], str]) -> Path:
    """Type into the feedback file: {(Baris, column header): new value}."""
    workbook = load_workbook(source)
    sheet = workbook.active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        for (number, column), value in edits.items():
            if cells[1].value == number:
                cells[header.index(column)].value = value
    workbook.save(target)
    return target


def _upload_correction(page: Page, path: Path) -> None:
    page.get_by_text("Perbaiki dengan mengunggah file umpan balik").click()
    page.get_by_label("File umpan balik yang sudah diperbaiki").set_input_files(path)
    page.get_by_role("button", name="Unggah perbaikan").click()


def test_a_hand_mapped_list_corrected_by_its_feedback_file_keeps_every_nik(
    page: Page, tmp_path: Path
) -> None:
    log_in(page, "opd.perikanan")
    page.goto("/usulan/unggah/")
    page.get_by_label("Program").select_option(label=PROGRAM)
    page.get_by_label("File daftar pekerja").set_input_files(
        _hand_mapped_list(tmp_path / "daftar-identitas.xlsx")
    )
    page.get_by_role("button", name="Unggah", exact=True).click()

    # The unknown header is mapped by hand.
    expect(page).to_have_url(re.compile(r"/usulan/berkas/\d+/kolom/$"))
    page.get_by_label("Arti kolom Identitas").select_option("nik")
    page.get_by_role("button", name="Proses file").click()
    expect(page).to_have_url(DETAIL_URL, timeout=60_000)
    stats = page.locator(".stats")
    expect(stats).to_contain_text("4diterima")
    expect(stats).to_contain_text("2ditolak")
    detail_url = page.url

    # The agency fixes the 15-digit NIK in the feedback file and sends it back.
    feedback = _download_to(page, tmp_path / "umpan-balik.xlsx")
    fixed_nik = compose_nik(
        district="35.04.15", birth_date=dt.date(1979, 3, 14), sex="P", serial=7310
    )
    corrected = _edit_feedback(feedback, tmp_path / "perbaikan.xlsx", {(6, "Identitas"): fixed_nik})
    _upload_correction(page, corrected)
    expect(page).to_have_url(DETAIL_URL, timeout=60_000)
    expect(stats).to_contain_text("5diterima")
    expect(stats).to_contain_text("1ditolak")

    # The row left alone keeps its NIK and its own reason: nothing became "NIK belum diisi".
    page.get_by_label("Hasil").select_option(label="Ditolak")
    rows = page.locator("#rows tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Sukirah")
    expect(rows).to_contain_text("35041554037973X5")
    expect(page.locator("#rows")).not_to_contain_text("belum diisi")
    screenshot(page, "intake-correction-keeps-niks")

    # A correction that also renames an accepted worker is refused whole, with the row named.
    page.goto(detail_url)
    feedback = _download_to(page, tmp_path / "umpan-balik-2.xlsx")
    meddled = _edit_feedback(
        feedback, tmp_path / "perbaikan-2.xlsx", {(3, "Nama"): "Warsini", (7, "Identitas"): "1"}
    )
    _upload_correction(page, meddled)
    expect(page).to_have_url(JOB_URL)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Hanya baris yang ditolak", timeout=60_000)
    expect(alert).to_contain_text("baris 3")
    expect(alert).to_contain_text("Tidak ada perubahan yang disimpan")
    page.goto(detail_url)
    expect(page.locator("#rows")).to_contain_text("Warsono")
    expect(page.locator("#rows")).not_to_contain_text("Warsini")


# --- issue 8: Back, confirmations, walk-in entry, counters (engineer A2) ---------------------


def _fresh_list(tmp_path: Path, header: str, name: str) -> Path:
    """A small list no other test uploaded (the same content would lead to its old result)."""
    nik = compose_nik(district="35.04.15", birth_date=dt.date(1983, 4, 2), sex="P", serial=9202)
    path = tmp_path / name
    path.write_text(f"{header};Nama;Pekerjaan\n{nik};Sri Wahyuni {_stamp()};Nelayan\n")
    return path


def _stamp() -> str:
    """A made-up family name, so each list's content (and so its file) is new."""
    return "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:8]).title()


def _two_workers(tmp_path: Path) -> tuple[Path, str]:
    """One worker accepted and one whose birth date disagrees with her NIK (02-04-1983)."""
    first = compose_nik(district="35.04.15", birth_date=dt.date(1987, 4, 28), sex="P", serial=9203)
    second = compose_nik(district="35.04.15", birth_date=dt.date(1983, 4, 2), sex="P", serial=9204)
    family = _stamp()
    path = tmp_path / "dua-pekerja.csv"
    path.write_text(
        "NIK;Nama;Tanggal Lahir;Jenis Kelamin;Pekerjaan\n"
        f"{first};Suwarni {family};28-04-1987;P;Nelayan\n"
        f"{second};Lestari {family};14-02-1983;P;Nelayan\n"
    )
    return path, f"Lestari {family}"


def _upload_file(page: Page, path: Path) -> None:
    page.goto("/usulan/")
    page.get_by_role("link", name="Unggah daftar").click()
    expect(page).to_have_url(UPLOAD_URL)
    page.get_by_label("Program").select_option(label=PROGRAM)
    page.get_by_label("File daftar pekerja").set_input_files(path)
    page.get_by_role("button", name="Unggah", exact=True).click()


def _expect_to_stay(page: Page, url: re.Pattern[str]) -> None:
    # A progress page polls every second and would forward within this wait.
    page.wait_for_timeout(2_500)
    expect(page).to_have_url(url)


def test_back_from_the_result_of_an_upload_leaves_the_upload_flow(
    page: Page, tmp_path: Path
) -> None:
    log_in(page, "opd.perikanan")
    _upload_file(page, _fresh_list(tmp_path, "NIK", "daftar-kembali.csv"))
    expect(page).to_have_url(DETAIL_URL, timeout=60_000)

    page.go_back()

    expect(page).to_have_url(UPLOAD_URL)
    _expect_to_stay(page, UPLOAD_URL)


def test_back_from_the_result_of_a_mapped_upload_leaves_the_upload_flow(
    page: Page, tmp_path: Path
) -> None:
    log_in(page, "opd.perikanan")
    _upload_file(page, _fresh_list(tmp_path, "Identitas", "daftar-identitas.csv"))
    expect(page).to_have_url(re.compile(r"/usulan/berkas/\d+/kolom/$"))
    page.get_by_label("Arti kolom Identitas").select_option("nik")
    page.get_by_role("button", name="Proses file").click()
    expect(page).to_have_url(DETAIL_URL, timeout=60_000)

    page.go_back()

    expect(page).to_have_url(UPLOAD_URL)
    _expect_to_stay(page, UPLOAD_URL)
    expect(page.get_by_role("status")).to_contain_text("sudah dicocokkan")


def _stat(page: Page, label: str):
    return page.locator("#angka-usulan .stat").filter(has_text=label).locator(".stat-value")


def test_the_counters_follow_an_inline_fix_without_a_reload(page: Page, tmp_path: Path) -> None:
    log_in(page, "opd.perikanan")
    path, rejected_name = _two_workers(tmp_path)
    _upload_file(page, path)
    expect(page).to_have_url(DETAIL_URL, timeout=60_000)
    expect(_stat(page, "ditolak")).to_have_text("1")
    expect(page.locator("#angka-usulan .stat").first.locator(".stat-value")).to_have_text("1")
    page.evaluate("window.notReloaded = true")

    row = page.locator("#rows tbody tr").filter(has_text=rejected_name)
    row.get_by_role("button", name="Perbaiki", exact=True).click()
    editing = page.locator("tr.editing")
    editing.get_by_label("Tanggal lahir").fill("02-04-1983")
    editing.get_by_role("button", name="Simpan dan periksa").click()

    expect(page.locator("#rows tbody tr.just-saved .tag")).to_have_text("Diterima")
    expect(_stat(page, "ditolak")).to_have_text("0")
    expect(page.locator("#angka-usulan .stat").first.locator(".stat-value")).to_have_text("2")
    assert page.evaluate("window.notReloaded") is True


def test_a_rejected_walk_in_entry_stays_in_the_form_and_a_repeated_nik_is_refused(
    page: Page,
) -> None:
    log_in(page, "opd.perikanan")
    page.goto("/usulan/tambah/")
    page.get_by_label("Program").select_option(label=PROGRAM)
    name = f"Sri {_stamp()}"
    serial = 1000 + uuid.uuid4().int % 8999
    nik = compose_nik(district="35.04.15", birth_date=dt.date(1983, 4, 2), sex="P", serial=serial)
    page.get_by_label("NIK", exact=True).fill(nik)
    page.get_by_label("Nama sesuai KTP").fill(name)
    page.get_by_label("Tanggal lahir").fill("14-02-1983")
    page.get_by_label("Jenis kelamin").select_option("P")
    page.get_by_label("Jenis pekerjaan").fill("Nelayan")

    # Saved while her birth date disagrees with her NIK: kept in the form, with the reason.
    page.get_by_role("button", name="Simpan pekerja").click()
    expect(page.locator("#belum-disimpan")).to_contain_text("Belum disimpan")
    expect(page.locator("#periksa")).to_contain_text("tidak sama dengan NIK (02-04-1983)")
    expect(page.get_by_label("Nama sesuai KTP")).to_have_value(name)
    expect(page.get_by_label("NIK", exact=True)).to_have_value(nik)
    screenshot(page, "intake-entry-kept")

    page.get_by_label("Tanggal lahir").fill("02-04-1983")
    page.get_by_role("button", name="Simpan pekerja").click()
    expect(page.get_by_role("status")).to_contain_text(f"{name} tersimpan di usulan")
    expect(page.get_by_label("Nama sesuai KTP")).to_have_value("")

    # The same NIK again: the live check warns, and saving is refused with the form kept.
    page.get_by_label("Nama sesuai KTP").fill(f"{name} Dua")
    page.get_by_label("Jenis kelamin").select_option("P")
    page.get_by_label("NIK", exact=True).fill(nik)
    expect(page.locator("#periksa")).to_contain_text("NIK sama dengan baris")
    page.get_by_role("button", name="Simpan pekerja").click()
    expect(page.locator("#belum-disimpan")).to_contain_text("sudah ada di usulan input langsung")
    expect(page.get_by_role("button", name="Simpan sebagai ditolak")).to_have_count(0)
    expect(page.get_by_label("Nama sesuai KTP")).to_have_value(f"{name} Dua")


def test_handing_in_with_a_rejected_row_asks_first_with_the_count(
    page: Page, tmp_path: Path
) -> None:
    log_in(page, "opd.perikanan")
    path, _rejected_name = _two_workers(tmp_path)
    _upload_file(page, path)
    expect(page).to_have_url(DETAIL_URL, timeout=60_000)
    detail_url = page.url

    page.get_by_role("link", name="Serahkan ke Disnaker").click()

    expect(page.get_by_role("heading", name="Serahkan ke Disnaker?")).to_be_visible()
    expect(page.locator("#ditinggalkan")).to_have_text(
        "1 baris masih ditolak dan tidak ikut diserahkan."
    )
    screenshot(page, "intake-submit-confirm")
    page.get_by_role("button", name="Serahkan tanpa 1 baris ditolak").click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("Usulan diserahkan ke Disnaker")
    expect(page.locator(".lead .tag")).to_have_text("Diserahkan")


def test_an_agency_deletes_a_draft_after_confirming(page: Page, tmp_path: Path) -> None:
    log_in(page, "opd.perikanan")
    _upload_file(page, _fresh_list(tmp_path, "NIK", "daftar-dihapus.csv"))
    expect(page).to_have_url(DETAIL_URL, timeout=60_000)
    number = page.url.split("/usulan/")[1].split("/")[0]

    page.get_by_role("link", name="Hapus draf").click()

    expect(page.get_by_role("heading", name=f"Hapus usulan #{number}?")).to_be_visible()
    expect(page.locator("main")).to_contain_text("File daftar-dihapus.csv dan 1 baris")
    screenshot(page, "intake-delete-confirm")
    page.get_by_role("button", name="Ya, hapus usulan").click()
    expect(page).to_have_url(re.compile(r"/usulan/$"))
    expect(page.get_by_role("status")).to_contain_text(f"Usulan #{number} dihapus.")
    assert page.goto(f"/usulan/{number}/").status == 404
