"""On a phone (390 × 844) every page every demo role can reach fits the screen: no page is wider
than the viewport, the main menu is collapsed behind one button instead of wrapping over
several rows, the column mapping shows every column of the file and the match review stacks
the agency's row above the register record.

Each role's pages are found as a user finds them: from the home page, following the menu and
every link on each page that stays inside the app (GET only; logout is a form, downloads are
skipped), one page per kind of address (`/usulan/12/` and `/usulan/31/` are the same page),
up to a cap. Every offender is reported with its address and width, not only the first."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import DEMO_PROGRAM, SCREENSHOTS, log_in, screenshot
from tests.browser.test_csp import csp_events, watch_csp

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PROGRAM = DEMO_PROGRAM
# One row of the collapsed top bar: the brand and the menu button.
MAX_TOPBAR_HEIGHT = 72
MAX_PAGES_PER_ROLE = 60
ROLES = [
    "admin",
    "verifikator",
    "kadis",
    "keuangan",
    "bpjs",
    "pimpinan",
    "opd.perikanan",
    "desa.besole",
]
# Addresses that are files, not pages, or that leave the app's pages.
SKIPPED = re.compile(r"/umpan-balik/|/template/|/unduh/|/kesehatan/|/akun/keluar/|/static/|/media/")


def _phone_page(browser: Browser, live_url: str, viewport: ViewportSize) -> Page:
    context = browser.new_context(base_url=live_url, locale="id-ID", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def phone(browser: Browser, live_url: str) -> Iterator[Page]:
    page = _phone_page(browser, live_url, PHONE)
    yield page
    page.context.close()


def _kind(url: str) -> str:
    """The kind of page an address shows: its path with numbers generalised, and the names
    (not the values) of its query parameters."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path)
    names = sorted({p.split("=")[0] for p in parts.query.split("&") if p})
    return path + ("?" + "&".join(names) if names else "")


def _settle(page: Page) -> None:
    """Let htmx fill the page (a progress page keeps polling: do not wait for it forever)."""
    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("networkidle", timeout=3_000)


def _width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def _topbar_height(page: Page) -> int:
    box = page.locator("header.topbar").bounding_box()
    return int(box["height"]) if box else 0


def _offences(page: Page, url: str) -> list[str]:
    found = []
    width = _width(page)
    if width > PHONE["width"]:
        found.append(f"{url}: {width} px wide")
    height = _topbar_height(page)
    if height > MAX_TOPBAR_HEIGHT:
        found.append(f"{url}: top bar and menu {height} px high")
    return found


def _same_origin_links(page: Page, origin: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(a => a.href)"
    )
    links = []
    for href in hrefs:
        url = href.split("#")[0]
        if url.startswith(origin + "/") and not SKIPPED.search(urlsplit(url).path):
            links.append(url)
    return links


def _crawl(page: Page, origin: str, extra: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """Visit every kind of page reachable from home; return the pages seen and the offences."""
    queue = [origin + "/", *extra]
    seen_kinds: set[str] = set()
    visited: list[str] = []
    offences: list[str] = []
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        kind = _kind(url)
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        try:
            response = page.goto(url)
        except PlaywrightError as exc:  # a download link not named as one
            if "Download is starting" in str(exc):
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        _settle(page)
        if urlsplit(page.url).path.startswith("/akun/masuk"):
            continue  # not a page for this role (a login link in a 403 page)
        visited.append(url)
        offences.extend(_offences(page, url))
        queue.extend(link for link in _same_origin_links(page, origin) if link not in queue)
    return visited, offences


def _upload_list_with_an_unknown_header(page: Page) -> None:
    """Eleven columns; the NIK column is headed "Identitas", which Lindung does not know, so
    the operator lands on the column mapping."""
    header = [
        "No",
        "Identitas",
        "Nama Lengkap",
        "Tempat Lahir",
        "Tgl Lahir",
        "Jenis Kelamin",
        "Alamat",
        "RT",
        "RW",
        "Desa",
        "Pekerjaan",
    ]
    stamp = str(time.time_ns())[-4:]
    rows = [
        f"1,350415020380{stamp},Sutrisno Wibowo,Tulungagung,02-03-1980,L,"
        "Jl. Pantai Popoh Gang Nelayan Nomor 12,001,003,Besole,nelayan",
        f"2,350415440685{stamp},Siti Maisaroh,Tulungagung,04-06-1985,P,"
        "Dusun Krajan,002,001,Besole,nelayan",
    ]
    content = "\n".join([",".join(header), *rows]).encode()
    page.goto("/usulan/unggah/")
    page.get_by_label("Program").select_option(label=PROGRAM)
    page.get_by_label("File daftar pekerja").set_input_files(
        {"name": f"daftar-identitas-{stamp}.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Unggah", exact=True).click()
    expect(page).to_have_url(re.compile(r"/usulan/berkas/\d+/kolom/$"))


def _menu_offences(page: Page) -> list[str]:
    """The menu is one button on a phone, opens (with the account links) and closes again."""
    menu = page.get_by_role("navigation", name="Menu utama")
    home_link = menu.get_by_role("link", name="Beranda", exact=True)
    toggle = page.get_by_role("button", name="Menu", exact=True)
    if not toggle.is_visible() or home_link.is_visible():
        shown = menu.locator("a:visible").count()
        return [f"the menu is not collapsed behind a menu button ({shown} links shown)"]
    found = []
    toggle.click()
    if toggle.get_attribute("aria-expanded") != "true" or not home_link.is_visible():
        found.append("the menu button does not open the menu")
    if not page.get_by_role("button", name="Keluar").is_visible():
        found.append("the open menu does not offer Keluar")
    if _width(page) > PHONE["width"]:
        found.append(f"the open menu is {_width(page)} px wide")
    screenshot(page, "phone-menu-open")
    toggle.click()
    if home_link.is_visible():
        found.append("the menu button does not close the menu")
    return found


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_fits_a_phone_with_the_menu_collapsed(
    phone: Page, live_url: str, username: str
) -> None:
    csp_violations = watch_csp(phone)  # and every page obeys the CSP (test_csp.py)
    log_in(phone, username)
    menu_offences = _menu_offences(phone)
    screenshot(phone, f"phone-home-{username}")
    extra = []
    if username == "opd.perikanan":
        _upload_list_with_an_unknown_header(phone)
        extra.append(phone.url)

    visited, offences = _crawl(phone, live_url, extra)

    assert len(visited) >= 5, visited
    assert not menu_offences + offences, "\n".join(
        ["Pages that do not fit a 390 px phone:", *menu_offences, *offences]
    )
    assert csp_violations + csp_events(phone) == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_column_mapping_shows_every_column_of_the_file(
    browser: Browser, live_url: str, viewport: ViewportSize
) -> None:
    page = _phone_page(browser, live_url, viewport)
    try:
        log_in(page, "opd.perikanan")
        _upload_list_with_an_unknown_header(page)
        selects = page.locator("main select[id^=col]")
        expect(selects).to_have_count(11)
        for index in range(11):
            select = selects.nth(index)
            select.scroll_into_view_if_needed()
            box = select.bounding_box()
            assert box is not None
            assert box["x"] >= 0, f"column {index + 1} starts left of the screen"
            assert box["x"] + box["width"] <= viewport["width"], (
                f"column {index + 1} of 11 lies right of the screen ({box['x']:.0f} px)"
            )
        assert _width(page) <= viewport["width"]
        expect(page.get_by_label("Arti kolom Identitas")).to_have_value("")
        expect(page.get_by_label("Arti kolom Nama Lengkap")).to_have_value("name")
        expect(page.locator("main")).to_contain_text("Sutrisno Wibowo")
        expect(page.locator("main")).to_contain_text("Jl. Pantai Popoh Gang Nelayan Nomor 12")
        screenshot(page, f"mapping-{viewport['width']}")
    finally:
        page.context.close()


def _stacked(first: Locator, second: Locator) -> bool:
    """The second element starts below the first and at the same left edge."""
    one, two = first.bounding_box(), second.bounding_box()
    assert one is not None
    assert two is not None
    return two["y"] >= one["y"] + one["height"] - 1 and abs(two["x"] - one["x"]) < 2


def test_the_match_review_and_duplicate_groups_stack_their_records_on_a_phone(
    phone: Page,
) -> None:
    log_in(phone, "verifikator")
    phone.goto("/verifikasi/")
    phone.get_by_role("link", name=PROGRAM).click()
    phone.get_by_role("link", name="Calon padanan DTKS/DTSEN").click()
    item = phone.locator("article.match").first
    expect(item).to_be_visible()
    names = item.locator("tbody tr").first.locator("td")
    assert _stacked(names.nth(0), names.nth(1)), "row and register record side by side"
    headings = item.locator("thead th")
    assert _stacked(headings.nth(1), names.nth(0)), "the row's values before its heading"
    assert _stacked(names.nth(0), headings.nth(2)), "the register's heading before the row"
    assert _width(phone) <= PHONE["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    item.screenshot(path=str(SCREENSHOTS / "phone-match.png"))

    phone.get_by_role("link", name="Data ganda antarinstansi").click()
    group = phone.locator("article.duplicate-group").first
    expect(group).to_be_visible()
    names = group.locator("tbody tr").nth(3).locator("td")  # Nama, one per agency
    assert _stacked(names.nth(0), names.nth(1)), "the agencies' rows side by side"
    assert _width(phone) <= PHONE["width"]
    group.screenshot(path=str(SCREENSHOTS / "phone-duplicate.png"))


def test_without_script_the_phone_shows_the_whole_menu_and_no_menu_button(
    browser: Browser, live_url: str
) -> None:
    context = browser.new_context(
        base_url=live_url, locale="id-ID", viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in(page, "opd.perikanan")
        menu = page.get_by_role("navigation", name="Menu utama")
        expect(menu.get_by_role("link", name="Usulan", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Keluar")).to_be_visible()
        expect(page.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
        assert _width(page) <= PHONE["width"]
    finally:
        context.close()
