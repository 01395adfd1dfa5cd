"""Benchmark: read, validate and store an agency list of 100.000 rows (xlsx).

    make bench                                   # = .venv/bin/python scripts/bench_intake.py
    .venv/bin/python scripts/bench_intake.py --runs 1 --profile

Bars (docs/benchmarks.md): at most 15 s wall time and 1 GB peak memory.

What it does, in a temporary directory (nothing outside it is touched, apart from a cached
input file under var/bench/):

1. Not timed: a demo Pemda on SQLite, exactly as `make run` builds it (`lindung migrate`,
   `load-regions --province 35`, `demo --quiet`), kept as a template database.
2. Not timed: a realistic agency workbook, written with openpyxl's write-only mode: two title
   rows, a header row as agencies write it, 100.000 synthetic workers of Tulungagung
   (lindung.demo.generator, fixed seed) with dates as date cells and NIKs as text, and the
   usual mess: ~2 % NIKs typed as numbers (float cells, last digit lost as in Excel), ~1 %
   blank NIKs, a few dozen repeated NIKs, ~3 % villages with a prefix ("Ds. ", "Desa ") or a
   typo, some jobs written as a synonym, and a JUMLAH row at the end. Two such lists: one whose
   workers live in the regency, one whose workers live all over East Java (`--addresses`),
   whose village names are mostly not the regency's and go through the typo search.
3. Timed, RUNS times, each on a fresh copy of the template database:
   `python -m lindung intake FILE --program pekerja-rentan-2025 --agency perikanan --json`
   as a subprocess. Wall time is measured around the subprocess (interpreter and Django
   start-up included). Memory is measured two ways:
   - peak RSS of the process tree: the sum of the RSS of the command and all its
     descendants (the spreadsheet reader runs calamine in a child process), sampled from
     /proc every 20 ms; this is what the 1 GB bar is checked against;
   - max RSS of a single process: `os.wait4` on the command returns its rusage, whose
     ru_maxrss is the largest of the command and its (waited-for) descendants.
   The JSON the command prints is checked: its counts add up, and it holds every data row.
4. A breakdown, in-process in a separate interpreter on another fresh copy: the upload
   (hash + content inspection), the analysis (header recognition; reads the workbook), and
   the import job's phases read / check / store, timed from the job's own progress callbacks
   (`services.job_run(on_progress=...)`). `--profile` adds a cProfile of that run.
5. With DATABASE_URL set (a PostgreSQL server where the user may CREATE DATABASE), steps 1,
   3 and 4 again on PostgreSQL, in throw-away databases created from a template.

Exit status 1 when a bar is missed or the counts do not add up.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchkit import busy_seconds, descendants, rss  # noqa: E402

BAR_SECONDS = 15.0
BAR_BYTES = 1_000_000_000  # 1 GB
ROWS = 100_000
SEED = 2025
RUNS = 3
PROGRAM = f"pekerja-rentan-{time.localtime().tm_year}"  # the demo makes this year's program
AGENCY = "perikanan"
REGENCY = "35.04"
PROVINCE = "35"
# Where the list's workers live: the benchmark's regency, or all over East Java (a list from a
# province-wide agency, or workers registered where they work, not where their KTP says):
# names from other regencies are resolved against the regency's villages and left unknown,
# which is the expensive path of region resolution.
SPREADS = {"regency": REGENCY, "province": PROVINCE}
AS_OF = dt.date(2025, 6, 1)
CACHE = ROOT / "var" / "bench"
SAMPLE_SECONDS = 0.02
INPUT_VERSION = 1  # bump when write_agency_xlsx changes: the cached input is rebuilt

HEADERS = (
    "No",
    "NIK",
    "Nama Lengkap",
    "Tempat Lahir",
    "Tgl Lahir",
    "L/P",
    "Alamat",
    "RT",
    "RW",
    "Desa/Kel",
    "Kecamatan",
    "Pekerjaan",
    "No HP",
)
NUMERIC_NIK_SHARE = 0.02
BLANK_NIK_SHARE = 0.01
DUPLICATES = 40
VILLAGE_MESS_SHARE = 0.03
SYNONYM_JOB_SHARE = 0.10


# --- the input file ----------------------------------------------------------------------


def _villages(prefix: str) -> list[tuple[str, str]]:
    import csv

    path = ROOT / "lindung" / "data" / "wilayah" / "villages.csv"
    with path.open(encoding="utf-8") as handle:
        return [
            (row["code"], row["name"])
            for row in csv.DictReader(handle)
            if row["code"].startswith(prefix + ".")
        ]


def _districts(prefix: str) -> dict[str, str]:
    import csv

    path = ROOT / "lindung" / "data" / "wilayah" / "districts.csv"
    with path.open(encoding="utf-8") as handle:
        return {
            row["code"]: row["name"]
            for row in csv.DictReader(handle)
            if row["code"].startswith(prefix + ".")
        }


def _occupations() -> list[tuple[str, list[str]]]:
    import csv

    path = ROOT / "lindung" / "programs" / "data" / "occupations.csv"
    with path.open(encoding="utf-8") as handle:
        return [
            (row["name"], [s for s in row["synonyms"].split("|") if s])
            for row in csv.DictReader(handle)
        ]


def _typo(name: str, rng: random.Random) -> str:
    """One slip of the keyboard: two neighbouring letters swapped, or one dropped."""
    if len(name) < 6:
        return name.upper()
    i = rng.randrange(1, len(name) - 2)
    if rng.random() < 0.5:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i + 1 :]


def write_agency_xlsx(path: Path, *, rows: int, seed: int, spread: str) -> dict[str, int]:
    """The workbook an agency might send; returns how many rows of each kind of mess."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from lindung.demo.generator import iter_workers

    rng = random.Random(seed + 1)  # noqa: S311 - test data, not secrets
    districts = _districts(SPREADS[spread])
    villages = _villages(SPREADS[spread])
    village_names = dict(villages)
    occupations = _occupations()
    synonyms = dict(occupations)
    workers = iter_workers(
        seed=seed,
        count=rows,
        villages=villages,
        occupations=[name for name, _ in occupations],
        as_of=AS_OF,
    )
    duplicate_rows = set(rng.sample(range(1000, rows), DUPLICATES))
    mess = {"numeric_nik": 0, "blank_nik": 0, "duplicate_nik": 0, "village": 0, "job": 0}

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data Nelayan")
    ws.append(["DAFTAR CALON PESERTA BPJS KETENAGAKERJAAN PEKERJA RENTAN TAHUN 2025"])
    ws.append(["DINAS PERIKANAN KABUPATEN TULUNGAGUNG"])
    ws.append(list(HEADERS))
    earlier: list[str] = []
    for number, worker in enumerate(workers, start=1):
        draw = rng.random()
        nik_cell: object
        if number - 1 in duplicate_rows and earlier:
            nik_cell = rng.choice(earlier)
            mess["duplicate_nik"] += 1
        elif draw < NUMERIC_NIK_SHARE:
            # Typed into a number-formatted column: Excel keeps 15 significant digits.
            nik_cell = float(int(worker.nik[:15] + "0"))
            mess["numeric_nik"] += 1
        elif draw < NUMERIC_NIK_SHARE + BLANK_NIK_SHARE:
            nik_cell = None
            mess["blank_nik"] += 1
        else:
            nik_cell = worker.nik
            if len(earlier) < 5000:
                earlier.append(worker.nik)
        village = village_names[worker.village_code]
        if rng.random() < VILLAGE_MESS_SHARE:
            village = rng.choice(("Ds. ", "Desa ", "DS.")) + village
            if rng.random() < 0.5:
                village = _typo(village, rng)
            mess["village"] += 1
        job = worker.occupation
        if synonyms.get(job) and rng.random() < SYNONYM_JOB_SHARE:
            job = rng.choice(synonyms[job])
            mess["job"] += 1
        nik = WriteOnlyCell(ws, value=nik_cell)
        if isinstance(nik_cell, str):
            nik.number_format = "@"
        born = WriteOnlyCell(ws, value=worker.birth_date)
        born.number_format = "DD-MM-YYYY"
        ws.append(
            [
                number,
                nik,
                worker.name,
                worker.birth_place,
                born,
                worker.sex,
                worker.address,
                worker.rt,
                worker.rw,
                village,
                districts[worker.district_code],
                job,
                worker.phone or None,
            ]
        )
    ws.append([None, None, "JUMLAH", None, None, None, None, None, None, None, None, f"{rows}"])
    wb.save(path)
    return mess


def input_file(rows: int, seed: int, spread: str) -> tuple[Path, dict[str, int]]:
    """The workbook, cached under var/bench/ by the generator's source, INPUT_VERSION, rows,
    seed and where its workers live."""
    key = hashlib.sha256(
        (ROOT / "lindung" / "demo" / "generator.py").read_bytes()
        + f"{INPUT_VERSION}:{rows}:{seed}:{spread}".encode()
    ).hexdigest()[:12]
    CACHE.mkdir(parents=True, exist_ok=True)
    stem = f"agency-{spread}-{rows}-{seed}"
    path = CACHE / f"{stem}-{key}.xlsx"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text())
    for old in CACHE.glob(f"{stem}-*"):
        old.unlink()
    started = time.perf_counter()
    tmp = path.with_suffix(".tmp")
    mess = write_agency_xlsx(tmp, rows=rows, seed=seed, spread=spread)
    tmp.rename(path)
    meta.write_text(json.dumps(mess))
    print(
        f"  wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return path, mess


# --- databases ---------------------------------------------------------------------------


def _env(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "LINDUNG_ENV": "test",
        "LINDUNG_DEBUG": "0",  # as in production: no SQL kept in memory
        "LINDUNG_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "lindung.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _lindung(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "lindung", *args], env=env, capture_output=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout.decode(errors="replace") + done.stderr.decode("replace"))
        raise SystemExit(f"lindung {' '.join(args)} failed ({done.returncode})")


SETUP = (
    ["migrate", "--no-input", "-v0"],
    ["load-regions", "--province", "35"],
    ["demo", "--quiet"],
)


class Sqlite:
    name = "SQLite"

    def __init__(self, work: Path) -> None:
        self.template = work / "template"
        self.work = work
        self.count = 0

    def setup(self) -> None:
        self.template.mkdir()
        env = _env(self.template, None)
        for args in SETUP:
            _lindung(args, env)
        # Fold the WAL into the main file so a plain copy is the whole database.
        with contextlib.closing(sqlite3.connect(self.template / "lindung.sqlite3")) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextlib.contextmanager
    def fresh(self) -> Iterator[dict[str, str]]:
        self.count += 1
        var_dir = self.work / f"run-{self.count}"
        shutil.copytree(self.template, var_dir)
        try:
            yield _env(var_dir, None)
        finally:
            shutil.rmtree(var_dir, ignore_errors=True)

    def version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"

    def cleanup(self) -> None:
        pass


class Postgres:
    name = "PostgreSQL"

    def __init__(self, work: Path, url: str) -> None:
        import dj_database_url

        self.url = url
        self.config = dj_database_url.parse(url)
        self.work = work / "pg"
        self.work.mkdir()
        suffix = os.getpid()
        self.template = f"lindung_bench_tpl_{suffix}"
        self.run_name = f"lindung_bench_run_{suffix}"
        self._version = ""

    def _url(self, name: str) -> str:
        base, _, _ = self.url.rpartition("/")
        return f"{base}/{name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        c = self.config
        with psycopg.connect(
            host=c["HOST"] or None,
            port=c["PORT"] or None,
            user=c["USER"] or None,
            password=c["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            if not self._version:
                row = conn.execute("SHOW server_version").fetchone()
                self._version = str(row[0]) if row else "?"
            conn.execute(sql.encode())

    def setup(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.template}"')
        self._admin(f'CREATE DATABASE "{self.template}"')
        env = _env(self.work, self._url(self.template))
        for args in SETUP:
            _lindung(args, env)

    @contextlib.contextmanager
    def fresh(self) -> Iterator[dict[str, str]]:
        var_dir = self.work / "run"
        var_dir.mkdir(exist_ok=True)
        shutil.copy(self.work / "secret_key", var_dir / "secret_key")
        self._admin(f'DROP DATABASE IF EXISTS "{self.run_name}"')
        self._admin(f'CREATE DATABASE "{self.run_name}" TEMPLATE "{self.template}"')
        try:
            yield _env(var_dir, self._url(self.run_name))
        finally:
            self._admin(f'DROP DATABASE IF EXISTS "{self.run_name}"')
            shutil.rmtree(var_dir, ignore_errors=True)

    def version(self) -> str:
        return f"PostgreSQL {self._version}"

    def cleanup(self) -> None:
        with contextlib.suppress(Exception):
            self._admin(f'DROP DATABASE IF EXISTS "{self.template}"')


# --- measuring a subprocess --------------------------------------------------------------


@dataclass
class Run:
    others: float  # cores kept busy by other processes during the run, on average
    seconds: float
    tree_peak: int  # bytes: highest sum of RSS over the process tree, sampled
    process_peak: int  # bytes: ru_maxrss of the largest single process (wait4)
    result: dict[str, Any]

    @property
    def peak(self) -> int:
        return max(self.tree_peak, self.process_peak)


def measure(command: list[str], env: dict[str, str]) -> Run:
    busy = busy_seconds()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err)  # noqa: S603
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
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if process.returncode != 0:
        sys.stderr.write(stdout + stderr)
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode})")
    # What the machine did besides the command (its whole tree, from wait4), as a check that
    # nobody else's work skewed the figures; includes this script's own sampling thread.
    others = max(busy_seconds() - busy - usage.ru_utime - usage.ru_stime, 0.0) / seconds
    return Run(others, seconds, peak, usage.ru_maxrss * 1024, json.loads(stdout))


def check_counts(result: dict[str, Any], rows: int, mess: dict[str, int]) -> list[str]:
    problems = []
    parts = ("accepted", "accepted_with_warnings", "rejected", "ignored")
    if sum(result[p] for p in parts) != result["rows"]:
        problems.append(f"counts do not add up: {result}")
    if result["rows"] - result["ignored"] != rows:
        problems.append(f"{result['rows'] - result['ignored']} data rows stored, not {rows}")
    if result["ignored"] < 1:
        problems.append("the JUMLAH row was not ignored")
    broken = mess["numeric_nik"] + mess["blank_nik"] + mess["duplicate_nik"]
    if result["rejected"] < broken:
        problems.append(f"only {result['rejected']} rejected, {broken} broken NIKs written")
    if result.get("duplicate"):
        problems.append("the file was taken for one imported before")
    return problems


# --- the in-process breakdown ------------------------------------------------------------


def breakdown_main(path: str, profile: str | None) -> None:
    """Run in its own interpreter with the environment of one fresh database."""
    import django

    django.setup()
    from lindung.accounts.models import Agency
    from lindung.intake import services
    from lindung.programs.cli import find_program

    program = find_program(code=PROGRAM, pemda_code=None)
    agency = Agency.objects.get(pemda_id=program.pemda_id, code=AGENCY)
    seen: dict[str, float] = {}

    def on_progress(phase: str, _percent: int) -> None:
        seen.setdefault(phase, time.perf_counter())

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    with open(path, "rb") as handle:
        uploaded, _ = services.upload_receive(
            actor="cli",
            program=program,
            agency=agency,
            stream=iter(lambda: handle.read(1 << 20), b""),
            filename=Path(path).name,
        )
    t_upload = time.perf_counter()
    layouts = services.file_analyse(uploaded)
    layouts = [lay for lay in layouts if lay.signature == layouts[0].signature]
    t_analyse = time.perf_counter()
    job = services.job_create(actor="cli", uploaded=uploaded, layouts=layouts, enqueue=False)
    job = services.job_run(job_id=job.pk, on_progress=on_progress)
    end = time.perf_counter()
    if profiler is not None:
        profiler.disable()
    # The job's own phases: "Membaca file" (calamine, then cells mapped to fields),
    # "Memeriksa baris" (rowcheck), "Menyimpan" (one transaction, until job_run returns).
    read, check, store = seen["Membaca file"], seen["Memeriksa baris"], seen["Menyimpan"]
    phases = {
        "upload (hash, inspect)": t_upload - t0,
        "analyse (read, header)": t_analyse - t_upload,
        "job: create and start": read - t_analyse,
        "job: read": check - read,
        "job: check": store - check,
        "job: store": end - store,
    }
    # The read phase is calamine in its child process plus mapping cells to fields: time the
    # first part alone once more.
    t_file = time.perf_counter()
    services.file_read(uploaded)
    phases["  of which file_read"] = time.perf_counter() - t_file
    import resource

    result = {
        "phases": phases,
        "total": end - t0,
        "status": job.status,
        "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    if profiler is not None:
        import io
        import pstats

        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
        result["profile"] = text.getvalue()
    print(json.dumps(result))


def breakdown(file: Path, env: dict[str, str], profile: bool) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--breakdown-of", str(file)]
    if profile:
        command.append("--profile")
    done = subprocess.run(command, env=env, capture_output=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.stderr.write(done.stdout.decode(errors="replace") + done.stderr.decode("replace"))
        raise SystemExit("the in-process breakdown failed")
    return dict(json.loads(done.stdout.decode().strip().splitlines()[-1]))


# --- report ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as handle:
        cpu = next(ln.split(":", 1)[1].strip() for ln in handle if ln.startswith("model name"))
    mem = "?"
    with contextlib.suppress(OSError), open("/proc/meminfo") as handle:
        kib = int(next(ln for ln in handle if ln.startswith("MemTotal")).split()[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    return {
        "cpu": cpu,
        "nproc": str(os.cpu_count()),
        "ram": mem,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB".replace(",", ".")


@dataclass
class Report:
    database: str
    spread: str
    runs: list[Run] = field(default_factory=list)
    phases: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def median_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def median_peak(self) -> int:
        return int(statistics.median(r.peak for r in self.runs))

    @property
    def worst_peak(self) -> int:
        return max(r.peak for r in self.runs)

    def passed(self) -> bool:
        return (
            not self.problems
            and self.median_seconds <= BAR_SECONDS
            and self.worst_peak <= BAR_BYTES
        )


def print_report(report: Report, rows: int) -> None:
    print(f"\n{report.database}: {rows} rows, addresses across the {report.spread}")
    print(
        f"  {'run':<8}{'wall':>9}{'rows/s':>10}{'tree RSS':>11}{'max proc':>11}{'others':>8}"
        "  result"
    )
    for index, run in enumerate(report.runs, 1):
        r = run.result
        print(
            f"  {index:<8}{run.seconds:>8.2f}s{rows / run.seconds:>10,.0f}"
            f"{mb(run.tree_peak):>11}{mb(run.process_peak):>11}{run.others:>8.2f}  "
            f"{r['accepted']}/{r['accepted_with_warnings']}/{r['rejected']}/{r['ignored']}"
        )
    median = report.median_seconds
    print(
        f"  {'median':<8}{median:>8.2f}s{rows / median:>10,.0f}{mb(report.median_peak):>11}"
        f"{'':>19}  (accepted/with warnings/rejected/ignored)"
    )
    if report.phases:
        print("  in-process breakdown (one run):")
        for name, seconds in report.phases["phases"].items():
            print(f"    {name:<26}{seconds:>7.2f}s")
        print(f"    {'total':<26}{report.phases['total']:>7.2f}s")
    verdict_time = "met" if median <= BAR_SECONDS else "MISSED"
    verdict_mem = "met" if report.worst_peak <= BAR_BYTES else "MISSED"
    print(
        f"  bars: wall ≤ {BAR_SECONDS:.0f} s {verdict_time} (median {median:.2f} s); "
        f"peak ≤ 1 GB {verdict_mem} (worst run {mb(report.worst_peak)})"
    )
    for problem in report.problems:
        print(f"  PROBLEM: {problem}")


def bench(
    db: Sqlite | Postgres,
    inputs: dict[str, tuple[Path, dict[str, int]]],
    args: argparse.Namespace,
) -> list[Report]:
    print(f"{db.name}: building the demo Pemda (not timed)…", flush=True)
    db.setup()
    reports = []
    for spread, (file, mess) in inputs.items():
        print(f"  list with addresses across the {spread}:", flush=True)
        reports.append(bench_one(db, file, mess, args, spread))
    return reports


def bench_one(
    db: Sqlite | Postgres,
    file: Path,
    mess: dict[str, int],
    args: argparse.Namespace,
    spread: str,
) -> Report:
    report = Report(db.version(), spread)
    command = [
        sys.executable,
        "-m",
        "lindung",
        "intake",
        str(file),
        "--program",
        PROGRAM,
        "--agency",
        AGENCY,
        "--json",
    ]
    for index in range(args.runs):
        with db.fresh() as env:
            run = measure(command, env)
        report.runs.append(run)
        report.problems += check_counts(run.result, args.rows, mess)
        print(
            f"  run {index + 1}: {run.seconds:.2f} s, {mb(run.peak)} "
            f"(other processes: {run.others:.2f} cores)",
            flush=True,
        )
    if not args.no_breakdown:
        with db.fresh() as env:
            report.phases = breakdown(file, env, args.profile)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--addresses",
        choices=(*SPREADS, "both"),
        default="both",
        help="where the list's workers live: the regency, the whole province, or both lists",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the breakdown run")
    parser.add_argument("--no-breakdown", action="store_true")
    parser.add_argument("--json-out", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--breakdown-of", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.breakdown_of:
        breakdown_main(args.breakdown_of, "yes" if args.profile else None)
        return 0

    info = machine()
    print(
        f"Lindung intake benchmark, {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: "
        f"{info['cpu']}, "
        f"{info['nproc']} cores, {info['ram']}, Python {info['python']}",
        flush=True,
    )
    print("Input (not timed)…", flush=True)
    spreads = list(SPREADS) if args.addresses == "both" else [args.addresses]
    inputs = {spread: input_file(args.rows, args.seed, spread) for spread in spreads}
    for file, mess in inputs.values():
        print(f"  {file.name}: {file.stat().st_size / 1e6:.1f} MB, mess {mess}", flush=True)

    reports = []
    with tempfile.TemporaryDirectory(prefix="lindung-bench-") as work:
        databases: list[Sqlite | Postgres] = [Sqlite(Path(work))]
        if os.environ.get("DATABASE_URL"):
            databases.append(Postgres(Path(work), os.environ["DATABASE_URL"]))
        for db in databases:
            try:
                reports += bench(db, inputs, args)
            finally:
                db.cleanup()
    for report in reports:
        print_report(report, args.rows)
        if report.phases.get("profile"):
            print(report.phases["profile"])
    if args.json_out:
        args.json_out.write_text(
            json.dumps(
                {
                    "machine": info,
                    "date": dt.datetime.now().astimezone().date().isoformat(),
                    "rows": args.rows,
                    "mess": {spread: mess for spread, (_file, mess) in inputs.items()},
                    "reports": [
                        {
                            "database": r.database,
                            "addresses": r.spread,
                            "runs": [asdict(run) for run in r.runs],
                            "median_seconds": r.median_seconds,
                            "phases": {k: v for k, v in r.phases.items() if k != "profile"},
                            "passed": r.passed(),
                        }
                        for r in reports
                    ],
                },
                indent=2,
            )
        )
    return 0 if all(report.passed() for report in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
