"""Benchmark: load a 1.000.000-row DTKS-style register CSV as a snapshot on SQLite.

    .venv/bin/python scripts/bench_register.py [--rows 1000000] [--bar 30]

Not timed: a fresh SQLite database in a temporary directory (`lindung migrate`,
`load_regions --province 35`, one Pemda for Tulungagung), and the input file, built by
repeating the lines of tests/data/register/register.csv with unique ID DTKS and perturbed
NIKs (cached under /tmp). Timed: `lindung register load FILE --source dtks --as-of ... --json`
as a subprocess, interpreter and Django start-up included. Exit status 1 when the bar is
missed or the row count is wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "register" / "register.csv"
LINDUNG = [sys.executable, "-m", "lindung"]


def build_input(rows: int) -> Path:
    path = Path(tempfile.gettempdir()) / f"lindung-bench-register-{rows}.csv"
    if path.exists():
        return path
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header, data = lines[0], [line.split(";") for line in lines[1:] if line.strip()]
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(header + "\n")
        for i in range(rows):
            cells = list(data[i % len(data)])
            cells[0] = str(360_000_000_000 + i)
            nik = cells[9]
            if len(nik) == 16 and nik.isdigit():
                cells[9] = nik[:12] + f"{(int(nik[12:]) + i // len(data)) % 10_000:04d}"
            fh.write(";".join(cells) + "\n")
    tmp.replace(path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bar", type=float, default=30.0, help="seconds")
    args = parser.parse_args()
    source = build_input(args.rows)
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "LINDUNG_VAR_DIR": var}
        env.pop("DATABASE_URL", None)
        run = {"env": env, "check": True, "cwd": ROOT}
        subprocess.run([*LINDUNG, "migrate", "-v", "0"], **run)  # noqa: S603
        subprocess.run(  # noqa: S603
            [*LINDUNG, "load_regions", "--province", "35"], **run, stdout=subprocess.DEVNULL
        )
        subprocess.run(  # noqa: S603
            [*LINDUNG, "shell", "-c",
             "from lindung.accounts.models import Pemda; Pemda.objects.create("
             "code='tulungagung', name='Pemkab Tulungagung', region_id='35.04')"],
            **run, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        start = time.perf_counter()
        done = subprocess.run(  # noqa: S603
            [*LINDUNG, "register", "load", str(source), "--source", "dtks",
             "--as-of", "2025-06-30", "--json"],
            **run, capture_output=True, text=True,
        )  # fmt: skip
        seconds = time.perf_counter() - start
    payload = json.loads(done.stdout)
    ok = payload["rows"] == args.rows and seconds <= args.bar
    print(f"{args.rows:,} rows in {seconds:.1f} s (bar {args.bar:.0f} s): {payload}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
