"""A fresh Lindung instance on SQLite holding the benchmark's data, put there through the
product's own paths: `lindung migrate`, `load-regions`, `demo` (the Pemda of Tulungagung, its
2025 program and ten agencies, and its own small register and handed-in lists), then the
benchmark's own programs for this year and last (`programs.services.program_create`, with the
demo program's rules and occupations, so the demo's lists stay out of the run), `lindung
register load` for the register (dated after the demo's snapshot, so the run uses it) and
`lindung intake` for every agency list. Workers and their enrolments have no loader yet: they
are inserted in bulk with `lindung.common.bulk.insert_frame` in one transaction
(`insert_known`, run in a child interpreter).

    python scripts/verifybench/instance.py known WORKERS.parquet   # with LINDUNG_VAR_DIR set
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# The benchmark's own programs in the demo Pemda, so that the demo's handed-in lists stay out
# of the run (its program is "pekerja-rentan-2025").
DEMO_PROGRAM = f"pekerja-rentan-{time.localtime().tm_year}"  # the demo makes this year's program
PROGRAM = "verifikasi-bench-2025"
PREVIOUS_PROGRAM = "verifikasi-bench-2024"
PEMDA = "tulungagung"
REGISTER_AS_OF = "2025-06-30"


def env_for(var_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "LINDUNG_ENV": "test",
        "LINDUNG_DEBUG": "0",  # as in production: no SQL kept in memory
        "LINDUNG_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "lindung.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "scripts")]),
    }
    env.pop("DATABASE_URL", None)
    return env


def lindung(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "lindung", *args], env=env, capture_output=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout.decode(errors="replace") + done.stderr.decode("replace"))
        raise SystemExit(f"lindung {' '.join(args)} failed ({done.returncode})")
    return done.stdout.decode()


def _json(text: str) -> Any:
    return json.loads(text)


def learn_weights(var_dir: Path) -> None:
    """Switch the instance's Pemda to evidence weights learned per run."""
    code = (
        "from lindung.accounts.models import Pemda\n"
        "from lindung.verification.services import policy_update\n"
        "for pemda in Pemda.objects.all():\n"
        "    policy_update(actor='bench', pemda=pemda, learn_weights=True)\n"
    )
    lindung(["shell", "-c", code], env_for(var_dir))


def build(var_dir: Path, data: Any, *, log: Any = print) -> dict[str, Any]:
    """Fill `var_dir` with a new instance holding `data` (a generate.Dataset). Returns what
    the loaders said: snapshot, submissions per agency slot, workers inserted."""
    var_dir.mkdir(parents=True, exist_ok=True)
    env = env_for(var_dir)
    started = time.perf_counter()
    lindung(["migrate", "--no-input", "-v0"], env)
    lindung(["load-regions", "--province", "35"], env)
    lindung(["demo", "--quiet"], env)
    log(f"  migrate, regions, demo Pemda: {time.perf_counter() - started:.1f} s")

    step = time.perf_counter()
    known = _json(
        subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(Path(__file__).resolve()), "known", str(data.workers)],
            env=env,
            capture_output=True,
            check=True,
        ).stdout.decode()
    )
    log(
        f"  {known['workers']:,} workers, {known['enrolments']:,} enrolments "
        f"({known['skipped']} skipped: NIK of a demo worker): {time.perf_counter() - step:.1f} s"
    )

    step = time.perf_counter()
    snapshot = _json(
        lindung(
            ["register", "load", str(data.register_csv), "--source", "dtks",
             "--as-of", REGISTER_AS_OF, "--json"],
            env,
        )
    )  # fmt: skip
    log(f"  register load: {snapshot['rows']:,} rows in {time.perf_counter() - step:.1f} s")

    step = time.perf_counter()
    agencies = [
        a["code"] for a in _json(lindung(["agency", "list", "--program", PROGRAM, "--json"], env))
    ]
    submissions: dict[int, dict[str, Any]] = {}
    for slot, path in enumerate(data.agency_files):
        result = _json(
            lindung(
                ["intake", str(path), "--program", PROGRAM, "--agency", agencies[slot], "--json"],
                env,
            )
        )
        submissions[slot] = {**result, "agency": agencies[slot], "file": path.name}
    rows = sum(s["rows"] - s["ignored"] for s in submissions.values())
    log(f"  intake of {len(submissions)} lists, {rows:,} rows: {time.perf_counter() - step:.1f} s")
    # What the background worker does after these loads (`lindung serve` runs it): the
    # register prepared for matching (`verification.register_side.prepare_register_job`),
    # the monitoring figures rebuilt.
    step = time.perf_counter()
    lindung(["db_worker", "--batch"], env)
    log(f"  the worker's jobs after the loads: {time.perf_counter() - step:.1f} s")
    # Fold the WAL into the main file so that a plain copy is the whole database.
    with contextlib.closing(sqlite3.connect(var_dir / "lindung.sqlite3")) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"snapshot": snapshot, "submissions": submissions, "known": known}


def insert_known(workers_path: Path) -> dict[str, Any]:
    """Last year's program, then the workers and one enrolment each, in one transaction."""
    import datetime as dt

    import django

    django.setup()
    import polars as pl
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from lindung.accounts.models import Pemda
    from lindung.common.bulk import insert_frame
    from lindung.programs.models import Program, ProgramStatus
    from lindung.programs.services import program_create
    from lindung.workers.models import EndReason, Enrolment, EnrolmentStatus, Worker

    pemda = Pemda.objects.get(code=PEMDA)
    demo = Program.objects.get(pemda=pemda, code=DEMO_PROGRAM)
    workers = pl.read_parquet(workers_path)
    rules = {
        "start_month": demo.start_month,
        "coverage_months": 12,
        "benefits": ["JKK", "JKM"],
        "declared_income": 1_000_000,
        "quota": 100_000,
        "register_required": demo.register_required,
        "max_desil": demo.max_desil,
        "min_age": demo.min_age,
        "max_age": demo.max_age,
        "residency_required": demo.residency_required,
    }
    with transaction.atomic():
        current = program_create(
            actor="bench",
            pemda=pemda,
            occupations=list(demo.occupations.all()),
            code=PROGRAM,
            name="Verifikasi (benchmark) 2025",
            year=demo.year,
            status=ProgramStatus.OPEN,
            **rules,
        )
        previous = program_create(
            actor="bench",
            pemda=pemda,
            occupations=list(demo.occupations.all()),
            code=PREVIOUS_PROGRAM,
            name="Verifikasi (benchmark) 2024",
            year=demo.year - 1,
            status=ProgramStatus.CLOSED,
            **{**rules, "start_month": dt.date(demo.year - 1, 1, 1)},
        )
        taken = set(Worker.objects.filter(pemda=pemda).values_list("nik", flat=True))
        skipped = workers.filter(pl.col("nik").is_in(list(taken)))
        workers = workers.filter(~pl.col("nik").is_in(list(taken)))
        first_id = (Worker.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        ids = pl.int_range(pl.len(), dtype=pl.Int64) + first_id
        dead = pl.col("status") == "dead"
        died_on = dt.date(current.year - 1, 8, 17)
        worker_frame = workers.select(
            ids.alias("id"),
            pl.lit(pemda.pk, dtype=pl.Int64).alias("pemda_id"),
            "nik",
            pl.col("name").str.slice(0, 150),
            pl.col("birth_place").fill_null(""),
            "birth_date",
            "sex",
            pl.lit("").alias("address"),
            pl.lit("").alias("rt"),
            pl.lit("").alias("rw"),
            pl.col("village").alias("village_id"),
            pl.lit("").alias("phone"),
            pl.when(dead).then(pl.lit(died_on)).otherwise(None).alias("died_on"),
            pl.lit(str(now)).alias("created_at"),
        )
        insert_frame(Worker, worker_frame)
        this_year = pl.col("status") == "current"
        enrolments = workers.select(
            pl.lit(pemda.pk, dtype=pl.Int64).alias("pemda_id"),
            pl.when(this_year)
            .then(pl.lit(current.pk))
            .otherwise(pl.lit(previous.pk))
            .cast(pl.Int64)
            .alias("program_id"),
            ids.alias("worker_id"),
            pl.lit("").alias("kpj"),
            pl.when(this_year)
            .then(pl.lit(EnrolmentStatus.ACTIVE.value))
            .otherwise(pl.lit(EnrolmentStatus.ENDED.value))
            .alias("status"),
            pl.when(this_year)
            .then(pl.lit(dt.date(current.year, 1, 1)))
            .otherwise(pl.lit(dt.date(current.year - 1, 1, 1)))
            .alias("started_on"),
            pl.when(this_year)
            .then(None)
            .when(dead)
            .then(pl.lit(died_on))
            .otherwise(pl.lit(dt.date(current.year - 1, 12, 31)))
            .alias("ended_on"),
            pl.when(this_year)
            .then(pl.lit(""))
            .when(dead)
            .then(pl.lit(EndReason.DECEASED.value))
            .otherwise(pl.lit(EndReason.PROGRAM_ENDED.value))
            .alias("end_reason"),
            pl.lit("").alias("bpjs_reason"),
            pl.lit(value=False).alias("imported"),
            pl.lit(1).alias("version"),
            pl.lit(str(now)).alias("created_at"),
            pl.lit(str(now)).alias("updated_at"),
        )
        insert_frame(Enrolment, enrolments)
    return {
        "workers": worker_frame.height,
        "enrolments": enrolments.height,
        "skipped": skipped.height,
        "skipped_persons": skipped.get_column("person").to_list(),
        "previous_program": previous.pk,
    }


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "known":
        print(json.dumps(insert_known(Path(sys.argv[2]))))
    else:
        raise SystemExit(__doc__)
