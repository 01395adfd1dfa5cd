"""Benchmark: load a 1.000.000-row DTKS-style register CSV as a snapshot (bar: 20 s).

    make bench-register                            # SQLite, 3 runs
    .venv/bin/python scripts/bench_register.py [--rows 1000000] [--bar 30] [--runs 3]
        [--history 1]                              # 1 earlier snapshot already loaded
    PG_PORT=55437 scripts/with-postgres.sh .venv/bin/python scripts/bench_register.py

Not timed: a database with `lindung migrate`, `load-regions --province 35` and one Pemda for
Tulungagung, kept as a template (with `--history N`, N snapshots of the same file loaded
into it first); and the input file, built by repeating the lines of
tests/data/register/register.csv with unique ID DTKS and perturbed NIKs (cached under /tmp).

Timed, RUNS times, each on a fresh copy of the template: `lindung register load FILE --source
dtks --as-of ... --json` as a subprocess, interpreter and Django start-up included, with
LINDUNG_DEBUG=0 as in production. Also reported: the command's CPU time (user + system, from
wait4: steadier than wall time on a shared VM); memory, as the peak of the summed RSS of the
command's process tree (sampled every 20 ms) and the largest single process (`ru_maxrss`);
and "others", the CPU other processes used during the run, in cores, to show a busy machine
(on PostgreSQL that includes the server).

Checked after each run: the command's row count, the records in the table, and the three
RegisterRecord indexes present. With DATABASE_URL set (a PostgreSQL server where the user
may CREATE DATABASE) the runs are on PostgreSQL instead of SQLite. Exit status 1 when the
median misses the bar or a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from benchkit import busy_seconds, descendants, rss  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "register" / "register.csv"
LINDUNG = [sys.executable, "-m", "lindung"]
AS_OF = "2025-06-30"
PROVINCE = "35"
SPREADS = ("regency", "province")
SAMPLE_SECONDS = 0.02
INDEXES = ("verif_record_snap_bd_sex", "verif_record_snap_nik", "verif_record_snap_regid")
CREATE_PEMDA = (
    "from lindung.accounts.models import Pemda; Pemda.objects.create("
    "code='tulungagung', name='Pemkab Tulungagung', region_id='35.04')"
)


def _province_places() -> list[tuple[str, str, str]]:
    """(regency, district, village) names of every village of East Java."""
    import csv

    wilayah = ROOT / "lindung" / "data" / "wilayah"

    def names(file: str) -> dict[str, str]:
        with (wilayah / file).open(encoding="utf-8") as handle:
            return {row["code"]: row["name"] for row in csv.DictReader(handle)}

    regencies, districts = names("regencies.csv"), names("districts.csv")
    return [
        (regencies[code[:5]].upper(), districts[code[:8]].upper(), name.upper())
        for code, name in names("villages.csv").items()
        if code.startswith(PROVINCE + ".")
    ]


def build_input(rows: int, spread: str) -> Path:
    """The sample register's lines repeated with unique IDs and NIKs; with ``spread``
    "province", each line moved to a village drawn from all of East Java, as a
    province-wide extract has them (the loader resolves every name against the Pemda's
    regency, and names from elsewhere take the slow path of the typo search)."""
    path = Path(tempfile.gettempdir()) / f"lindung-bench-register-{spread}-{rows}.csv"
    if path.exists():
        return path
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header, data = lines[0], [line.split(";") for line in lines[1:] if line.strip()]
    places = _province_places() if spread == "province" else []
    tmp = path.with_suffix(f".part{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(header + "\n")
        for i in range(rows):
            cells = list(data[i % len(data)])
            cells[0] = str(360_000_000_000 + i)
            if places:
                # Columns KABUPATEN/KOTA, KECAMATAN, DESA/KELURAHAN; a fixed stride keeps
                # the file the same from run to run.
                cells[2], cells[3], cells[4] = places[(i * 7919) % len(places)]
            nik = cells[9]
            if len(nik) == 16 and nik.isdigit():
                cells[9] = nik[:12] + f"{(int(nik[12:]) + i // len(data)) % 10_000:04d}"
            fh.write(";".join(cells) + "\n")
    tmp.replace(path)
    return path


def _env(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {**os.environ, "LINDUNG_VAR_DIR": str(var_dir), "LINDUNG_DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _lindung(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and command
        [*LINDUNG, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"lindung {' '.join(args)} failed ({done.returncode})")
    return done.stdout


def _load_args(source: Path) -> list[str]:
    return ["register", "load", str(source), "--source", "dtks", "--as-of", AS_OF, "--json"]


# --- databases ---------------------------------------------------------------------------


class Sqlite:
    name = "SQLite"

    def __init__(self, work: Path) -> None:
        self.work = work
        self.template = work / "template"
        self.count = 0

    def setup(self, source: Path, history: int) -> None:
        self.template.mkdir()
        env = _env(self.template, None)
        for args in (["migrate", "-v", "0"], ["load-regions", "--province", "35"]):
            _lindung(args, env)
        _lindung(["shell", "-c", CREATE_PEMDA], env)
        for _ in range(history):
            _lindung(_load_args(source), env)
        # Fold the WAL into the main file so a plain copy is the whole database.
        with contextlib.closing(sqlite3.connect(self.template / "lindung.sqlite3")) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextlib.contextmanager
    def fresh(self) -> Iterator[tuple[dict[str, str], Any]]:
        self.count += 1
        var_dir = self.work / f"run-{self.count}"
        shutil.copytree(self.template, var_dir)
        try:
            yield _env(var_dir, None), lambda: sqlite3.connect(var_dir / "lindung.sqlite3")
        finally:
            shutil.rmtree(var_dir, ignore_errors=True)

    def index_names(self, db: Any) -> list[str]:
        rows = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'verification_registerrecord' AND name LIKE 'verif_record_%'"
        )
        return sorted(r[0] for r in rows)

    def version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"

    def cleanup(self) -> None:
        pass


class Postgres:
    name = "PostgreSQL"

    def __init__(self, work: Path, url: str) -> None:
        self.url = url
        self.work = work
        self.template = f"lindung_bench_register_tpl_{os.getpid()}"
        self.run_name = f"lindung_bench_register_run_{os.getpid()}"
        self._version = ""

    def _url(self, name: str) -> str:
        return f"{self.url.rpartition('/')[0]}/{name}"

    def _connect(self, name: str) -> Any:
        import psycopg

        return psycopg.connect(self._url(name), autocommit=True)

    def _admin(self, sql: str) -> None:
        with self._connect("postgres") as conn:
            if not self._version:
                row = conn.execute("SHOW server_version").fetchone()
                self._version = str(row[0]) if row else "?"
            conn.execute(sql.encode())

    def setup(self, source: Path, history: int) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.template}"')
        self._admin(f'CREATE DATABASE "{self.template}"')
        env = _env(self.work, self._url(self.template))
        for args in (["migrate", "-v", "0"], ["load-regions", "--province", "35"]):
            _lindung(args, env)
        _lindung(["shell", "-c", CREATE_PEMDA], env)
        for _ in range(history):
            _lindung(_load_args(source), env)

    @contextlib.contextmanager
    def fresh(self) -> Iterator[tuple[dict[str, str], Any]]:
        self._admin(f'DROP DATABASE IF EXISTS "{self.run_name}"')
        self._admin(f'CREATE DATABASE "{self.run_name}" TEMPLATE "{self.template}"')
        try:
            yield _env(self.work, self._url(self.run_name)), lambda: self._connect(self.run_name)
        finally:
            self._admin(f'DROP DATABASE IF EXISTS "{self.run_name}"')

    def index_names(self, db: Any) -> list[str]:
        rows = db.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'verification_registerrecord' "
            "AND indexname LIKE 'verif_record_%'"
        )
        return sorted(r[0] for r in rows)

    def version(self) -> str:
        return f"PostgreSQL {self._version}"

    def cleanup(self) -> None:
        with contextlib.suppress(Exception):
            self._admin(f'DROP DATABASE IF EXISTS "{self.template}"')


# --- measuring a subprocess --------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the command's process tree
    tree_peak: int
    process_peak: int
    others: float
    result: dict[str, Any]


def measure(command: list[str], env: dict[str, str]) -> Run:
    busy = busy_seconds()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=err)  # noqa: S603
        peak = 0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, sum(rss(pid) for pid in descendants(process.pid)))
                stop.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        stop.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(stdout + stderr)
        raise SystemExit(f"{' '.join(command)} failed")
    others = max(busy_seconds() - busy - usage.ru_utime - usage.ru_stime, 0.0) / seconds
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, peak, usage.ru_maxrss * 1024, others, json.loads(stdout))


def _mb(value: float) -> str:
    return f"{value / 1e6:,.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bar", type=float, default=20.0, help="seconds (docs/benchmarks.md)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--history", type=int, default=0, help="snapshots loaded before")
    parser.add_argument(
        "--addresses",
        choices=SPREADS,
        default="province",
        help="register lines of the regency only, or of villages all over East Java",
    )
    args = parser.parse_args()
    source = build_input(args.rows, args.addresses)
    url = os.environ.get("DATABASE_URL")
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lindung-bench-register-") as tmp:
        work = Path(tmp)
        db = Postgres(work, url) if url else Sqlite(work)
        try:
            db.setup(source, args.history)
            print(
                f"{db.version()} · Python {platform.python_version()} · {os.cpu_count()} cores · "
                f"{args.rows:,} rows across the {args.addresses}, "
                f"{args.history} earlier snapshot(s)",
                flush=True,
            )
            runs = []
            for number in range(1, args.runs + 1):
                with db.fresh() as (env, connect):
                    run = measure([*LINDUNG, *_load_args(source)], env)
                    with contextlib.closing(connect()) as conn:
                        stored = conn.execute(
                            "SELECT COUNT(*) FROM verification_registerrecord"
                        ).fetchone()[0]
                        indexes = db.index_names(conn)
                runs.append(run)
                expected = args.rows * (args.history + 1)
                if run.result["rows"] != args.rows or stored != expected:
                    problems.append(f"run {number}: {run.result['rows']} rows, {stored} stored")
                if tuple(indexes) != INDEXES:
                    problems.append(f"run {number}: indexes after the load: {indexes}")
                print(
                    f"run {number}: {run.seconds:.2f} s (CPU {run.cpu:.1f} s), "
                    f"peak {_mb(run.tree_peak)} tree / "
                    f"{_mb(run.process_peak)} process, others {run.others:.2f} cores",
                    flush=True,
                )
        finally:
            db.cleanup()
    median = statistics.median(r.seconds for r in runs)
    peak = max(max(r.tree_peak, r.process_peak) for r in runs)
    print(
        f"{db.name}: {args.rows:,} rows, median {median:.2f} s of "
        f"{' · '.join(f'{r.seconds:.2f}' for r in runs)} (bar {args.bar:.0f} s), "
        f"peak {_mb(peak)}"
    )
    if median > args.bar:
        problems.append(f"median {median:.2f} s over the bar of {args.bar:.0f} s")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
