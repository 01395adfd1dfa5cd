"""The served instance (`lindung serve`, as `make run` starts it) behaves like the product:
Indonesian error pages, never Django's debug page; home pages that tell the truth."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_a_missing_page_shows_the_indonesian_404_page_not_the_debug_page(page: Page) -> None:
    log_in(page, "opd.perikanan")

    response = page.goto("/halaman-yang-tidak-ada/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Data tidak ditemukan")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_text("URLconf")).to_have_count(0)
