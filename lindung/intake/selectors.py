from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum

from lindung.accounts.access import get_scoped_or_404, scope_to_user
from lindung.accounts.models import Agency, User
from lindung.intake.models import (
    FeedbackExport,
    ImportJob,
    RowOutcome,
    Submission,
    SubmissionRow,
    SubmissionStatus,
    UploadedFile,
)
from lindung.programs.models import Program, Quota


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


def feedback_exports(*, user: User, submission: Submission) -> QuerySet[FeedbackExport]:
    """The feedback files `user` asked for of `submission`, newest first."""
    return FeedbackExport.objects.filter(submission=submission, requested_by=user)


def feedback_export_get(*, user: User, pk: int) -> FeedbackExport:
    """A feedback file, only to the user who asked for it and while they may still see its
    submission (its verification notes were written for that user)."""
    exports = scope_to_user(
        FeedbackExport.objects.select_related("submission__agency").filter(requested_by=user),
        user,
        agency_field="agency",
    )
    return get_scoped_or_404(exports, pk=pk)


@dataclass(frozen=True)
class QuotaUsage:
    """An agency's quota in a program and the eligible rows (accepted, with or without notes)
    of its lists: handed in (submitted or in verification) and still in drafts. With a list
    in view, `list_rows` and `list_over_by` say how far that list exceeds what is left."""

    quota: int | None  # None: no quota set for the agency
    handed_in: int
    in_drafts: int
    list_rows: int = 0
    list_over_by: int = 0

    @property
    def remaining(self) -> int | None:
        return None if self.quota is None else max(self.quota - self.handed_in, 0)

    @property
    def over_by(self) -> int:
        """How far the handed-in lists exceed the quota (0 when within it)."""
        return 0 if self.quota is None else max(self.handed_in - self.quota, 0)

    @property
    def with_drafts_over_by(self) -> int:
        """How far the handed-in lists and the drafts together exceed the quota."""
        if self.quota is None:
            return 0
        return max(self.handed_in + self.in_drafts - self.quota, 0)


def agency_quota_usage(
    *, user: User, program: Program, submission: Submission | None = None
) -> QuotaUsage:
    """The quota in `program` of the user's agency, or of the agency of `submission` (a list
    the user may already see): set per agency, or for a village on its desa/kelurahan."""
    agency: Agency | None = submission.agency if submission is not None else user.agency
    if agency is None or agency.pemda_id != user.pemda_id or program.pemda_id != user.pemda_id:
        return QuotaUsage(quota=None, handed_in=0, in_drafts=0)
    quota = Quota.objects.filter(program=program, agency=agency, region__isnull=True).first()
    if quota is None and agency.village_id:
        quota = Quota.objects.filter(
            program=program, agency__isnull=True, region_id=agency.village_id
        ).first()
    eligible = F("accepted") + F("accepted_with_warnings")
    lists = Submission.objects.filter(program=program, agency=agency)
    if submission is not None:
        lists = lists.exclude(pk=submission.pk)
    totals = lists.aggregate(
        handed_in=Sum(eligible, filter=~Q(status=SubmissionStatus.DRAFT)),
        in_drafts=Sum(eligible, filter=Q(status=SubmissionStatus.DRAFT)),
    )
    handed_in, in_drafts = totals["handed_in"] or 0, totals["in_drafts"] or 0
    list_rows = list_over_by = 0
    if submission is not None:
        list_rows = submission.accepted + submission.accepted_with_warnings
        if quota is not None:
            list_over_by = max(list_rows - max(quota.quota - handed_in, 0), 0)
        if submission.status == SubmissionStatus.DRAFT:
            in_drafts += list_rows
        else:
            handed_in += list_rows
    return QuotaUsage(
        quota=quota.quota if quota else None,
        handed_in=handed_in,
        in_drafts=in_drafts,
        list_rows=list_rows,
        list_over_by=list_over_by,
    )


def submission_summary(*, user: User) -> dict[str, int]:
    """Submissions the user may see, by state, and rows still rejected in drafts."""
    submissions = submission_list(user=user)
    by_status = dict(submissions.values_list("status").annotate(n=Count("pk")).order_by())
    drafts = submissions.filter(status=SubmissionStatus.DRAFT)
    return {
        "draft": by_status.get(SubmissionStatus.DRAFT, 0),
        "submitted": by_status.get(SubmissionStatus.SUBMITTED, 0),
        "in_verification": by_status.get(SubmissionStatus.IN_VERIFICATION, 0),
        "rejected_in_drafts": drafts.aggregate(n=Sum("rejected"))["n"] or 0,
    }
