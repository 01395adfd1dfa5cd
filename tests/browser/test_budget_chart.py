"""The budget page in a real browser: Keuangan sees the burn-down chart drawn by the vendored
Chart.js (no CDN), with the same figures in the table under it, on a 390 px phone too."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_finance_sees_the_burn_down_chart(page: Page) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    log_in(page, "keuangan")
    page.get_by_role("link", name="Anggaran").first.click()
    expect(page.get_by_role("heading", name="Anggaran dan realisasi")).to_be_visible()
    chart = page.locator(".chart-box.drawn canvas")
    expect(chart).to_be_visible()
    assert page.evaluate("() => Object.keys(window.Chart.instances).length") == 1
    assert chart.bounding_box()["height"] > 100
    expect(page.locator("#tabel-sisa-dana tbody tr")).to_have_count(12)
    origin = page.url.split("/iuran/")[0]
    assert all(url.startswith(origin) for url in requests), "no request leaves the host"
    screenshot(page, "budget-burn-down")


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
