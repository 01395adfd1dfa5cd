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


def test_an_empty_login_form_asks_for_the_name_and_password(page: Page) -> None:
    page.goto("/akun/masuk/")
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("alert")).to_have_text("Isi nama pengguna dan kata sandi.")


def test_the_dishub_operator_is_told_ojek_and_becak_drivers_are_covered(page: Page) -> None:
    log_in(page, "opd.dishub")

    todo = page.locator("ol.todo")

    expect(todo).to_contain_text("ojek", ignore_case=True)
    expect(todo).to_contain_text("becak", ignore_case=True)


def test_the_verifier_home_counts_what_waits_instead_of_zero_lists(page: Page) -> None:
    log_in(page, "verifikator")

    waiting = page.locator("section.waiting")

    expect(waiting).to_contain_text("usulan dalam verifikasi")
    expect(waiting).to_contain_text("calon padanan DTKS/DTSEN menunggu keputusan")
    expect(page.locator("main")).not_to_contain_text("usulan diserahkan, menunggu verifikasi")
