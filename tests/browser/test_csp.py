"""The pages work under Lindung's Content-Security-Policy (issue 15, point 4): scripts and
styles only from static files, no inline handler, no eval. Chromium reports every blocked
script, handler or style as a console error ("Refused to ..."), and fires a
`securitypolicyviolation` event; both are collected here. The phone crawl
(test_phone.py) collects them on every page of every role; this file checks htmx and our
scripts still work under the policy, and that a violation is indeed caught."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

# Recorded before any script of the page runs (Playwright's own script is not under the CSP).
RECORD_EVENTS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile
    + ":" + e.lineNumber);
});
"""


def watch_csp(page: Page) -> list[str]:
    """Collect every CSP violation `page` reports from now on (console and events)."""
    found: list[str] = []
    page.add_init_script(RECORD_EVENTS)

    def on_console(message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            found.append(f"{message.page.url if message.page else ''}: {text}")

    page.on("console", on_console)
    return found


def csp_events(page: Page) -> list[str]:
    return list(page.evaluate("window.__csp || []"))


def test_htmx_and_our_scripts_work_under_the_policy(page: Page) -> None:
    violations = watch_csp(page)
    log_in(page, "admin")
    response = page.goto("/wilayah/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self'" in policy
    page.evaluate("window.__notReloaded = true")

    page.get_by_label("Kode atau nama").fill("Besole")

    # htmx swapped the results in and pushed the address, without loading a new page.
    expect(page.locator("#hasil")).to_contain_text("Besole")
    expect(page).to_have_url(re.compile(r"q=Besole"))
    assert page.evaluate("window.__notReloaded === true")
    # app.js: a filter <select data-autosubmit> submits its form when changed.
    page.context.clear_cookies()
    log_in(page, "opd.perikanan")
    page.goto("/usulan/")
    page.get_by_label("Status").select_option(index=1)
    expect(page).to_have_url(re.compile(r"status=\w+"))
    assert violations + csp_events(page) == []


def test_a_violation_is_caught(page: Page) -> None:
    violations = watch_csp(page)
    log_in(page, "admin")
    page.goto("/wilayah/")

    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')"
        )

    assert any("style-src" in v for v in violations + csp_events(page))
