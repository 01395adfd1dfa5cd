"""Browser tests: a real demo instance served by `lindung serve` in a private directory,
driven through Debian's Chromium by Playwright (Playwright cannot download its own browser
here; `make test-browser` installs Chromium from Debian when missing)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("LINDUNG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DEMO_PASSWORD = "Lindung#Demo2025"
# The served demo makes the program of its day's year (in the Pemda's time zone).
DEMO_PROGRAM = f"Perlindungan Pekerja Rentan {dt.datetime.now(ZoneInfo('Asia/Jakarta')).year}"
SCREENSHOTS = Path(os.environ.get("LINDUNG_SCREENSHOTS", "var/screenshots"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"lindung serve stopped with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="session")
def live_var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The served instance's directory (its SQLite database): a test may add data to it
    with `lindung shell` while it is served."""
    return tmp_path_factory.mktemp("lindung-var")


@pytest.fixture(scope="session")
def live_url(live_var_dir: Path) -> Iterator[str]:
    """Migrate, load East Java's regions, create the demo Pemda and serve it, exactly as
    `make run` does, but in a temporary directory on a free port."""
    var_dir = live_var_dir
    env = {
        **os.environ,
        "LINDUNG_ENV": "test",
        "LINDUNG_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "lindung.settings",
    }
    env.pop("DATABASE_URL", None)
    lindung = [sys.executable, "-m", "lindung"]
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["load-regions", "--province", "35"],
        ["demo", "--quiet"],
    ):
        subprocess.run([*lindung, *command], env=env, check=True, capture_output=True)
    port = _free_port()
    log = (var_dir / "serve.log").open("wb")
    process = subprocess.Popen(
        [*lindung, "serve", "--bind", f"127.0.0.1:{port}", "--web-workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{url}/kesehatan/", process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/ensure-chromium.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("networkidle")


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
