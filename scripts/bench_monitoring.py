"""Benchmark: the monitoring dashboard and coverage as of a past date, 500.000 participants.

    make bench-monitoring                 # = .venv/bin/python scripts/bench_monitoring.py
    .venv/bin/python scripts/bench_monitoring.py --participants 20000 --runs 1
    .venv/bin/python scripts/bench_monitoring.py --participants 100000 --profile  # where it goes

Bars (docs/benchmarks.md, issue 14): the dashboard page `/pemantauan/` (every chart and table:
coverage per district, occupation, agency, funding source, sex, age band, year on year,
budget, claims) in at most 500 ms; `coverage_of` as of a past date in at most 2 s.

1. Not timed: a fresh SQLite database in a temporary directory (`migrate`, the regions of
   East Java), a Pemda (Tulungagung) with eight agencies and the default occupations, a 2026
   program with two funding sources and PARTICIPANTS workers (village, occupation, sex,
   birth date spread) with enrolments (effective dates over January–May; every twentieth
   ended on 20 May), a 2025 program with a fifth as many, the working population of every
   district, a coverage target; written with `common.bulk.insert_frame`.
2. Rebuilt (the background job after a change; reported, not part of a bar): the kept
   participation counts of both programs (`monitoring.participation.participation_refresh`).
3. Timed (after one untimed request for the home page, so that Python has imported the
   views as in a running server): the dashboard page as of 30-06-2026 for the leader,
   first when computed (the bar: nothing cached) and then RUNS times while the data do not
   change (reused);
   `coverage_of` as of 15-03-2026, RUNS times (the bar).

Exit status 1 when a bar is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DASHBOARD_BAR = 0.5
COVERAGE_BAR = 2.0
AS_OF = dt.date(2026, 6, 30)
PAST = dt.date(2026, 3, 15)


def setup_database(var_dir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "lindung.settings",
            "LINDUNG_ENV": "test",
            "LINDUNG_DEBUG": "0",
            "LINDUNG_VAR_DIR": str(var_dir),
        }
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    call_command("load-regions", "--province", "35", verbosity=0)


def _program(pemda: object, year: int, quota: int) -> object:
    from lindung.programs.models import FundingKind, FundingSource, Program

    program = Program.objects.create(
        pemda=pemda, code=f"pekerja-rentan-{year}", name=f"Pekerja Rentan {year}", year=year,
        status="open", bpjs_branch="Tulungagung", start_month=dt.date(year, 1, 1),
        coverage_months=12, benefits=["JKK", "JKM"], declared_income=1_000_000, quota=quota,
    )  # fmt: skip
    FundingSource.objects.create(
        pemda=pemda, program=program, name="APBD", code="apbd", kind=FundingKind.APBD,
        amount=200_000_000_000, bpjs_code="SG",
    )  # fmt: skip
    return program


def _people(program: object, pemda: object, n: int, first: int, rng: random.Random) -> None:
    """n workers of `pemda` (NIKs from `first`) enrolled in `program`."""
    import polars as pl
    from django.utils import timezone

    from lindung.accounts.models import Agency
    from lindung.common.bulk import insert_frame
    from lindung.programs.models import Occupation
    from lindung.regions.models import Region, RegionLevel
    from lindung.workers.models import Enrolment, Worker

    year = program.year  # type: ignore[attr-defined]
    villages = list(
        Region.objects.filter(code__startswith="35.04.", level=RegionLevel.VILLAGE).values_list(
            "code", flat=True
        )
    )
    occupations = list(Occupation.objects.filter(pemda=pemda).values_list("pk", flat=True))
    agencies = list(Agency.objects.filter(pemda=pemda).values_list("pk", flat=True))
    source = program.funding_sources.get()  # type: ignore[attr-defined]
    now = timezone.now().replace(tzinfo=None)
    place = [rng.choice(villages) for _ in range(n)]
    workers = pl.DataFrame(
        {
            "nik": [f"3504{k:012d}" for k in range(first, first + n)],
            "name": [f"Pekerja {k}" for k in range(first, first + n)],
            "birth_date": [
                dt.date(1950 + rng.randrange(58), 1 + rng.randrange(12), 1 + rng.randrange(28))
                for _ in range(n)
            ],
            "sex": [rng.choice("LP") for _ in range(n)],
            "village_id": place,
            "occupation_id": [rng.choice(occupations) for _ in range(n)],
            **{f: [""] * n for f in ("birth_place", "address", "rt", "rw", "phone")},
            "created_at": [now] * n,
        }
    )
    insert_frame(Worker, workers, constants={"pemda_id": pemda.pk})  # type: ignore[attr-defined]
    worker_ids = list(
        Worker.objects.filter(pemda=pemda, nik__gte=f"3504{first:012d}")
        .order_by("nik")
        .values_list("pk", flat=True)[:n]
    )
    starts = [dt.date(year, 1 + rng.randrange(5), 1 + rng.randrange(28)) for _ in range(n)]
    ended = [k % 20 == 0 for k in range(n)]
    enrolments = pl.DataFrame(
        {
            "worker_id": worker_ids,
            "agency_id": [rng.choice(agencies) for _ in range(n)],
            "village_id": place,
            "funding_source_id": [source.pk] * n,
            "kpj": [f"{year % 100}{k:09d}" for k in range(n)],
            "status": ["ended" if e else "active" for e in ended],
            "start_month": [s.replace(day=1) for s in starts],
            "started_on": starts,
            "ended_on": [dt.date(year, 5, 20) if e else None for e in ended],
            "end_reason": ["moved" if e else "" for e in ended],
            "bpjs_reason": [""] * n,
            "imported": [False] * n,
            "version": [1] * n,
            "created_at": [now] * n,
            "updated_at": [now] * n,
        },
        schema_overrides={"ended_on": pl.Date},
    )
    insert_frame(
        Enrolment,
        enrolments,
        constants={"pemda_id": pemda.pk, "program_id": program.pk},  # type: ignore[attr-defined]
        rebuild_indexes=True,
    )


def build(participants: int, seed: int) -> tuple[object, object]:
    """The Pemda, programs, participants and workforce; returns (program, leader)."""
    from django.db import transaction

    from lindung.accounts.models import Agency, AgencyKind, Pemda, Role, User
    from lindung.monitoring.models import CoverageTarget, Workforce
    from lindung.programs.services import occupations_seed_defaults
    from lindung.regions.models import Region, RegionLevel

    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    pemda = Pemda.objects.create(code="tulungagung", name="Pemkab Tulungagung", region_id="35.04")
    for i in range(8):
        Agency.objects.create(pemda=pemda, code=f"opd-{i}", name=f"Dinas {i}", kind=AgencyKind.OPD)
    occupations_seed_defaults(actor="bench", pemda=pemda)
    leader = User.objects.create(username="bupati", pemda=pemda, role=Role.LEADER)
    with transaction.atomic():
        before = _program(pemda, 2025, participants // 5)
        _people(before, pemda, participants // 5, 0, rng)
        program = _program(pemda, 2026, participants)
        _people(program, pemda, participants, participants, rng)
        for code in Region.objects.filter(
            code__startswith="35.04.", level=RegionLevel.DISTRICT
        ).values_list("code", flat=True):
            Workforce.objects.create(
                pemda=pemda, year=2026, region_id=code, working=60_000 + rng.randrange(40_000),
                source="BPS (synthetic)",
            )  # fmt: skip
        CoverageTarget.objects.create(
            pemda=pemda, year=2026, target_rate=45, province_rate="33.4", note="bench"
        )
    return program, leader


def _timed(runs: int, work: object) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result


def _profile(program: object, leader: object) -> int:
    """Where a computed dashboard's time goes: the slowest queries and the cProfile top."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lindung.monitoring.dashboard import dashboard_of

    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        dashboard_of(user=leader, program=program, as_of=AS_OF)  # type: ignore[arg-type]
        profiler.disable()
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]:
        print(f"  {float(query['time']) * 1000:6.0f} ms  {query['sql'][:160]}")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one computed dashboard, then stop"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lindung-bench-monitoring-") as tmp:
        print(f"Setting up {args.participants:,} participants in {tmp} (not timed) …", flush=True)
        started = time.perf_counter()
        setup_database(Path(tmp))
        program, leader = build(args.participants, args.seed)
        print(f"  set-up {time.perf_counter() - started:.1f} s", flush=True)
        from lindung.monitoring.participation import participation_refresh
        from lindung.programs.models import Program

        for each in Program.objects.order_by("-year"):
            started = time.perf_counter()
            rows = participation_refresh(each)
            print(
                f"  kept counts of {each.code} rebuilt (the background job after a change): "
                f"{rows:,} rows in {time.perf_counter() - started:.1f} s",
                flush=True,
            )

        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        from lindung.monitoring.coverage import coverage_of

        if args.profile:
            return _profile(program, leader)
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(leader)  # type: ignore[arg-type]
        url = f"{reverse('monitoring:dashboard')}?tanggal={AS_OF.isoformat()}"
        client.get("/")  # not timed: a running server has imported its views already
        started = time.perf_counter()
        cold = client.get(url)
        cold_seconds = time.perf_counter() - started
        if cold.status_code != 200:
            print(f"FAIL: the dashboard answered {cold.status_code}")
            return 1
        page, page_times, _r = _timed(args.runs, lambda: client.get(url))
        past, past_times, coverage = _timed(args.runs, lambda: coverage_of(program, PAST))
        active = coverage.active  # type: ignore[attr-defined]
        now_active = coverage_of(program, AS_OF).active  # type: ignore[attr-defined]
        print(f"  dashboard as of {AS_OF:%d-%m-%Y}: {now_active:,} active")
        print(f"  dashboard page, first request (computed): {cold_seconds * 1000:.0f} ms")
        runs = ", ".join(f"{s * 1000:.0f}" for s in page_times)
        print(
            f"  dashboard page, again (reused until the data change): median "
            f"{page * 1000:.0f} ms of {runs}  (bar {DASHBOARD_BAR * 1000:.0f} ms)"
        )
        print(
            f"  coverage_of {PAST:%d-%m-%Y}: {active:,} active; median {past * 1000:.0f} ms of "
            f"{', '.join(f'{s * 1000:.0f}' for s in past_times)}  (bar {COVERAGE_BAR:.0f} s)"
        )
        from lindung.monitoring import dashboard as parts
        from lindung.monitoring.participation import kept_spans, participation_on

        for name, work in (
            ("fingerprint (every request)", lambda: parts._fingerprint(program)),
            ("the kept counts (every breakdown)", lambda: participation_on(program, AS_OF)),
            ("(without them: the two grouped scans of the enrolments)",
             lambda: parts._breakdowns(program, AS_OF, None)),
            ("earlier programs", lambda: parts._years(program, AS_OF, 0, None)),
            ("budget_of with the kept enrolment groups",
             lambda: parts._budget(program, AS_OF, kept_spans(program))),
            ("(budget_of reading the enrolments)", lambda: parts._budget(program, AS_OF)),
            ("claims", lambda: parts._claims(program, AS_OF, None)),
        ):  # fmt: skip
            started = time.perf_counter()
            work()
            took = (time.perf_counter() - started) * 1000
            print(f"    part of the first request: {name} {took:.0f} ms")
        failed = False
        if cold_seconds > DASHBOARD_BAR:
            print("FAIL: the first (uncached) dashboard is over its bar")
            failed = True
        if past > COVERAGE_BAR:
            print("FAIL: coverage as of a past date is over its bar")
            failed = True
        print("FAIL" if failed else "OK")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
