"""The demo Pemda: Kabupaten Tulungagung's real region codes, the agencies that hand in its
lists (Dinas Perikanan, Perhubungan, Perdagangan, Satpol PP...), this year's program and one user
per role, with synthetic workers from our seeded generator; a DTKS snapshot and five agency
lists handed in and verified, so the review queues have work."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from lindung.accounts.models import Actor, Agency, AgencyKind, Pemda, Role, User
from lindung.accounts.services import agency_create, pemda_create, user_create
from lindung.demo.claims import death_day, demo_accidents, demo_death
from lindung.demo.enrollment import demo_enrollment, demo_refill, demo_restriction, demo_roster
from lindung.demo.generator import SyntheticWorker, generate_workers
from lindung.demo.money import demo_money_due, demo_money_paid
from lindung.demo.monitoring import demo_monitoring
from lindung.intake import services as intake
from lindung.intake.models import Submission
from lindung.programs.models import (
    BpjsFundingCode,
    FundingKind,
    Occupation,
    Program,
    ProgramStatus,
)
from lindung.programs.services import (
    funding_source_add,
    occupations_seed_defaults,
    program_create,
    quota_set,
)
from lindung.regions.models import Region, RegionLevel
from lindung.register.models import RegisterSource
from lindung.register.services import snapshot_load
from lindung.verification.models import VerificationRun
from lindung.verification.services import run_verification
from lindung.workers.models import Worker
from lindung.workers.services import workers_bulk_create

PEMDA_CODE = "tulungagung"
REGENCY_CODE = "35.04"
# Shared by every demo login; printed by `lindung demo`. Never used outside the demo.
DEMO_PASSWORD = "Lindung#Demo2025"  # noqa: S105 - published demo credential
SEED = 2025

# code, name, sector, occupations it proposes, quota, synthetic workers
OPDS = (
    (
        "disnakertrans",
        "Dinas Tenaga Kerja dan Transmigrasi",
        "Pekerja informal lainnya",
        ("Buruh Harian Lepas", "Kuli Bangunan", "Pemulung", "Tukang Pijat"),
        4000,
        60,
    ),
    (
        "perikanan",
        "Dinas Perikanan",
        "Nelayan dan pembudidaya ikan",
        ("Nelayan", "Pembudidaya Ikan"),
        5000,
        80,
    ),
    (
        "disperindag",
        "Dinas Perdagangan dan Perindustrian",
        "Pedagang",
        ("Pedagang Pasar", "Pedagang Kaki Lima", "Pedagang Keliling", "Tukang Bakso"),
        9000,
        120,
    ),
    (
        "dishub",
        "Dinas Perhubungan",
        "Transportasi",
        ("Pengemudi Ojek Online", "Pengemudi Ojek Pangkalan", "Sopir Angkutan", "Juru Parkir"),
        6000,
        100,
    ),
    ("satpolpp", "Satuan Polisi Pamong Praja", "Tukang becak", ("Tukang Becak",), 2500, 50),
    (
        "pertanian",
        "Dinas Pertanian dan Ketahanan Pangan",
        "Buruh tani dan tembakau (DBHCHT)",
        ("Buruh Tani", "Buruh Tani Tembakau", "Petani Tembakau"),
        8000,
        90,
    ),
)
# Villages of Kecamatan Besuki (35.04.15) hand in lists for their officials and RT/RW heads.
VILLAGE_DISTRICT = "35.04.15"
VILLAGE_OCCUPATIONS = ("Perangkat Desa", "Ketua RT", "Ketua RW")
VILLAGE_COUNT = 4
VILLAGE_QUOTA = 150
VILLAGE_WORKERS = 15

# Synthetic people with real Tulungagung region codes, in the shapes agencies and the register
# really deliver (data/README.md): a DTKS extract of 20.038 people and each agency's list.
DATA = Path(__file__).resolve().parent / "data"
REGISTER_FILE = "dtks-tulungagung.csv"
REGISTER_AS_OF = dt.date(2025, 3, 31)
# file, the username of the operator who hands it in
LISTS = (
    ("dinas-perikanan-nelayan.xlsx", "opd.perikanan"),
    ("dishub-ojol.xlsx", "opd.dishub"),
    ("satpolpp-becak.csv", "opd.satpolpp"),
    ("disperindag-pedagang.xls", "opd.disperindag"),
    ("desa-perangkat-rt-rw.ods", "desa.besole"),
)

STAFF = (
    ("admin", "Admin Disnaker", Role.ADMIN),
    ("verifikator", "Verifikator Disnaker", Role.VERIFIER),
    ("kadis", "Kepala Dinas", Role.APPROVER),
    ("keuangan", "Keuangan BPKAD", Role.FINANCE),
    ("bpjs", "Petugas BPJS Cabang Tulungagung", Role.BPJS_OFFICER),
    ("pimpinan", "Pimpinan Daerah", Role.LEADER),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


@dataclass(frozen=True)
class DemoResult:
    created: bool
    pemda: Pemda
    logins: list[DemoLogin]
    worker_count: int
    run: VerificationRun | None = None


def _logins(pemda: Pemda) -> list[DemoLogin]:
    users = User.objects.filter(pemda=pemda).select_related("agency").order_by("pk")
    return [
        DemoLogin(u.username, u.get_role_display(), u.agency.name if u.agency else pemda.name)
        for u in users
    ]


def demo_program_code(year: int) -> str:
    """The code of the demo's program of `year` (the demo makes this year's)."""
    return f"pekerja-rentan-{year}"


def demo_create(*, as_of: dt.date, lists: bool = True) -> DemoResult:
    """Create the demo Pemda once; when it exists already, change nothing. With `lists`, also
    load the DTKS snapshot, hand in the agencies' lists and verify them."""
    existing = Pemda.objects.filter(code=PEMDA_CODE).first()
    if existing is not None:
        return DemoResult(
            False, existing, _logins(existing), Worker.objects.filter(pemda=existing).count()
        )
    regency = Region.objects.filter(code=REGENCY_CODE, level=RegionLevel.REGENCY).first()
    if regency is None:
        raise LookupError("Wilayah Kemendagri belum dimuat: jalankan `lindung load-regions`.")
    actor = "demo"
    with transaction.atomic():
        pemda = pemda_create(
            actor=actor, code=PEMDA_CODE, name="Pemerintah Kabupaten Tulungagung", region=regency
        )
        occupations_seed_defaults(actor=actor, pemda=pemda)
        occupation_by_name = {o.name: o for o in Occupation.objects.filter(pemda=pemda)}
        agencies, village_agencies = _demo_agencies(actor=actor, pemda=pemda)
        program = _demo_program(
            actor=actor,
            pemda=pemda,
            agencies=agencies,
            village_agencies=village_agencies,
            occupations=occupation_by_name,
            year=as_of.year,
        )
        _demo_users(actor=actor, pemda=pemda, agencies=agencies, village_agencies=village_agencies)
        demo_monitoring(pemda=pemda, year=as_of.year)
        count = _demo_workers(
            pemda=pemda,
            agencies=agencies,
            village_agencies=village_agencies,
            occupations=occupation_by_name,
            as_of=as_of,
        )
        run = _demo_verification(pemda=pemda, program=program, as_of=as_of) if lists else None
    return DemoResult(True, pemda, _logins(pemda), count, run)


def _demo_agencies(*, actor: Actor, pemda: Pemda) -> tuple[dict[str, Agency], list[Agency]]:
    """The OPDs that hand in lists in Tulungagung by code, and the first villages of Kecamatan
    Besuki as agencies."""
    agencies = {
        code: agency_create(actor=actor, pemda=pemda, code=code, name=name, sector=sector)
        for code, name, sector, *_ in OPDS
    }
    villages = list(
        Region.objects.filter(code__startswith=VILLAGE_DISTRICT + ".", level=RegionLevel.VILLAGE)[
            :VILLAGE_COUNT
        ]
    )
    village_agencies = [
        agency_create(
            actor=actor,
            pemda=pemda,
            code=f"desa-{v.code.replace('.', '')}",
            name=f"{v.kind_label} {v.name}",
            kind=AgencyKind.VILLAGE,
            village=v,
            sector="Perangkat desa dan RT/RW",
        )
        for v in villages
    ]
    return agencies, village_agencies


def _demo_program(
    *,
    actor: Actor,
    pemda: Pemda,
    agencies: dict[str, Agency],
    village_agencies: list[Agency],
    occupations: dict[str, Occupation],
    year: int,
) -> Program:
    """The open program of this year (`as_of`'s) with its two funding sources (APBD for every
    agency, DBHCHT for the tobacco farm workers Dinas Pertanian proposes) and every agency's
    quota."""
    program = program_create(
        actor=actor,
        pemda=pemda,
        code=demo_program_code(year),
        name=f"Perlindungan Pekerja Rentan {year}",
        year=year,
        status=ProgramStatus.OPEN,
        perbup_number=f"Perbup Tulungagung No. 12 Tahun {year} (contoh)",
        mou_number=f"MoU 560/001/{year} (contoh)",
        pks_number=f"PKS 560/014/{year} (contoh)",
        bpjs_branch="BPJS Ketenagakerjaan Cabang Tulungagung",
        start_month=dt.date(year, 1, 1),
        coverage_months=12,
        benefits=["JKK", "JKM"],
        declared_income=1_000_000,
        quota=37_500,
        register_required=True,
        max_desil=5,
        min_age=18,
        max_age=64,
        residency_required=True,
        priority_policy=["renewal", "desil", "job_risk"],
        occupations=[occupations[n] for _c, _n, _s, names, *_r in OPDS for n in names]
        + [occupations[n] for n in VILLAGE_OCCUPATIONS],
    )
    # 37.500 × 12 × Rp 16.800 = Rp 7.560.000.000, split between the two sources.
    funding_source_add(
        actor=actor,
        program=program,
        name=f"APBD Disnakertrans {year}",
        kind=FundingKind.APBD,
        amount=4_536_000_000,
        bpjs_code=BpjsFundingCode.SG,
        code="apbd",
    )
    funding_source_add(
        actor=actor,
        program=program,
        name=f"DBHCHT {year}",
        kind=FundingKind.DBHCHT,
        amount=3_024_000_000,
        bpjs_code=BpjsFundingCode.SG,
        code="dbhcht",
        agency=agencies["pertanian"],  # tobacco farm workers are paid from the excise share
    )
    for code, _name, _sector, _occ, quota, _n in OPDS:
        quota_set(actor=actor, program=program, agency=agencies[code], quota=quota)
    for agency in village_agencies:
        quota_set(actor=actor, program=program, agency=agency, quota=VILLAGE_QUOTA)
    return program


def _demo_users(
    *, actor: Actor, pemda: Pemda, agencies: dict[str, Agency], village_agencies: list[Agency]
) -> None:
    """One login per staff role, one operator per OPD and one per village."""
    for username, full_name, role in STAFF:
        user_create(
            actor=actor,
            pemda=pemda,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            first_name=full_name,
        )
    for code, *_ in OPDS:
        user_create(
            actor=actor,
            pemda=pemda,
            username=f"opd.{code}",
            password=DEMO_PASSWORD,
            role=Role.AGENCY_OPERATOR,
            agency=agencies[code],
            first_name=f"Operator {agencies[code].name}",
        )
    for agency in village_agencies:
        assert agency.village is not None  # noqa: S101 - village agencies have one
        user_create(
            actor=actor,
            pemda=pemda,
            username=f"desa.{agency.village.search_key.replace(' ', '')}",
            password=DEMO_PASSWORD,
            role=Role.VILLAGE_OPERATOR,
            agency=agency,
            first_name=f"Operator {agency.name}",
        )


def _demo_verification(*, pemda: Pemda, program: Program, as_of: dt.date) -> VerificationRun:
    """Through the services a Pemda uses: BPJS's roster of the participants it already had,
    the DTKS extract loaded as a snapshot, each list uploaded and handed in by its agency's
    operator, one verification run, and the program year's enrollment up to `as_of`."""
    users = {u.username: u for u in User.objects.filter(pemda=pemda).select_related("agency")}
    demo_roster(program=program, users=users, as_of=as_of)
    register = DATA / REGISTER_FILE
    snapshot_load(
        actor=users["admin"],
        pemda=pemda,
        path=register,
        filename=register.name,
        source=RegisterSource.DTKS,
        # A snapshot cannot be dated after today (the demo's tests travel back in time).
        as_of=min(REGISTER_AS_OF, as_of),
    )
    for filename, username in LISTS:
        operator = users[username]
        assert operator.agency is not None  # noqa: S101 - operators always have one
        _hand_in(operator, program, operator.agency, DATA / filename)
    run = run_verification(actor=users["verifikator"], program=program)
    _demo_year(program=program, users=users, as_of=as_of)
    return run


def _demo_year(*, program: Program, users: dict[str, User], as_of: dt.date) -> None:
    """The year up to `as_of`, in the order it happened: enrollment; the months billed and
    paid up to a participant's death; the death reported as a claim (ending the enrolment)
    and the refill it frees; the months since (the last one unpaid) and BPJS's bill for it
    reconciled; two work accidents."""
    demo_enrollment(program=program, users=users, as_of=as_of)
    died_on = death_day(program, as_of)
    demo_money_paid(program=program, users=users, as_of=as_of, through=died_on.replace(day=1))
    demo_death(program=program, users=users, as_of=as_of)
    demo_refill(program=program, users=users, as_of=as_of)
    demo_money_paid(program=program, users=users, as_of=as_of, through=as_of)
    demo_money_due(program=program, users=users, as_of=as_of)
    demo_accidents(program=program, users=users, as_of=as_of)
    demo_restriction(program=program, users=users, as_of=as_of)


def _hand_in(operator: User, program: Program, agency: Agency, path: Path) -> Submission:
    uploaded, _created = intake.upload_receive(
        actor=operator,
        program=program,
        agency=agency,
        stream=[path.read_bytes()],
        filename=path.name,
    )
    job = intake.job_create(
        actor=operator,
        uploaded=uploaded,
        layouts=intake.file_analyse(uploaded),
        draft=False,
        enqueue=False,
    )
    job = intake.job_run(job_id=job.pk)
    if job.submission is None:
        raise LookupError(f"Daftar demo {path.name} tidak dapat diimpor: {job.message}")
    return job.submission


def _demo_workers(
    *,
    pemda: Pemda,
    agencies: dict[str, Agency],
    village_agencies: list[Agency],
    occupations: dict[str, Occupation],
    as_of: dt.date,
) -> int:
    villages = list(
        Region.objects.filter(
            code__startswith=REGENCY_CODE + ".", level=RegionLevel.VILLAGE
        ).values_list("code", "name")
    )
    batches: list[tuple[Agency, list[Worker]]] = []
    for offset, (code, _name, _sector, names, _quota, count) in enumerate(OPDS):
        people = generate_workers(
            seed=SEED + offset, count=count, villages=villages, occupations=names, as_of=as_of
        )
        batches.append((agencies[code], [_worker(p, agencies[code], occupations) for p in people]))
    for offset, agency in enumerate(village_agencies, start=100):
        assert agency.village is not None  # noqa: S101 - village agencies have one
        people = generate_workers(
            seed=SEED + offset,
            count=VILLAGE_WORKERS,
            villages=[(agency.village.code, agency.village.name)],
            occupations=VILLAGE_OCCUPATIONS,
            as_of=as_of,
        )
        batches.append((agency, [_worker(p, agency, occupations) for p in people]))
    return sum(
        workers_bulk_create(
            actor="demo",
            pemda=pemda,
            workers=workers,
            agency=agency,
            source=f"Data demo {agency.name}",
        )
        for agency, workers in batches
    )


def _worker(p: SyntheticWorker, agency: Agency, occupations: dict[str, Occupation]) -> Worker:
    return Worker(
        nik=p.nik,
        name=p.name,
        birth_place=p.birth_place,
        birth_date=p.birth_date,
        sex=p.sex,
        address=p.address,
        rt=p.rt,
        rw=p.rw,
        village_id=p.village_code,
        occupation=occupations.get(p.occupation),
        phone=_stored_phone(p.phone),
        agency=agency,
    )


def _stored_phone(written: str) -> str:
    """The generator writes numbers as people type them ("+62 823-4316-11422", 18 characters);
    store the digits in the 08… form, which fits Worker.phone (PostgreSQL enforces its 16
    characters, SQLite does not)."""
    digits = re.sub(r"[^0-9]", "", written)
    return "0" + digits[2:] if digits.startswith("62") else digits
