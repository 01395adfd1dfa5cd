from __future__ import annotations

from django.db.models import Q, QuerySet

from lindung.accounts.access import get_scoped_or_404, scope_to_user
from lindung.accounts.models import User
from lindung.intake.models import (
    ImportJob,
    RowOutcome,
    Submission,
    SubmissionRow,
    UploadedFile,
)


def submission_list(
    *, user: User, program_id: int | None = None, status: str | None = None
) -> QuerySet[Submission]:
    """An agency sees only its own submissions; Disnaker roles see all of the Pemda's."""
    qs = scope_to_user(
        Submission.objects.select_related("program", "agency", "file"),
        user,
        agency_field="agency",
    )
    if program_id:
        qs = qs.filter(program_id=program_id)
    if status:
        qs = qs.filter(status=status)
    return qs


def submission_get(*, user: User, pk: int) -> Submission:
    return get_scoped_or_404(submission_list(user=user), pk=pk)


def job_of_file(*, user: User, file_pk: int) -> ImportJob:
    """The latest import of an uploaded file into a new submission."""
    jobs = scope_to_user(
        ImportJob.objects.select_related("file", "submission"), user, agency_field="agency"
    ).filter(file_id=file_pk, target=None)
    return get_scoped_or_404(jobs, pk=jobs.order_by("-pk").values("pk")[:1])


def job_of_submission(*, user: User, submission_pk: int) -> ImportJob:
    """The latest job of a submission: its latest correction, or else the import that made it."""
    jobs = scope_to_user(
        ImportJob.objects.select_related("file", "submission"), user, agency_field="agency"
    ).filter(Q(target_id=submission_pk) | Q(submission_id=submission_pk))
    return get_scoped_or_404(jobs, pk=jobs.order_by("-pk").values("pk")[:1])


def submission_rows(
    *, submission: Submission, outcome: str | None = None, query: str = ""
) -> QuerySet[SubmissionRow]:
    qs = submission.rows.select_related("village", "district", "occupation")
    if outcome in RowOutcome.values:
        qs = qs.filter(outcome=outcome)
    elif outcome == "issues":
        qs = qs.filter(outcome__in=[RowOutcome.REJECTED, RowOutcome.ACCEPTED_WITH_WARNINGS])
    query = query.strip()
    if query.isdigit() and len(query) <= 6:
        qs = qs.filter(Q(row_number=int(query)) | Q(nik__startswith=query))
    elif query.isdigit():
        qs = qs.filter(nik__startswith=query)
    elif query:
        qs = qs.filter(name__icontains=query)
    return qs.order_by("sheet", "row_number")


def row_get(*, user: User, pk: int) -> SubmissionRow:
    rows = scope_to_user(
        SubmissionRow.objects.select_related("submission__program"), user, agency_field="agency"
    )
    return get_scoped_or_404(rows, pk=pk)


def upload_get(*, user: User, pk: int) -> UploadedFile:
    files = scope_to_user(
        UploadedFile.objects.select_related("program", "agency"), user, agency_field="agency"
    )
    return get_scoped_or_404(files, pk=pk)


def job_get(*, user: User, pk: int) -> ImportJob:
    jobs = scope_to_user(
        ImportJob.objects.select_related("file", "submission"), user, agency_field="agency"
    )
    return get_scoped_or_404(jobs, pk=pk)
