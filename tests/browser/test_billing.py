"""Keuangan in a real browser: generates a month's bill, opens it, records an SP2D payment,
and the same SP2D number entered again is refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_keuangan_bills_a_month_and_records_a_payment_once(page: Page) -> None:
    log_in(page, "keuangan")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Iuran").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tagihan iuran")
    month = page.get_by_label("Bulan iuran")
    first = month.locator("option").first.get_attribute("value")
    assert first is not None
    month.select_option(first)
    page.get_by_role("button", name="Buat tagihan").click()
    expect(page.locator(".msg-success")).to_contain_text("dibuat")
    screenshot(page, "billing-bills")

    # The bill itself, on a phone: its lines and subtotals fit 390 px.
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("td a[href^='/iuran/tagihan/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tagihan")
    expect(page.get_by_role("link", name="Unduh PDF")).to_be_visible()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    screenshot(page, "billing-bill-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Kembali").click()

    page.get_by_role("link", name="Pembayaran").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pembayaran iuran")
    number = f"{dt.datetime.now().strftime('%H%M%S%f')}/SP2D/LS"  # noqa: DTZ005 - a unique text

    def pay(sp2d: str) -> None:
        page.get_by_label("Sumber dana").select_option(index=1)  # 0 is the blank choice
        page.get_by_label("Nomor SP2D").fill(sp2d)
        page.get_by_label("Tanggal SP2D").fill(dt.date.today().isoformat())  # noqa: DTZ011
        page.get_by_label("Jumlah (Rp)").fill("16.800")
        page.locator("input[name=months]").first.check()
        page.get_by_role("button", name="Catat pembayaran").click()

    pay(number)
    expect(page.locator(".msg-success")).to_contain_text(f"SP2D {number} dicatat")
    expect(page.locator("main")).to_contain_text(number)
    pay(" " + number.lower() + " ")
    expect(page.locator(".msg-error")).to_contain_text(re.compile("sudah pernah dicatat"))
    screenshot(page, "billing-payment-refused")
