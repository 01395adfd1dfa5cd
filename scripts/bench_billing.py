"""Benchmark: generate one month's bills for 500.000 active participants.

    make bench-billing                    # = .venv/bin/python scripts/bench_billing.py
    .venv/bin/python scripts/bench_billing.py --participants 10000 --runs 1

Bar (docs/benchmarks.md, issue 12): `billing.services.bill_generate` for one month — reading
the participants billed, pricing them per funding source and writing the bills with a line
each — in at most 10 s.

1. Not timed: a fresh SQLite database in a temporary directory (`migrate`, the regions of
   East Java), a Pemda with eight agencies, a 2026 program (JKK + JKM at Rp 1 juta), two
   funding sources (the APBD for everyone, ADD for the eighth agency, which gets the PP 50/2025
   relief from April 2026), and PARTICIPANTS workers with enrolments (effective dates spread
   over January–May; every twentieth ended on 20 May, so still billed for May), written with
   `common.bulk.insert_frame`.
2. Timed, RUNS times: `bill_generate` for May 2026 — every participant billed, a line each
   (each run replaces the month's bills and lines).

Exit status 1 when the bar is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchkit import fresh_database  # noqa: E402

BAR_SECONDS = 10.0
MONTH = dt.date(2026, 5, 1)


def build(participants: int, seed: int) -> tuple[object, object]:
    """The Pemda, agencies, program, sources, workers and enrolments; returns (program,
    finance user)."""
    import polars as pl
    from django.db import transaction
    from django.utils import timezone

    from lindung.accounts.models import Agency, AgencyKind, Pemda, Role, User
    from lindung.common.bulk import insert_frame
    from lindung.programs.models import FundingKind, FundingSource, Program
    from lindung.workers.models import Enrolment, Worker

    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    pemda = Pemda.objects.create(code="tulungagung", name="Pemkab Tulungagung", region_id="35.04")
    agencies = [
        Agency.objects.create(pemda=pemda, code=f"opd-{i}", name=f"Dinas {i}", kind=AgencyKind.OPD)
        for i in range(8)
    ]
    finance = User.objects.create(username="keuangan", pemda=pemda, role=Role.FINANCE)
    program = Program.objects.create(
        pemda=pemda, code="pekerja-rentan-2026", name="Pekerja Rentan 2026", year=2026,
        status="open", bpjs_branch="Tulungagung", start_month=dt.date(2026, 1, 1),
        coverage_months=12, benefits=["JKK", "JKM"], declared_income=1_000_000,
        quota=participants,
    )  # fmt: skip
    apbd = FundingSource.objects.create(
        pemda=pemda, program=program, name="APBD", code="apbd", kind=FundingKind.APBD,
        amount=200_000_000_000, bpjs_code="SG",
    )  # fmt: skip
    add = FundingSource.objects.create(
        pemda=pemda, program=program, name="ADD", code="add", kind=FundingKind.ADD,
        amount=20_000_000_000, bpjs_code="SA", agency=agencies[7],
    )  # fmt: skip
    now = timezone.now().replace(tzinfo=None)
    n = participants
    with transaction.atomic():
        workers = pl.DataFrame(
            {
                "nik": [f"3504{k:012d}" for k in range(n)],
                "name": [f"Pekerja {k}" for k in range(n)],
                **{f: [""] * n for f in ("birth_place", "sex", "address", "rt", "rw", "phone")},
                "created_at": [now] * n,
            }
        )
        insert_frame(Worker, workers, constants={"pemda_id": pemda.pk})
        worker_ids = list(Worker.objects.filter(pemda=pemda).values_list("pk", flat=True))
        which = [rng.randrange(8) for _ in range(n)]
        starts = [dt.date(2026, 1 + rng.randrange(5), 1 + rng.randrange(28)) for _ in range(n)]
        ended = [k % 20 == 0 for k in range(n)]
        enrolments = pl.DataFrame(
            {
                "worker_id": worker_ids,
                "agency_id": [agencies[w].pk for w in which],
                "funding_source_id": [add.pk if w == 7 else apbd.pk for w in which],
                "kpj": [f"26{k:09d}" for k in range(n)],
                "status": ["ended" if e else "active" for e in ended],
                "start_month": [s.replace(day=1) for s in starts],
                "started_on": starts,
                "ended_on": [dt.date(2026, 5, 20) if e else None for e in ended],
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
            constants={"pemda_id": pemda.pk, "program_id": program.pk},
            rebuild_indexes=True,
        )
    return program, finance


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lindung-bench-billing-") as tmp:
        print(f"Setting up {args.participants:,} participants in {tmp} (not timed) …", flush=True)
        started = time.perf_counter()
        fresh_database(Path(tmp))
        program, finance = build(args.participants, args.seed)
        print(f"  set-up {time.perf_counter() - started:.1f} s", flush=True)

        from lindung.billing.services import bill_generate

        totals = []
        run = None
        for _ in range(args.runs):
            started = time.perf_counter()
            run = bill_generate(actor=finance, program=program, month=MONTH)
            totals.append(time.perf_counter() - started)
        assert run is not None  # noqa: S101
        print(f"  result: {run.to_json()}")
        total = statistics.median(totals)
        print(
            f"  bill_generate ({MONTH:%m-%Y}): median {total:.2f} s "
            f"of {', '.join(f'{s:.2f}' for s in totals)}  (bar {BAR_SECONDS:.0f} s)"
        )
        if run.participants != args.participants:
            print("FAIL: not every participant billed")
            return 1
        if total > BAR_SECONDS:
            print("FAIL: over the bar")
            return 1
        print("OK")
        return 0


if __name__ == "__main__":
    sys.exit(main())
