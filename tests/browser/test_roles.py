"""Each demo role logs in through the real login page and lands on its own home page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PROGRAM, log_in, screenshot

pytestmark = pytest.mark.browser

# username, role badge, a phrase only that role's home page shows, menu items it must see,
# menu items it must not see
ROLES = [
    ("admin", "Admin Disnaker", "Yang perlu dilakukan", ["Program", "Pengguna", "Log audit"], []),
    ("verifikator", "Verifikator", "memverifikasi usulan", ["Program", "Instansi"], ["Pengguna"]),
    (
        "kadis",
        "Kepala Dinas",
        "menyetujui atau mengembalikan usulan",
        ["Program"],
        ["Pengguna", "Log audit"],
    ),
    ("keuangan", "Keuangan (BPKAD)", "tagihan, pembayaran (SP2D)", ["Program"], ["Pengguna"]),
    ("bpjs", "Petugas BPJS", "nomor KPJ", ["Program"], ["Pengguna"]),
    ("pimpinan", "Pimpinan", "Ringkasan program", ["Program"], ["Pengguna", "Log audit"]),
    (
        "opd.perikanan",
        "Operator OPD",
        "atas nama instansi Anda",
        ["Pekerja"],
        ["Instansi", "Pengguna", "Log audit"],
    ),
    ("opd.dishub", "Operator OPD", "atas nama instansi Anda", ["Pekerja"], ["Pengguna"]),
    (
        "desa.besuki",
        "Operator Desa",
        "atas nama instansi Anda",
        ["Pekerja"],
        ["Instansi", "Pengguna"],
    ),
]


@pytest.mark.parametrize(
    ("username", "badge", "phrase", "visible", "hidden"), ROLES, ids=[r[0] for r in ROLES]
)
def test_each_demo_role_logs_in_and_sees_its_own_home_page(
    page: Page, username: str, badge: str, phrase: str, visible: list[str], hidden: list[str]
) -> None:
    log_in(page, username)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".role-badge")).to_have_text(badge)
    expect(page.locator("main")).to_contain_text(phrase)
    menu = page.get_by_role("navigation", name="Menu utama")
    for item in visible:
        expect(menu.get_by_role("link", name=item, exact=True)).to_be_visible()
    for item in hidden:
        expect(menu.get_by_role("link", name=item, exact=True)).to_have_count(0)
    screenshot(page, f"home-{username}")


def test_the_vendored_stylesheet_and_htmx_load_from_our_own_host(page: Page) -> None:
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto("/akun/masuk/")
    assert page.evaluate("typeof htmx") == "object"
    topbar = page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
    assert topbar == "rgb(11, 93, 70)"
    assert failed == []


def test_a_wrong_password_is_refused_in_bahasa_indonesia(page: Page) -> None:
    log_in(page, "admin", "bukan-sandinya")
    expect(page.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah")
    expect(page).to_have_url(re.compile(r"/akun/masuk/"))


def test_an_operator_is_told_an_admin_page_is_not_for_their_role(page: Page) -> None:
    log_in(page, "opd.perikanan")
    response = page.goto("/akun/pengguna/")
    assert response is not None
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("bukan untuk peran Anda")


def test_an_operator_sees_only_masked_niks_of_their_own_agency(page: Page) -> None:
    log_in(page, "opd.satpolpp")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Pekerja").click()
    rows = page.locator("#rows tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() == 50  # one page of the 50 synthetic becak drivers
    text = page.locator("#rows").inner_text()
    assert re.search(r"\b35\d{2}\*{8}\d{4}\b", text)
    assert not re.search(r"\b\d{16}\b", text)
    assert "Tukang Becak" in text
    assert "Nelayan" not in text


def test_the_admin_reads_the_program_budget_and_logs_out(page: Page) -> None:
    log_in(page, "admin")
    page.get_by_role("link", name=f"Buka {DEMO_PROGRAM}").click()
    main = page.locator("main")
    expect(main).to_contain_text("Rp 16.800")
    # 37.500 participants × 12 months × Rp 16.800 = Rp 7.560.000.000
    expect(main).to_contain_text("Rp 7.560.000.000")
    expect(main).to_contain_text("12 bulan")
    screenshot(page, "program-detail-admin")
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/akun/masuk/"))


def test_region_search_answers_as_the_user_types(page: Page) -> None:
    log_in(page, "verifikator")
    page.goto("/wilayah/")
    page.get_by_label("Kode atau nama").fill("Ds. Besuki")
    results = page.locator("#hasil tbody")
    expect(results).to_contain_text("35.04.15")
    expect(results).to_contain_text("Besuki")
    screenshot(page, "region-search")
