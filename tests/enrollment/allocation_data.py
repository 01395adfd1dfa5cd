"""Hand-made candidates for the allocation tests: handed-in rows with verdicts in a finished
verification run, written straight into the tables (verification itself is tested
elsewhere)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lindung.common.jobs import JobStatus
from lindung.intake.models import (
    RowOutcome,
    Submission,
    SubmissionRow,
    SubmissionSource,
    SubmissionStatus,
)
from lindung.verification.models import Outcome, RowVerdict, Verdict, VerificationRun

HANDED_IN = dt.datetime(2025, 8, 1, 8, 0, tzinfo=dt.UTC)


def finished_run(program) -> VerificationRun:
    return VerificationRun.objects.create(
        pemda=program.pemda, program=program, status=JobStatus.DONE, finished_at=timezone.now()
    )


def candidates(
    run, agency, count, *, first=1, verdict=Verdict.ELIGIBLE, renewal=(), desil=None,
    village=None, handed_in=HANDED_IN, birth_date=dt.date(1980, 1, 1),
):  # fmt: skip
    """`count` rows handed in by `agency` with NIKs 3504010101800001 + first …; `renewal`
    holds the numbers marked as last year's participants."""
    program = run.program
    submission = Submission.objects.create(
        pemda=program.pemda, program=program, agency=agency, source=SubmissionSource.UPLOAD,
        status=SubmissionStatus.IN_VERIFICATION, submitted_at=handed_in,
    )  # fmt: skip
    rows = []
    for n in range(first, first + count):
        rows.append(
            SubmissionRow(
                pemda=program.pemda,
                submission=submission,
                agency=agency,
                row_number=n,
                nik=f"35040101018{n:05d}",
                name=f"Pekerja {n}",
                birth_date=birth_date,
                village_id=village,
                outcome=RowOutcome.ACCEPTED,
            )
        )
    SubmissionRow.objects.bulk_create(rows)
    verdicts = []
    for row in SubmissionRow.objects.filter(submission=submission).order_by("row_number"):
        findings = [{"code": "in_register", "message": "Ada di DTKS."}]
        if row.row_number in renewal:
            findings.append({"code": "renewal", "message": "Peserta program tahun 2024."})
        verdicts.append(
            RowVerdict(
                run=run,
                pemda=program.pemda,
                agency=agency,
                submission=submission,
                row=row,
                outcome=Outcome.IN_REGISTER,
                verdict=verdict,
                findings=findings,
                match="exact",
                desil=desil,
            )
        )
    RowVerdict.objects.bulk_create(verdicts)
    return submission
