"""Benchmark: the participants register with 500.000 participants (bar: p95 at most 200 ms
for every search and filter) and 500 cards as one PDF (bar: 20 s).

    make bench-participants            # = .venv/bin/python scripts/bench_participants.py
    .venv/bin/python scripts/bench_participants.py --participants 50000 --runs 10

Not timed: a fresh SQLite instance in a temporary directory (`lindung migrate`, East Java's
regions), one Pemda with 15 OPDs and 30 villages as agencies, a program with three funding
sources, and PARTICIPANTS workers with one enrolment each written in bulk
(`lindung.common.bulk.insert_rows`): 80 % active, 8 % ended, 5 % sent, 5 % approved, 2 %
rejected, spread over the agencies, the regency's villages, the occupations and the sources.

Timed, RUNS times each after one warm-up: the register page through Django's test client
(the whole middleware stack, session and login included; the page renders its counts per
status on every request) for a search by name prefix, by KPJ, by NIK (POST), filters by
agency, district, occupation, status and funding source, page 2 and an agency operator's
first page. Then the cards of 500 active participants of one agency as one PDF, RUNS//5
times (at least once). Exit status 1 when a bar is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchkit import fresh_database  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))

BAR_P95_MS = 200.0
BAR_CARDS_S = 20.0
CARDS = 500
FIRST = (
    (
        "SUPRIYANTO SUPARMI SITI MUHAMMAD AHMAD BUDI SRI DWI TRI EKO AGUS juminten SLAMET "
        "WAHYUNI ENDANG SUGENG PONIMAN SUMARNI KASMURI NUR RINA DEWI ANDI HERU YULI TUTIK "
        "SUMARNO SUWARNO PAIDI MARYATI"
    )
    .upper()
    .split()
)
LAST = [
    "SANTOSO",
    "RAHAYU",
    "WIBOWO",
    "HIDAYAT",
    "LESTARI",
    "SETIAWAN",
    "PURNOMO",
    "HANDAYANI",
    "SAPUTRA",
    "KURNIAWAN",
    "PRASETYO",
    "WULANDARI",
    "SUSANTO",
    "NINGSIH",
    "UTOMO",
]
STATUSES = ["active"] * 80 + ["ended"] * 8 + ["sent"] * 5 + ["approved"] * 5 + ["rejected"] * 2


def log(text: str) -> None:
    print(text, flush=True)


def _build(participants: int, seed: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from lindung.accounts.models import Agency, AgencyKind, Pemda, Role, User
    from lindung.common.bulk import insert_rows
    from lindung.programs.models import FundingKind, FundingSource, Occupation, Program
    from lindung.programs.services import occupations_seed_defaults
    from lindung.regions.models import Region, RegionLevel
    from lindung.workers.models import Enrolment, Worker

    rng = random.Random(seed)  # noqa: S311 - synthetic data
    pemda = Pemda.objects.create(code="tulungagung", name="Pemkab Tulungagung", region_id="35.04")
    occupations_seed_defaults(actor="bench", pemda=pemda)
    occupations = list(Occupation.objects.filter(pemda=pemda).values_list("pk", flat=True))
    villages = list(
        Region.objects.filter(code__startswith="35.04.", level=RegionLevel.VILLAGE).values_list(
            "code", flat=True
        )
    )
    agencies = [
        Agency.objects.create(pemda=pemda, code=f"opd-{i}", name=f"Dinas {i}") for i in range(15)
    ] + [
        Agency.objects.create(
            pemda=pemda,
            code=f"desa-{i}",
            name=f"Desa {i}",
            kind=AgencyKind.VILLAGE,
            village_id=villages[i],
        )
        for i in range(30)
    ]
    program = Program.objects.create(
        pemda=pemda, code="pekerja-rentan-2025", name="Pekerja Rentan 2025", year=2025,
        status="open", bpjs_branch="Tulungagung", start_month=dt.date(2025, 1, 1),
        coverage_months=12, benefits=["JKK", "JKM"], declared_income=1_000_000,
        quota=participants,
    )  # fmt: skip
    sources = [
        FundingSource.objects.create(
            pemda=pemda,
            program=program,
            name=name,
            code=code,
            kind=kind,
            amount=10**11,
            bpjs_code=bpjs,
        ).pk
        for name, code, kind, bpjs in (
            ("APBD Kabupaten", "apbd", FundingKind.APBD, "SG"),
            ("DBHCHT", "dbhcht", FundingKind.DBHCHT, "SG"),
            ("Alokasi Dana Desa", "add", FundingKind.ADD, "SD"),
        )
    ]
    admin = User.objects.create(username="admin", pemda=pemda, role=Role.ADMIN)
    operator = User.objects.create(
        username="operator", pemda=pemda, role=Role.AGENCY_OPERATOR, agency=agencies[0]
    )
    now = timezone.now()
    worker_cols = ("pemda_id", "nik", "name", "birth_date", "sex", "village_id",
                   "occupation_id", "agency_id", "birth_place", "address", "rt", "rw",
                   "phone", "created_at")  # fmt: skip
    enrol_cols = ("pemda_id", "program_id", "worker_id", "agency_id", "village_id",
                  "funding_source_id", "kpj", "status", "start_month", "started_on",
                  "ended_on", "end_reason", "bpjs_reason", "imported", "version",
                  "created_at", "updated_at")  # fmt: skip
    people = []
    for i in range(participants):
        agency = agencies[i % len(agencies)]
        people.append(
            (
                f"3504{i:012d}",
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                agency.pk,
                rng.choice(villages),
                rng.choice(occupations),
                rng.choice(STATUSES),
                rng.choice(sources),
            )
        )
    with transaction.atomic():
        insert_rows(
            Worker,
            worker_cols,
            (
                (
                    pemda.pk,
                    nik,
                    name,
                    "1980-01-01",
                    "L",
                    village,
                    occ,
                    agency,
                    "",
                    "",
                    "",
                    "",
                    "",
                    now.isoformat(),
                )
                for nik, name, agency, village, occ, _s, _f in people
            ),
        )
    worker_ids = dict(Worker.objects.filter(pemda=pemda).values_list("nik", "pk"))
    with transaction.atomic():
        insert_rows(
            Enrolment,
            enrol_cols,
            (
                (
                    pemda.pk,
                    program.pk,
                    worker_ids[nik],
                    agency,
                    village,
                    source,
                    f"25{n:09d}" if status in ("active", "ended") else "",
                    status,
                    "2025-01-01",
                    "2025-02-01" if status in ("active", "ended") else None,
                    "2025-06-30" if status == "ended" else None,
                    "moved" if status == "ended" else "",
                    "",
                    False,
                    1,
                    now.isoformat(),
                    now.isoformat(),
                )
                for n, (nik, _name, agency, village, _o, status, source) in enumerate(people)
            ),
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "program": program,
        "admin": admin,
        "operator": operator,
        "agency": agencies[3],
        "district": villages[len(villages) // 2].rsplit(".", 1)[0],
        "occupation": occupations[2],
        "source": sources[1],
        "nik": people[participants // 3][0],
        "kpj": f"25{participants // 2:09d}",
    }


def _p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def _time_pages(data: dict[str, Any], runs: int) -> list[dict[str, Any]]:
    from django.test import Client
    from django.urls import reverse

    url = reverse("enrollment:participant_list")
    admin, operator = Client(SERVER_NAME="localhost"), Client(SERVER_NAME="localhost")
    admin.force_login(data["admin"])
    operator.force_login(data["operator"])
    cases: list[tuple[str, Client, str, dict[str, Any]]] = [
        ("page 1, no filter", admin, "get", {}),
        ("page 2", admin, "get", {"hal": 2}),
        ("name prefix 'SUP'", admin, "get", {"q": "SUP"}),
        ("name prefix 'SUPRIYANTO SA'", admin, "get", {"q": "SUPRIYANTO SA"}),
        ("name 'SUP', page 3", admin, "get", {"q": "SUP", "hal": 3}),
        ("KPJ", admin, "get", {"kpj": data["kpj"]}),
        ("NIK (POST)", admin, "post", {"nik": data["nik"]}),
        ("agency", admin, "get", {"instansi": data["agency"].pk}),
        ("district", admin, "get", {"wilayah": data["district"]}),
        ("occupation", admin, "get", {"pekerjaan": data["occupation"]}),
        ("status ended", admin, "get", {"status": "ended"}),
        ("funding source", admin, "get", {"sumber": data["source"]}),
        ("agency + status sent", admin, "get",
         {"instansi": data["agency"].pk, "status": "sent"}),
        ("operator, page 1", operator, "get", {}),
    ]  # fmt: skip
    results = []
    for label, client, method, params in cases:
        samples = []
        for i in range(runs + 1):
            start = time.perf_counter()
            response = getattr(client, method)(url, params)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{label}: HTTP {response.status_code}")
            if i:
                samples.append(elapsed)
        total = response.content.decode().count('class="card-title"')
        results.append(
            {
                "case": label,
                "p95_ms": round(_p95(samples), 1),
                "median_ms": round(statistics.median(samples), 1),
                "rows_shown": total,
            }
        )
        log(f"  {label:<30} p95 {_p95(samples):7.1f} ms  median "
            f"{statistics.median(samples):7.1f} ms  ({total} rows shown)")  # fmt: skip
    return results


def _time_cards(data: dict[str, Any], runs: int) -> list[float]:
    from lindung.enrollment.cards import cards_pdf
    from lindung.workers.models import Enrolment

    timings = []
    for _ in range(max(1, runs // 5)):
        start = time.perf_counter()
        enrolments = list(
            Enrolment.objects.filter(
                program=data["program"], agency=data["agency"], status="active"
            )
            .select_related("worker", "agency", "village", "funding_source", "program__pemda")
            .order_by("worker__name", "pk")[:CARDS]
        )
        pdf = cards_pdf(enrolments, title="Kartu peserta")
        timings.append(time.perf_counter() - start)
        log(f"  {len(enrolments)} cards: {timings[-1]:.1f} s, {len(pdf) / 1e6:.1f} MB")
    return timings


def _reload(saved: dict[str, Any]) -> dict[str, Any]:
    from lindung.accounts.models import Agency, User
    from lindung.programs.models import Program

    return {
        **saved,
        "program": Program.objects.get(pk=saved["program"]),
        "admin": User.objects.get(pk=saved["admin"]),
        "operator": User.objects.get(pk=saved["operator"]),
        "agency": Agency.objects.get(pk=saved["agency"]),
    }


def _instance(var_dir: Path, participants: int, seed: int) -> dict[str, Any]:
    """The built instance: read back from `var_dir` when an earlier --keep run built it."""
    saved_path = var_dir / "bench-participants.json"
    if saved_path.exists():
        saved = json.loads(saved_path.read_text())
        if saved["participants"] == participants:
            os.environ.update({"LINDUNG_ENV": "test", "LINDUNG_VAR_DIR": str(var_dir)})
            os.environ.update({"DJANGO_SETTINGS_MODULE": "lindung.settings"})
            os.environ.update({"ALLOWED_HOSTS": "localhost"})
            import django

            django.setup()
            logging.getLogger("weasyprint").setLevel(logging.WARNING)
            return _reload(saved)
        raise SystemExit(f"{var_dir} holds {saved['participants']} participants")
    started = time.perf_counter()
    fresh_database(var_dir, ALLOWED_HOSTS="localhost")
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    data = _build(participants, seed)
    log(f"{participants} participants built in {time.perf_counter() - started:.0f} s")
    saved = {k: getattr(v, "pk", v) for k, v in data.items()}
    saved_path.write_text(json.dumps({**saved, "participants": participants}))
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this directory")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    from bench_intake import machine

    with tempfile.TemporaryDirectory(prefix="lindung-bench-participants-") as tmp:
        var_dir = args.keep or Path(tmp)
        var_dir.mkdir(parents=True, exist_ok=True)
        data = _instance(var_dir, args.participants, args.seed)
        log("Participants register (test client, whole request):")
        pages = _time_pages(data, args.runs)
        log("Cards:")
        cards = _time_cards(data, args.runs)
    worst = max(p["p95_ms"] for p in pages)
    report = {
        "participants": args.participants,
        "runs": args.runs,
        "pages": pages,
        "worst_p95_ms": worst,
        "cards": CARDS,
        "cards_seconds": [round(s, 2) for s in cards],
        "machine": machine(),
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    ok = worst <= BAR_P95_MS and max(cards) <= BAR_CARDS_S
    log(
        f"worst p95 {worst:.1f} ms (bar {BAR_P95_MS:.0f}); cards {max(cards):.1f} s "
        f"(bar {BAR_CARDS_S:.0f}): {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
