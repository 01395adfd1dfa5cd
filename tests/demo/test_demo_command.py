"""`lindung demo`: the Tulungagung demo Pemda, built once, with synthetic workers whose NIKs
are well formed, one login per role, a DTKS snapshot with five agency lists handed in and
verified, and the program year in progress (existing participants, an approved allocation sent
to BPJS and read back, a waiting list, a refill proposal)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from lindung.accounts.models import Agency, AgencyKind, Pemda, Role, User
from lindung.audit.models import AuditEvent
from lindung.common.jobs import JobStatus
from lindung.demo import enrollment as demo_enrollment
from lindung.demo import services as demo_services
from lindung.demo.services import demo_create
from lindung.domain.nik import parse_nik
from lindung.enrollment.models import Allocation, AllocationKind, AllocationStatus
from lindung.intake.models import Submission, SubmissionStatus
from lindung.programs.models import FundingSource, Occupation, Program, Quota
from lindung.register.models import RegisterSnapshot
from lindung.rules.models import RuleVersion
from lindung.verification.models import RowVerdict, VerificationRun
from lindung.workers.models import Enrolment, EnrolmentStatus, Worker
from lindung.workers.selectors import worker_list

TODAY = dt.date(2025, 6, 2)
DEMO_PASSWORD = "Lindung#Demo2025"  # published demo credential, printed by the command


def _demo() -> str:
    out = StringIO()
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, tzinfo=dt.UTC), tick=False):
        call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def tulungagung(db) -> Pemda:
    """The demo Pemda without its lists and verification (quicker, for what precedes them)."""
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, tzinfo=dt.UTC), tick=False):
        return demo_create(as_of=TODAY, lists=False).pemda


def test_the_demo_is_tulungagung_with_its_opds_and_four_villages_of_besuki(tulungagung):
    agencies = Agency.objects.filter(pemda=tulungagung)
    opds = set(agencies.filter(kind=AgencyKind.OPD).values_list("code", flat=True))
    villages = agencies.filter(kind=AgencyKind.VILLAGE)

    assert tulungagung.region_id == "35.04"
    assert opds == {"perikanan", "dishub", "disperindag", "satpolpp", "pertanian", "disnakertrans"}
    assert villages.count() == 4
    assert all(v.village.code.startswith("35.04.15.") for v in villages)


def test_the_demo_program_is_funded_for_its_full_quota(tulungagung):
    program = Program.objects.get(pemda=tulungagung)
    sources = FundingSource.objects.filter(program=program)

    assert program.code == "pekerja-rentan-2025"
    assert program.benefits == ["JKK", "JKM"]
    assert (program.declared_income, program.quota) == (1_000_000, 37_500)
    assert set(sources.values_list("kind", flat=True)) == {"apbd", "dbhcht"}
    # 37.500 people × 12 months × Rp 16.800 (PP 44/2015 Pasal 20; PP 82/2019)
    # = Rp 7.560.000.000 = Rp 4.536.000.000 APBD + Rp 3.024.000.000 DBHCHT.
    assert sum(sources.values_list("amount", flat=True)) == 7_560_000_000
    # Quotas handed to agencies stay within the program's 37.500.
    assert sum(Quota.objects.filter(program=program).values_list("quota", flat=True)) <= 37_500


def test_the_demo_has_a_login_for_every_role(tulungagung):
    roles = set(User.objects.filter(pemda=tulungagung).values_list("role", flat=True))

    assert roles == set(Role.values)
    assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)


def test_every_demo_worker_has_a_valid_nik_matching_birth_date_and_sex(tulungagung):
    workers = list(Worker.objects.filter(pemda=tulungagung))

    assert len(workers) >= 500
    for worker in workers:
        nik = parse_nik(worker.nik, as_of=TODAY)
        assert nik.valid, (worker.nik, [e.message for e in nik.errors])
        assert (nik.birth_date, nik.sex) == (worker.birth_date, worker.sex), worker.nik


def test_every_demo_value_fits_its_column(tulungagung):
    # SQLite does not enforce max_length; PostgreSQL refuses the whole demo if one is too long.
    text_fields = [f for f in Worker._meta.get_fields() if getattr(f, "max_length", None)]
    workers = list(Worker.objects.filter(pemda=tulungagung))
    assert workers, "the demo made no workers"
    assert text_fields
    for worker in workers:
        for field in text_fields:
            value = getattr(worker, field.attname) or ""
            assert len(value) <= field.max_length, (field.name, value)


def test_each_operator_sees_only_the_workers_of_their_agency(tulungagung):
    operators = User.objects.filter(
        pemda=tulungagung, role__in=[Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR]
    )

    assert operators.count() == 10
    for operator in operators:
        theirs = worker_list(user=operator)
        assert theirs.exists(), operator.username
        assert set(theirs.values_list("agency_id", flat=True)) == {operator.agency_id}
    assert not Worker.objects.filter(pemda=tulungagung, agency__isnull=True).exists()


def test_the_output_lists_every_login_and_the_password(demo, tulungagung):
    assert "Pemda demo dibuat" in demo
    assert f"Kata sandi: {DEMO_PASSWORD}" in demo
    usernames = list(User.objects.filter(pemda=tulungagung).values_list("username", flat=True))
    assert len(usernames) >= 16
    for username in usernames:
        assert f"  {username} " in demo


def _counts() -> dict[str, int]:
    models = (
        Pemda,
        Agency,
        User,
        Program,
        FundingSource,
        Quota,
        Occupation,
        Worker,
        RuleVersion,
        AuditEvent,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_running_the_demo_again_changes_nothing(demo):
    before = _counts()

    again = _demo()

    assert _counts() == before
    assert "sudah ada" in again
    assert "Pemda demo dibuat" not in again


# --- the register, the agency lists and their verification --------------------------------


def test_the_demo_loads_the_dtks_snapshot_dated_no_later_than_today(demo):
    snapshot = RegisterSnapshot.objects.get()

    assert (snapshot.source, snapshot.rows, snapshot.rejected) == ("dtks", 20_038, 0)
    # The snapshot is dated 31-03-2025, never after the day the demo is made (02-06-2025).
    assert snapshot.as_of == dt.date(2025, 3, 31)
    assert snapshot.loaded_by == User.objects.get(username="admin")


def test_each_agency_hands_in_its_list_through_intake(demo):
    submissions = Submission.objects.select_related("agency", "file", "created_by")

    assert {(s.agency.code, s.file.original_name) for s in submissions} == {
        ("perikanan", "dinas-perikanan-nelayan.xlsx"),
        ("dishub", "dishub-ojol.xlsx"),
        ("satpolpp", "satpolpp-becak.csv"),
        ("disperindag", "disperindag-pedagang.xls"),
        ("desa-3504152001", "desa-perangkat-rt-rw.ods"),
    }
    assert {s.status for s in submissions} == {SubmissionStatus.IN_VERIFICATION}
    assert all(s.created_by.agency_id == s.agency_id for s in submissions)
    # 600 + 900 + 400 + 500 + 60 data rows; blank and total rows are counted apart.
    assert sum(s.rows_total - s.ignored for s in submissions) == 2_460


def test_the_verification_leaves_probable_matches_and_cross_agency_duplicates_to_review(demo):
    run = VerificationRun.objects.get()
    verdicts = RowVerdict.objects.filter(run=run)

    assert run.status == JobStatus.DONE
    assert run.started_by == User.objects.get(username="verifikator")
    assert verdicts.count() == 2_460
    assert verdicts.filter(review_match=True).count() >= 100
    awaiting = verdicts.filter(review_duplicate=True)
    groups = {v.group for v in awaiting}
    assert len(groups) >= 20
    assert any(
        len(set(awaiting.filter(group=g).values_list("agency_id", flat=True))) > 1 for g in groups
    )
    assert "Verifikasi demo: 2460 baris usulan dari 5 daftar" in demo


def test_the_demo_reads_its_data_from_the_product_itself():
    for name in (demo_services.REGISTER_FILE, *(f for f, _user in demo_services.LISTS)):
        path = demo_services.DATA / name
        assert path.is_file(), path
        assert path.resolve().is_relative_to(Path(demo_services.__file__).resolve().parent)


def test_the_demo_year_is_in_progress_with_participants_a_waiting_list_and_a_proposal(demo):
    program = Program.objects.get()
    enrolments = Enrolment.objects.filter(program=program)
    # BPJS's roster of the Pemda's existing participants, every one active with a KPJ.
    imported = enrolments.filter(imported=True)
    assert imported.count() == demo_enrollment.ROSTER_SIZE
    assert not imported.exclude(status=EnrolmentStatus.ACTIVE).exists()
    # The APBD money left after the roster (4.536.000.000 - 22.480 × 12 × 16.800 = 4.032.000)
    # pays for 20 candidates from January; the rest wait for money.
    first = Allocation.objects.get(kind=AllocationKind.ALLOCATION)
    assert (first.status, first.allocated, first.cost) == (AllocationStatus.APPROVED, 20, 4_032_000)
    assert first.waiting > 0
    assert set(first.lines.filter(outcome="waiting").values_list("wait_reason", flat=True)) == {
        "budget"
    }
    # BPJS accepted 18 with a KPJ and rejected 2 with its reason; one of the 18 died in April
    # (reported as a claim: lindung.demo.claims).
    new = enrolments.filter(imported=False)
    assert new.filter(status=EnrolmentStatus.ACTIVE).exclude(kpj="").count() == 17
    assert set(
        new.filter(status=EnrolmentStatus.REJECTED).values_list("bpjs_reason", flat=True)
    ) == {demo_enrollment.REJECTION_REASON}
    ended = new.get(status=EnrolmentStatus.ENDED)
    assert (ended.end_reason, ended.ended_on) == ("deceased", dt.date(2025, 4, 14))
    assert ended.worker.died_on == dt.date(2025, 4, 14)
    # The place and money freed wait for the Kepala Dinas as a refill from June.
    refill = Allocation.objects.get(kind=AllocationKind.REFILL)
    assert (refill.status, refill.start_month) == (AllocationStatus.PROPOSED, dt.date(2025, 6, 1))
    assert refill.allocated > 0


def test_the_demo_loads_the_working_population_of_every_district_and_a_target(tulungagung):
    from lindung.monitoring.models import CoverageTarget, Workforce
    from lindung.programs.models import Program

    program = Program.objects.get(pemda=tulungagung)
    figures = Workforce.objects.filter(pemda=tulungagung, year=program.year)
    assert figures.count() == 19  # every district of Tulungagung, the "Jumlah" row ignored
    assert sum(figures.values_list("working", flat=True)) == 569_150
    assert CoverageTarget.objects.get(pemda=tulungagung).province_rate == Decimal("33.40")
