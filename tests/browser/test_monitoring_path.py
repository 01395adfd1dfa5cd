"""A leader's monitoring path in a real browser: the dashboard, one district, the data behind
its chart as csv, a report, and the audit evidence pack made in the background, downloaded
and opened."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_leader_filters_to_a_district_downloads_its_data_and_the_evidence_pack(
    page: Page, tmp_path: Path
) -> None:
    log_in(page, "pimpinan")
    page.goto("/pemantauan/")
    expect(page.get_by_role("heading", name="Pemantauan cakupan")).to_be_visible()

    district = page.locator("#kecamatan option").nth(1)
    name = district.inner_text().strip()
    page.locator("#kecamatan").select_option(index=1)
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#cakupan h2")).to_contain_text(f"Kecamatan {name}")
    screenshot(page, "monitoring-district")

    with page.expect_download() as csv_download:
        page.locator("#cakupan .downloads").get_by_role("link", name="csv").click()
    csv_path = tmp_path / "cakupan.csv"
    csv_download.value.save_as(csv_path)
    header = csv_path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("Kode;Desa/Kelurahan;Peserta aktif")

    with page.expect_download() as pdf_download:
        page.locator("#laporan").get_by_role("link", name="PDF").first.click()
    pdf_path = tmp_path / "laporan.pdf"
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Paket bukti audit untuk BPK / Inspektorat").click()
    page.get_by_role("button", name="Buat paket bukti").click()
    button = page.locator("#unduh-paket")
    expect(button).to_be_visible(timeout=90_000)  # the background job, polled by htmx
    with page.expect_download() as zip_download:
        button.click()
    zip_path = tmp_path / "paket.zip"
    zip_download.value.save_as(zip_path)
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        readme = archive.read("README.txt").decode()
    assert "README.txt" in names
    assert "03-usulan-dan-persetujuan.csv" in names
    assert "08-kepesertaan-berakhir.csv" in names
    assert "PAKET BUKTI AUDIT" in readme
    assert "NIK: disamarkan" in readme  # a leader does not see NIKs in full
