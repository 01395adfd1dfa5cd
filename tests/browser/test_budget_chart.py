"""The budget page on a 390 px phone: the burn-down chart is drawn and the page fits (the
chart on a desktop, with no request leaving the host, is in test_money_path.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_the_budget_page_fits_a_phone(browser: Browser, live_url: str) -> None:
    context = browser.new_context(
        base_url=live_url, locale="id-ID", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    log_in(page, "keuangan")
    page.goto("/iuran/anggaran/")
    expect(page.locator(".chart-box.drawn canvas")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    screenshot(page, "phone-budget")
    context.close()
    assert width <= 390
