"""The real `lindung` console script: a wrong argument exits with status 2 and exactly one
line on stderr, in Bahasa Indonesia, instead of argparse's English usage text or a traceback
(lindung.common.commands)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

LINDUNG = Path(sys.executable).parent / "lindung"


@pytest.fixture(scope="module")
def console_env(tmp_path_factory):
    """A throw-away SQLite database of our own, migrated once for this module."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(LINDUNG_ENV="test", LINDUNG_VAR_DIR=str(tmp_path_factory.mktemp("lindung-var")))
    subprocess.run([LINDUNG, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    return env


def _run(env, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINDUNG, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["rules", "premium", "--income", "abc"], "bukan bilangan bulat: 'abc'"),
        (["rules"], "argumen wajib belum diisi: premium|budget|benefit"),
        (["rules", "benefit", "XX"], "pilihan tidak dikenal: 'XX'"),
        (["nik"], "argumen wajib belum diisi: nik"),
        (["rules", "premium", "--income", "1000000", "--bogus"], "argumen tidak dikenal: --bogus"),
        # Below the Rp 1.000.000 floor of PP 44/2015 Lampiran II: a rule, checked after parsing.
        (
            ["rules", "premium", "--income", "500000", "--month", "2025-06"],
            "Penghasilan yang dilaporkan Rp 500.000 di luar rentang Rp 1.000.000–Rp 20.700.000",
        ),
        (["nik", "3504121208750001", "--as-of", "kemarin"], "--as-of harus berformat TTTT-BB-HH"),
    ],
)
def test_a_wrong_argument_exits_2_with_one_indonesian_line(console_env, args, says):
    result = _run(console_env, *args)

    lines = result.stderr.splitlines()
    assert result.returncode == 2
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Kesalahan: ")
    assert says in lines[0]
    assert result.stdout == ""


def test_a_right_argument_prints_json_on_stdout_and_nothing_on_stderr(console_env):
    result = _run(
        console_env, "rules", "premium", "--income", "1000000", "--month", "2025-06", "--json"
    )

    assert (result.returncode, result.stderr) == (0, "")
    assert '"monthly_total": 16800' in result.stdout
