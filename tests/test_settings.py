"""Production settings pass Django's deployment checks and refuse to start without a secret."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.template import Context, Template
from django.utils import translation

PRODUCTION_ENV = {
    "LINDUNG_ENV": "production",
    "SECRET_KEY": "uji-" + "k" * 60,
    "ALLOWED_HOSTS": "lindung.tulungagungkab.go.id",
}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    full_env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "lindung", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_check(tmp_path: pytest.TempPathFactory) -> None:
    result = _run(
        {**PRODUCTION_ENV, "LINDUNG_VAR_DIR": str(tmp_path)},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: pytest.TempPathFactory) -> None:
    env = {**PRODUCTION_ENV, "SECRET_KEY": "", "LINDUNG_VAR_DIR": str(tmp_path)}
    result = _run(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2x"])
def test_a_malformed_boolean_setting_fails_loudly(
    tmp_path: pytest.TempPathFactory, value: str
) -> None:
    result = _run({"LINDUNG_DEBUG": value, "LINDUNG_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "LINDUNG_DEBUG must be a boolean" in result.stderr


def _debug_setting(env: dict[str, str]) -> str:
    full_env = {**os.environ, **env}
    for name in ("DATABASE_URL", "LINDUNG_DEBUG"):
        full_env.pop(name, None)
    full_env.update(env)
    result = subprocess.run(
        [sys.executable, "-c", "import lindung.settings as s; print(s.DEBUG)"],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_debug_is_off_by_default_even_in_development(tmp_path: pytest.TempPathFactory) -> None:
    env = {"LINDUNG_ENV": "development", "LINDUNG_VAR_DIR": str(tmp_path)}

    assert _debug_setting(env) == "False"


def test_debug_is_on_only_when_asked_for(tmp_path: pytest.TempPathFactory) -> None:
    env = {"LINDUNG_ENV": "development", "LINDUNG_VAR_DIR": str(tmp_path), "LINDUNG_DEBUG": "1"}

    assert _debug_setting(env) == "True"


def test_a_plain_date_reads_in_the_long_indonesian_form() -> None:
    template = Template(
        "{{ day }}|{{ day|date:'SHORT_DATE_FORMAT' }}|{{ moment }}"
        "|{{ month|date:'YEAR_MONTH_FORMAT' }}"
    )
    with translation.override("id"):
        text = template.render(
            Context(
                {
                    "day": dt.date(2026, 12, 6),
                    "moment": dt.datetime(2026, 12, 6, 2, 5, tzinfo=dt.UTC),
                    "month": dt.date(2026, 1, 1),
                }
            )
        )

    assert text == "6 Desember 2026|06-12-2026|6 Desember 2026, 09.05 WIB|Januari 2026"
