"""Benchmark: allocate 100.000 eligible candidates of a program within quota and money.

    make bench-allocate                   # = .venv/bin/python scripts/bench_allocate.py
    .venv/bin/python scripts/bench_allocate.py --candidates 10000 --runs 1

Bar (docs/benchmarks.md, issue 11): the whole allocation — reading the candidates and the
capacity, ranking, fitting and recording the proposal with every line — in at most 10 s.

1. Not timed: a fresh SQLite database in a temporary directory (`migrate`, the regions of
   East Java), a Pemda with eight agencies, a per-agency quota for three of them and a
   per-district quota, two funding sources (the APBD for everyone, ADD for the villages'
   agency), and 100.000 handed-in rows with eligible verdicts of a finished verification run
   (every ninth a renewal; deciles, job risks, ages and villages spread by a fixed seed),
   written with `common.bulk.insert_frame`.
2. Timed, RUNS times: `enrollment.services.allocation_propose` (recording included; each run
   withdraws the previous proposal), and, apart, `enrollment.allocation.simulate` alone.

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
AS_OF = dt.date(2025, 8, 20)  # → September–December: 4 months


def build(candidates: int, seed: int) -> tuple[object, object]:
    """The Pemda, its program, agencies, quotas, sources and the candidates; returns
    (program, verifier)."""
    import polars as pl
    from django.db import transaction
    from django.utils import timezone

    from lindung.accounts.models import Agency, AgencyKind, Pemda, Role, User
    from lindung.common.bulk import insert_frame
    from lindung.common.jobs import JobStatus
    from lindung.intake.models import Submission, SubmissionRow, SubmissionSource
    from lindung.programs.models import FundingKind, FundingSource, Occupation, Program, Quota
    from lindung.programs.services import occupations_seed_defaults
    from lindung.regions.models import Region, RegionLevel
    from lindung.verification.models import RowVerdict, VerificationRun

    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    pemda = Pemda.objects.create(code="tulungagung", name="Pemkab Tulungagung", region_id="35.04")
    occupations_seed_defaults(actor="bench", pemda=pemda)
    occupations = list(Occupation.objects.filter(pemda=pemda).values_list("pk", flat=True))
    villages = list(
        Region.objects.filter(code__startswith="35.04.", level=RegionLevel.VILLAGE).values_list(
            "code", flat=True
        )
    )
    agencies = [
        Agency.objects.create(pemda=pemda, code=f"opd-{i}", name=f"Dinas {i}", kind=AgencyKind.OPD)
        for i in range(8)
    ]
    verifier = User.objects.create(username="verifikator", pemda=pemda, role=Role.VERIFIER)
    program = Program.objects.create(
        pemda=pemda, code="pekerja-rentan-2025", name="Pekerja Rentan 2025", year=2025,
        status="open", bpjs_branch="Tulungagung", start_month=dt.date(2025, 1, 1),
        coverage_months=12, benefits=["JKK", "JKM"], declared_income=1_000_000, quota=60_000,
    )  # fmt: skip
    FundingSource.objects.create(
        pemda=pemda, program=program, name="APBD", code="apbd", kind=FundingKind.APBD,
        amount=3_500_000_000, bpjs_code="SG",
    )  # fmt: skip
    FundingSource.objects.create(
        pemda=pemda, program=program, name="ADD", code="add", kind=FundingKind.ADD,
        amount=400_000_000, bpjs_code="SA", agency=agencies[7],
    )  # fmt: skip
    for agency, quota in zip(agencies[:3], (6_000, 9_000, 12_000), strict=True):
        Quota.objects.create(pemda=pemda, program=program, agency=agency, quota=quota)
    Quota.objects.create(pemda=pemda, program=program, region_id=villages[0][:8], quota=1_500)
    submitted = timezone.now()
    with transaction.atomic():
        run = VerificationRun.objects.create(
            pemda=pemda, program=program, status=JobStatus.DONE, finished_at=submitted
        )
        subs = [
            Submission.objects.create(
                pemda=pemda,
                program=program,
                agency=a,
                source=SubmissionSource.UPLOAD,
                status="in_verification",
                submitted_at=submitted - dt.timedelta(days=i),
            )
            for i, a in enumerate(agencies)
        ]
        n = candidates
        which = [rng.randrange(8) for _ in range(n)]
        rows = pl.DataFrame(
            {
                "submission_id": [subs[w].pk for w in which],
                "agency_id": [agencies[w].pk for w in which],
                "row_number": list(range(1, n + 1)),
                "nik": [f"3504{k:012d}" for k in range(n)],
                "name": [f"Pekerja {k}" for k in range(n)],
                "birth_date": [
                    dt.date(1961 + rng.randrange(45), 1 + rng.randrange(12), 1) for _ in range(n)
                ],
                "village_id": [rng.choice(villages) for _ in range(n)],
                "occupation_id": [rng.choice(occupations) for _ in range(n)],
                "outcome": ["accepted"] * n,
                **{
                    f: [""] * n
                    for f in ("sheet", "birth_place", "sex", "address", "rt", "rw", "phone", "kk")
                },
                "raw": ["[]"] * n,
                "issues": ["[]"] * n,
                "revision": [1] * n,
                "updated_at": [submitted.replace(tzinfo=None)] * n,
            }
        )
        insert_frame(SubmissionRow, rows, constants={"pemda_id": pemda.pk})
        ids = pl.DataFrame(
            list(
                SubmissionRow.objects.filter(pemda=pemda).values_list(
                    "pk", "submission_id", "agency_id"
                )
            ),
            schema={"row_id": pl.Int64, "submission_id": pl.Int64, "agency_id": pl.Int64},
            orient="row",
        )  # fmt: skip
        renewal = '[{"code": "in_register", "message": ""}, {"code": "renewal", "message": ""}]'
        plain = '[{"code": "in_register", "message": ""}]'
        verdicts = ids.with_columns(
            outcome=pl.lit("in_register"),
            verdict=pl.lit("eligible"),
            findings=pl.Series([renewal if k % 9 == 0 else plain for k in range(ids.height)]),
            match=pl.lit("exact"),
            register_id=pl.lit(""),
            register_nik=pl.lit(""),
            desil=pl.Series([1 + rng.randrange(5) for _ in range(ids.height)]),
            reasons=pl.lit("[]"),
            review_match=pl.lit(value=False),
            review_duplicate=pl.lit(value=False),
        )
        insert_frame(RowVerdict, verdicts, constants={"run_id": run.pk, "pemda_id": pemda.pk})
    return program, verifier


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lindung-bench-allocate-") as tmp:
        print(f"Setting up {args.candidates:,} candidates in {tmp} (not timed) …", flush=True)
        started = time.perf_counter()
        fresh_database(Path(tmp))
        program, verifier = build(args.candidates, args.seed)
        print(f"  set-up {time.perf_counter() - started:.1f} s", flush=True)

        from lindung.enrollment.allocation import simulate
        from lindung.enrollment.services import allocation_propose

        totals, simulations = [], []
        proposal = None
        for _ in range(args.runs):
            started = time.perf_counter()
            simulate(program=program, as_of=AS_OF)
            simulations.append(time.perf_counter() - started)
            started = time.perf_counter()
            proposal = allocation_propose(actor=verifier, program=program, as_of=AS_OF)
            totals.append(time.perf_counter() - started)
        assert proposal is not None  # noqa: S101
        print(f"  result: {proposal.to_json()} waiting by reason {proposal.waiting_by_reason}")
        print(
            f"  simulate (read, rank, fit): median {statistics.median(simulations):.2f} s "
            f"of {', '.join(f'{s:.2f}' for s in simulations)}"
        )
        total = statistics.median(totals)
        print(
            f"  allocation_propose (recorded): median {total:.2f} s "
            f"of {', '.join(f'{s:.2f}' for s in totals)}  (bar {BAR_SECONDS:.0f} s)"
        )
        if proposal.allocated + proposal.waiting != args.candidates:
            print("FAIL: allocated + waiting differs from the candidates")
            return 1
        if total > BAR_SECONDS:
            print("FAIL: over the bar")
            return 1
        print("OK")
        return 0


if __name__ == "__main__":
    sys.exit(main())
