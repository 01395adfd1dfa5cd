"""Point 6 of issue 15: the files under deploy/ agree with the code they run (the commands
exist, the nginx body limits sit just above Lindung's own upload limits, the forwarded
headers match TRUSTED_PROXY_COUNT), production refuses a weak SECRET_KEY, and the runtime
lock holds no development tool and a hash on every line."""

from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.urls import reverse

from lindung.billing.bpjs_bill import LIMITS as BPJS_BILL_LIMITS
from lindung.register.services import REGISTER_LIMITS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
MIB = 1024 * 1024
DEV_TOOLS = {
    "pytest", "pytest-django", "mypy", "playwright", "faker", "ruff", "factory-boy",
    "import-linter", "django-stubs", "msoffcrypto-tool", "time-machine",
}  # fmt: skip


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "systemd" / name)
    return unit


def test_every_unit_runs_an_existing_lindung_command_as_the_lindung_user():
    commands = set(get_commands())
    run = []
    for path in sorted((DEPLOY / "systemd").glob("*.service")):
        unit = _unit(path.name)
        assert unit["Service"]["User"] == "lindung", path.name
        text = path.read_text()
        run += re.findall(r"python -m lindung ([a-z_-]+)", text)
    assert set(run) >= {"serve", "migrate", "backup", "retention", "audit"}
    assert set(run) <= commands, set(run) - commands


def test_the_web_unit_restarts_on_failure_and_is_hardened():
    service = _unit("lindung.service")["Service"]
    assert service["Restart"] == "on-failure"
    assert service["UMask"] == "0027"
    for option in ("NoNewPrivileges", "PrivateTmp", "ProtectHome"):
        assert service[option] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert "TRUSTED_PROXY_COUNT=1" in service["Environment"]


def test_timers_start_the_backup_and_the_retention_purge_daily():
    for name in ("lindung-backup", "lindung-retention"):
        timer = _unit(f"{name}.timer")
        assert timer["Timer"]["OnCalendar"].startswith("*-*-* ")
        assert (DEPLOY / "systemd" / f"{name}.service").is_file()


def _body_limits() -> dict[str, int]:
    """client_max_body_size in MiB per location ("" for the server's own)."""
    text = (DEPLOY / "nginx" / "lindung.conf").read_text()
    https = text.split("listen 443", 1)[1]
    limits = {"": int(re.search(r"^    client_max_body_size (\d+)m;", https, re.M).group(1))}
    for location, body in re.findall(r"location (\S+) \{(.*?)\n    \}", https, re.S):
        found = re.search(r"client_max_body_size (\d+)m;", body)
        if found:
            limits[location] = int(found.group(1))
    return limits


def test_nginx_accepts_just_above_each_upload_limit():
    limits = _body_limits()
    # 50 MiB agency lists + 1 MiB of form; 1 GiB register extracts; 200 MiB BPJS bills.
    assert limits[""] == settings.INTAKE_MAX_BYTES // MIB + 1 == 51
    assert limits["/verifikasi/register/"] == REGISTER_LIMITS.max_bytes // MIB + 1 == 1025
    assert limits["/iuran/rekonsiliasi/"] == BPJS_BILL_LIMITS.max_bytes // MIB + 1 == 201
    # The locations are the pages that take those files.
    assert reverse("register:index").startswith("/verifikasi/register/")
    assert reverse("billing:reconcile").startswith("/iuran/rekonsiliasi/")


def test_nginx_speaks_tls_12_13_and_replaces_the_forwarded_headers():
    text = (DEPLOY / "nginx" / "lindung.conf").read_text()
    assert re.findall(r"ssl_protocols ([^;]+);", text) == ["TLSv1.2 TLSv1.3"]
    # Every proxied location sets (never appends) one hop: TRUSTED_PROXY_COUNT=1.
    assert text.count("proxy_pass ") == text.count("X-Forwarded-For $remote_addr;") == 3
    assert "$proxy_add_x_forwarded_for" not in text
    assert text.count("X-Forwarded-Proto $scheme;") == 3


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    full_env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "lindung", *args],
        env=full_env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("kunci-rahasia-lindung", "it has 21 characters"),
        ("a" * 30 + "b" * 30, "only 2 different characters"),
        ("django-insecure-" + "x1y2z3w4" * 8, "development key"),
    ],
)
def test_production_refuses_a_weak_secret_key_with_a_clear_message(tmp_path, key, why):
    env = {"LINDUNG_ENV": "production", "SECRET_KEY": key, "ALLOWED_HOSTS": "lindung.go.id",
           "LINDUNG_VAR_DIR": str(tmp_path)}  # fmt: skip
    result = _run(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr
    assert why in result.stderr


def test_production_with_a_strong_key_passes_check_deploy_without_warnings(tmp_path):
    env = {"LINDUNG_ENV": "production", "ALLOWED_HOSTS": "lindung.go.id",
           "SECRET_KEY": "Zq8-vL2_pW4xN7kR1tY6uB3mC9dF5gH0jS2aE8rT4yU7iO1pA6sD3fG5hJ9kL0",
           "ADMINS": "Tim TI <ti@pemda.go.id>", "LINDUNG_VAR_DIR": str(tmp_path)}  # fmt: skip
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _lock(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / name).read_text().splitlines():
        found = re.match(r"([A-Za-z0-9_.\-]+)==([^\s\\]+)", line)
        if found:
            pins[re.sub(r"[-_.]+", "-", found.group(1)).lower()] = found.group(2)
    return pins


def test_the_runtime_lock_is_lock_txt_without_development_tools_and_every_line_hashed():
    runtime, full = _lock("runtime-lock.txt"), _lock("lock.txt")
    assert runtime.items() <= full.items()
    assert not set(runtime) & DEV_TOOLS
    assert {"django", "gunicorn", "psycopg-binary", "weasyprint", "polars"} <= set(runtime)
    text = (ROOT / "requirements" / "runtime-lock.txt").read_text()
    entries = re.split(r"\n(?=[A-Za-z])", text.split("\n\n", 1)[1].strip())
    assert len(entries) == len(runtime)
    for entry in entries:
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), entry
