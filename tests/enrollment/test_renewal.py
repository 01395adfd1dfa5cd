"""Renewal: last year's participants handed into the new program year as candidates, once,
then re-verified and marked as renewals."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.services import renewal_candidates_create
from lindung.intake.models import Submission, SubmissionRow, SubmissionSource, SubmissionStatus
from lindung.verification.models import RowVerdict
from lindung.verification.services import run_verification
from lindung.workers.models import EndReason, EnrolmentStatus
from tests.factories import EnrolmentFactory, ProgramFactory, WorkerFactory


@pytest.fixture
def new_year(program):
    """`program` is 2025; the 2026 program takes last year's participants."""
    return ProgramFactory(
        pemda=program.pemda, code="pekerja-rentan-2026", year=2026,
        start_month=dt.date(2026, 1, 1),
    )  # fmt: skip


@pytest.fixture
def last_year(program, agency, other_agency):
    """Four people in 2025: two active (one per agency), one ended because the program
    ended, one who died, one rejected by BPJS."""

    def enrol(nik, agency_, **fields):
        worker = WorkerFactory(
            pemda=program.pemda, nik=nik, name=f"Pekerja {nik[-2:]}", village_id="35.04.15.2001",
            birth_date=dt.date(1980, 1, 1),
        )  # fmt: skip
        return EnrolmentFactory(program=program, worker=worker, agency=agency_, **fields)

    enrol("3504150101800001", agency)
    enrol("3504150101800002", other_agency)
    enrol("3504150101800003", agency, status=EnrolmentStatus.ENDED,
          ended_on=dt.date(2025, 12, 31), end_reason=EndReason.PROGRAM_ENDED)  # fmt: skip
    enrol("3504150101800004", agency, status=EnrolmentStatus.ENDED,
          ended_on=dt.date(2025, 6, 3), end_reason=EndReason.DECEASED)  # fmt: skip
    enrol("3504150101800005", agency, status=EnrolmentStatus.REJECTED)


def test_last_years_active_participants_are_handed_in_per_agency(
    new_year, last_year, verifier, agency, other_agency
):
    outcome = renewal_candidates_create(actor=verifier, program=new_year)

    assert outcome.created == 3
    submissions = Submission.objects.filter(program=new_year).order_by("agency__name")
    assert [(s.agency, s.source, s.status, s.rows_total) for s in submissions] == [
        (other_agency, SubmissionSource.RENEWAL, SubmissionStatus.SUBMITTED, 1),
        (agency, SubmissionSource.RENEWAL, SubmissionStatus.SUBMITTED, 2),
    ]
    rows = SubmissionRow.objects.filter(submission__program=new_year).order_by("nik")
    assert [r.nik[-1] for r in rows] == ["1", "2", "3"]
    first = rows[0]
    assert (first.name, first.birth_date, first.village_id, first.district_id) == (
        "Pekerja 01", dt.date(1980, 1, 1), "35.04.15.2001", "35.04.15",
    )  # fmt: skip
    assert first.raw[0] == "3504150101800001"
    assert AuditEvent.objects.filter(action="renewal.candidates_created").count() == 1


def test_running_it_twice_adds_nothing(new_year, last_year, verifier):
    renewal_candidates_create(actor=verifier, program=new_year)
    again = renewal_candidates_create(actor=verifier, program=new_year)
    assert again.created == 0
    assert SubmissionRow.objects.filter(submission__program=new_year).count() == 3


def test_verification_marks_the_handed_in_people_as_renewals(new_year, last_year, verifier):
    renewal_candidates_create(actor=verifier, program=new_year)
    run = run_verification(actor=verifier, program=new_year)
    codes = [{f["code"] for f in v.findings} for v in RowVerdict.objects.filter(run=run)]
    assert len(codes) == 3
    assert all("renewal" in c for c in codes)


def test_without_a_previous_program_it_is_refused(program, verifier):
    with pytest.raises(ServiceError, match="tahun sebelumnya"):
        renewal_candidates_create(actor=verifier, program=program)


def test_an_agency_operator_may_not_start_it(new_year, last_year, operator):
    with pytest.raises(ServiceError, match="Hanya verifikator"):
        renewal_candidates_create(actor=operator, program=new_year)
