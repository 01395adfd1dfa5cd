"""Benchmark: reconcile a 500.000-line BPJS bill with our 500.000 bill lines of the month.

    make bench-reconcile                  # = .venv/bin/python scripts/bench_reconcile.py
    .venv/bin/python scripts/bench_reconcile.py --lines 50000 --runs 1

Bar (docs/benchmarks.md, issue 12): the whole reconciliation — receiving and checking the
file, reading it, comparing it with ours and recording the comparison line by line — in at
most 20 s.

1. Not timed: a fresh SQLite database in a temporary directory, a Pemda, a program with one
   funding source, LINES workers with active enrolments and our March bill with a line each
   (Rp 16.800), plus 0,2 % of LINES enrolments ended in February; and BPJS's csv (title row,
   ";" as Excel writes it in an Indonesian locale, amounts as "16.800" or "Rp 16.800,00")
   with planted differences: 0,4 % of ours missing, 0,2 % at another amount, 0,2 % not ours,
   the 0,2 % ended still billed, 0,2 % with a NIK damaged by Excel (found by KPJ).
2. Timed, RUNS times: `billing.reconciliation.bpjs_bill_reconcile` (each run replaces the
   previous comparison). The counts per outcome must equal the planted ones.

Exit status 1 when a count is off or the bar is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchkit import fresh_database  # noqa: E402

BAR_SECONDS = 20.0
MONTH = dt.date(2025, 3, 1)
PREMIUM = 16_800  # JKK + JKM at the Rp 1 juta band in 2025 (the data, not the rule)


def plan(lines: int) -> dict[str, int]:
    unit = max(lines // 500, 1)  # 0,2 %
    return {"missing": 2 * unit, "differs": unit, "not_ours": unit, "ended": unit,
            "damaged": unit}  # fmt: skip


def build(lines: int) -> tuple[object, object]:
    """The Pemda, program, source, workers, enrolments and our bill; returns (program, user)."""
    import polars as pl
    from django.db import transaction
    from django.utils import timezone

    from lindung.accounts.models import Pemda, Role, User
    from lindung.billing.models import Bill, BillLine
    from lindung.common.bulk import insert_frame, read_frame
    from lindung.programs.models import FundingKind, FundingSource, Program
    from lindung.workers.models import Enrolment, Worker

    n, ended = lines, plan(lines)["ended"]
    from lindung.regions.models import Region, RegionLevel

    province = Region.objects.create(
        code="35", name="Jawa Timur", level=RegionLevel.PROVINCE, search_key="jawa timur"
    )
    Region.objects.create(
        code="35.04", name="Tulungagung", level=RegionLevel.REGENCY, parent=province,
        search_key="tulungagung",
    )  # fmt: skip
    pemda = Pemda.objects.create(code="tulungagung", name="Pemkab Tulungagung", region_id="35.04")
    user = User.objects.create(username="bpkad", pemda=pemda, role=Role.FINANCE)
    program = Program.objects.create(
        pemda=pemda, code="pekerja-rentan-2025", name="Pekerja Rentan 2025", year=2025,
        status="open", bpjs_branch="Tulungagung", start_month=dt.date(2025, 1, 1),
        coverage_months=12, benefits=["JKK", "JKM"], declared_income=1_000_000, quota=n + ended,
    )  # fmt: skip
    source = FundingSource.objects.create(
        pemda=pemda, program=program, name="APBD", code="apbd", kind=FundingKind.APBD,
        amount=200_000_000_000, bpjs_code="SG",
    )  # fmt: skip
    now = timezone.now().replace(tzinfo=None)
    everyone = n + ended
    with transaction.atomic():
        insert_frame(
            Worker,
            pl.DataFrame(
                {
                    "nik": [f"3504{k:012d}" for k in range(everyone)],
                    "name": [f"Pekerja {k}" for k in range(everyone)],
                    **{
                        f: [""] * everyone
                        for f in ("birth_place", "sex", "address", "rt", "rw", "phone")
                    },
                    "created_at": [now] * everyone,
                }
            ),
            constants={"pemda_id": pemda.pk},
        )
        workers = read_frame(
            "SELECT id, nik FROM workers_worker WHERE pemda_id = %s ORDER BY nik",
            [pemda.pk], {"worker_id": pl.Int64, "nik": pl.String},
        )  # fmt: skip
        k = pl.int_range(0, workers.height, eager=True)
        enrolments = workers.select(
            "worker_id",
            kpj=pl.format("25{}", k.cast(pl.String).str.zfill(9)),
            status=pl.when(k < n).then(pl.lit("active")).otherwise(pl.lit("ended")),
            start_month=pl.lit(dt.date(2025, 1, 1)),
            started_on=pl.lit(dt.date(2025, 1, 1)),
            ended_on=pl.when(k < n).then(None).otherwise(pl.lit(dt.date(2025, 2, 10))),
            end_reason=pl.when(k < n).then(pl.lit("")).otherwise(pl.lit("deceased")),
            bpjs_reason=pl.lit(""),
            imported=pl.lit(value=False),
            version=pl.lit(1),
            created_at=pl.lit(now),
            updated_at=pl.lit(now),
        )
        insert_frame(
            Enrolment, enrolments,
            constants={"pemda_id": pemda.pk, "program_id": program.pk,
                       "funding_source_id": source.pk},
        )  # fmt: skip
        bill = Bill.objects.create(
            pemda=pemda, program=program, funding_source=source, month=MONTH, participants=n,
            total=n * PREMIUM,
        )  # fmt: skip
        ours = read_frame(
            "SELECT e.id, w.nik, w.name, e.kpj FROM workers_enrolment e JOIN workers_worker w "
            "ON w.id = e.worker_id WHERE e.program_id = %s AND e.status = 'active'",
            [program.pk],
            {"enrolment_id": pl.Int64, "nik": pl.String, "name": pl.String, "kpj": pl.String},
        )
        insert_frame(
            BillLine,
            ours.with_columns(
                jkk=pl.lit(PREMIUM - 8_400),
                jkm=pl.lit(8_400),
                jht=pl.lit(0),
                amount=pl.lit(PREMIUM),
            ),
            constants={"bill_id": bill.pk, "pemda_id": pemda.pk},
        )
    return program, user


def write_bpjs_csv(path: Path, lines: int) -> None:
    """Theirs: ours less the missing, some at another amount, some with a damaged NIK, then
    the not-ours and the ended, with a title row and a total row."""
    planted = plan(lines)
    missing, differs, damaged = planted["missing"], planted["differs"], planted["damaged"]
    with path.open("w", encoding="utf-8") as out:
        out.write("TAGIHAN IURAN BPU PEMDA;;;;;;\n")
        out.write("No;No. KTP;No. KPJ;Nama TK;Periode;Iuran JKK;Iuran JKM;Total Iuran\n")
        row = 0
        for k in range(lines + planted["ended"]):
            if k < missing:
                continue
            row += 1
            nik = f"3504{k:012d}"
            if missing <= k < missing + damaged:
                nik = f"{int(nik):.5E}".replace(".", ",")
            amount = 8_400 if missing + damaged <= k < missing + damaged + differs else PREMIUM
            text = f"{amount:,}".replace(",", ".")
            total = text if k % 2 else f"Rp {text},00"
            out.write(f"{row};{nik};25{k:09d};Pekerja {k};03-2025;{text};8.400;{total}\n")
        for k in range(planted["not_ours"]):
            row += 1
            out.write(f"{row};3578{k:012d};;Bukan Peserta {k};03-2025;8.400;8.400;16.800\n")
        out.write(";;;TOTAL;;;;\n")


def expected(lines: int) -> dict[str, int]:
    planted = plan(lines)
    return {
        "matched": lines - planted["missing"] - planted["differs"],
        "missing_from_bpjs": planted["missing"],
        "not_ours": planted["not_ours"],
        "amount_differs": planted["differs"],
        "ended_still_billed": planted["ended"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lindung-bench-reconcile-") as tmp:
        print(f"Setting up {args.lines:,} bill lines in {tmp} (not timed) …", flush=True)
        started = time.perf_counter()
        fresh_database(Path(tmp), regions=False)
        program, user = build(args.lines)
        path = Path(tmp) / "tagihan-bpjs-maret.csv"
        write_bpjs_csv(path, args.lines)
        print(f"  set-up {time.perf_counter() - started:.1f} s", flush=True)

        from lindung.billing.reconciliation import bpjs_bill_reconcile

        times = []
        bill = None
        for _ in range(args.runs):
            started = time.perf_counter()
            bill = bpjs_bill_reconcile(
                actor=user, program=program, month=MONTH, path=path, filename=path.name
            )
            times.append(time.perf_counter() - started)
        assert bill is not None  # noqa: S101
        print(f"  counts: {bill.counts}")
        total = statistics.median(times)
        print(
            f"  bpjs_bill_reconcile: median {total:.2f} s of "
            f"{', '.join(f'{s:.2f}' for s in times)}  (bar {BAR_SECONDS:.0f} s)"
        )
        if bill.counts != expected(args.lines):
            print(f"FAIL: expected {expected(args.lines)}")
            return 1
        if total > BAR_SECONDS:
            print("FAIL: over the bar")
            return 1
        print("OK")
        return 0


if __name__ == "__main__":
    sys.exit(main())
