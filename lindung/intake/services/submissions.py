"""A submission's life: single rows corrected, walk-in entries, hand-in, deletion of a draft,
the start of verification; each change audited and checked against the version."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Agency, Role
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ConflictError, ServiceError
from lindung.common.jobs import JobStatus
from lindung.intake.models import (
    ImportJob,
    RowRevision,
    Submission,
    SubmissionRow,
    SubmissionSource,
    SubmissionStatus,
    UploadedFile,
)
from lindung.intake.recognise import (
    FIELD_LABELS,
)
from lindung.intake.rowcheck import (
    RowResult,
    check_row,
)
from lindung.intake.services.base import ENTRY_FIELDS, user_or_none
from lindung.intake.services.rows import (
    check_can_submit,
    check_context,
    duplicate_in_submission,
    issues_of,
    jsonable_cell,
    program_occupation_check,
    raw_with,
    revise,
    row_fields,
    submission_recount,
    touch_draft,
    transition,
)
from lindung.intake.services.uploads import uploaded_path
from lindung.programs.models import Program

# --- Corrections, entries and states ---------------------------------------------------


def row_correct(
    *, actor: Actor, row: SubmissionRow, values: Mapping[str, object], revision: int
) -> SubmissionRow:
    """Correct a row in the browser: re-check the new values; the old state is kept."""
    if not row.submission.is_editable:
        raise ServiceError(_("Usulan sudah diserahkan dan terkunci."))
    program = row.submission.program
    result = program_occupation_check(program)(
        check_row(row.row_number, dict(values), context=check_context(program))
    )
    duplicate = duplicate_in_submission(row.submission, result, exclude=row.pk)
    if duplicate is not None:
        result = duplicate
    with transaction.atomic():
        touch_draft(row.submission)
        if not SubmissionRow.objects.filter(pk=row.pk, revision=revision).exists():
            raise ConflictError()
        before = {"outcome": row.outcome, "nik": row.nik, "name": row.name}
        revise(
            row,
            raw=raw_with(row, values),
            result=result,
            source="edit",
            actor=actor,
        )
        submission_recount(row.submission)
        audit_record(
            actor=actor,
            action="submission_row.corrected",
            obj=row,
            pemda=row.submission.pemda,
            changes={
                "outcome": [before["outcome"], row.outcome],
                "nik": [before["nik"], row.nik],
                "name": [before["name"], row.name],
            },
        )
    return row


class EntryRejected(ServiceError):
    """A walk-in entry that would be rejected, not saved: the form keeps what was typed, with
    the reasons, to be fixed."""

    def __init__(self, result: RowResult) -> None:
        super().__init__(_("Belum disimpan: %(r)s") % {"r": result.reasons})
        self.result = result

    @property
    def duplicate(self) -> bool:
        return any(issue.code == "dup_in_file" for issue in self.result.issues)


def _open_entry_batch(program: Program, agency: Agency) -> Submission | None:
    return Submission.objects.filter(
        program=program,
        agency=agency,
        source=SubmissionSource.ENTRY,
        status=SubmissionStatus.DRAFT,
    ).first()


def entry_check(
    *, program: Program, agency: Agency | None, values: Mapping[str, object]
) -> RowResult:
    """What a walk-in entry would get if saved now (the live check; writes nothing): the row's
    own checks and, when the agency is known, its NIK against the agency's open entry batch."""
    result = program_occupation_check(program)(
        check_row(0, dict(values), context=check_context(program))
    )
    batch = _open_entry_batch(program, agency) if agency is not None else None
    if batch is not None:
        result = duplicate_in_submission(batch, result, exclude=None) or result
    return result


def entry_add(
    *,
    actor: Actor,
    program: Program,
    agency: Agency,
    values: Mapping[str, object],
    keep_rejected: bool = True,
) -> SubmissionRow:
    """A walk-in worker typed in by the operator: appended to the agency's open entry batch.

    With `keep_rejected=False` (the entry page's first save), an entry that would be rejected
    (a NIK already in the batch among the reasons) is not saved but raised as EntryRejected,
    so the operator fixes it in the form. `keep_rejected=True` records it as rejected, to be
    fixed later like a rejected row of a file."""
    check_can_submit(program=program, agency=agency)
    context = check_context(program)
    with transaction.atomic():
        submission, _created = Submission.objects.get_or_create(
            pemda_id=program.pemda_id,
            program=program,
            agency=agency,
            source=SubmissionSource.ENTRY,
            status=SubmissionStatus.DRAFT,
            defaults={
                "created_by": user_or_none(actor),
                "layout": {
                    "sheets": [
                        {
                            "name": "",
                            "header_row": 0,
                            "headers": [str(FIELD_LABELS.get(f, f)) for f in ENTRY_FIELDS],
                            "columns": {f: i for i, f in enumerate(ENTRY_FIELDS)},
                        }
                    ]
                },
            },
        )
        # Serialises concurrent entries into the batch (the row numbers are max + 1).
        touch_draft(submission)
        number = (
            submission.rows.order_by("-row_number").values_list("row_number", flat=True).first()
            or 0
        ) + 1
        result = program_occupation_check(program)(check_row(number, dict(values), context=context))
        duplicate = duplicate_in_submission(submission, result, exclude=None)
        if duplicate is not None:
            result = duplicate
        if result.outcome == "rejected" and not keep_rejected:
            raise EntryRejected(result)  # rolls back a batch opened for this entry
        row = SubmissionRow.objects.create(
            pemda_id=program.pemda_id,
            submission=submission,
            agency=agency,
            sheet="",
            row_number=number,
            raw=[jsonable_cell(values.get(f, "")) for f in ENTRY_FIELDS],
            outcome=result.outcome,
            issues=issues_of(result),
            **row_fields(result),
        )
        submission_recount(submission)
        audit_record(
            actor=actor,
            action="submission_row.entered",
            obj=row,
            pemda=program.pemda,
            changes={"outcome": row.outcome, "name": row.name},
        )
    return row


def submission_submit(*, actor: Actor, submission: Submission) -> Submission:
    """Hand a draft in: from now on it is locked for the agency."""
    if not SubmissionRow.objects.filter(submission=submission).exists():
        raise ServiceError(_("Usulan kosong tidak dapat diserahkan."))
    return transition(
        actor=actor,
        submission=submission,
        source=SubmissionStatus.DRAFT,
        target=SubmissionStatus.SUBMITTED,
        action="submission.submitted",
        refusal=_("Usulan ini sudah diserahkan atau baru saja diubah."),
        submitted_at=timezone.now(),
    )


def submission_delete(*, actor: Actor, submission: Submission) -> None:
    """Remove a draft that was never handed in, with its rows, their history, its import
    jobs and the uploaded files no other submission uses: an empty or abandoned list should
    not stay in the agency's work. Only the agency itself or the Pemda's admin may; the audit
    event records what was removed."""
    user = user_or_none(actor)
    allowed = user is not None and (
        user.agency_id == submission.agency_id
        or (user.role == Role.ADMIN and user.pemda_id == submission.pemda_id)
    )
    if not allowed:
        raise ServiceError(_("Hanya instansi pengusul atau Admin yang dapat menghapus usulan ini."))
    jobs = ImportJob.objects.filter(Q(target=submission) | Q(submission=submission))
    with transaction.atomic():
        touch_draft(submission)  # refuses a list already handed in; locks it meanwhile
        if jobs.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
            raise ServiceError(
                _("Perbaikan usulan ini sedang diproses; hapus setelah prosesnya selesai.")
            )
        file_ids = {*jobs.values_list("file_id", flat=True)}
        if submission.file_id is not None:
            file_ids.add(submission.file_id)
        audit_record(
            actor=actor,
            action="submission.deleted",
            obj=submission,
            changes={
                "file": submission.file.original_name if submission.file else None,
                "source": submission.source,
                "rows": submission.rows_total,
                "accepted": submission.accepted,
                "accepted_with_warnings": submission.accepted_with_warnings,
                "rejected": submission.rejected,
            },
        )
        try:
            RowRevision.objects.filter(row__submission=submission).delete()
            SubmissionRow.objects.filter(submission=submission).delete()
            jobs.delete()
            submission.delete()
        except ProtectedError as exc:  # a later stage already refers to its rows
            raise ServiceError(_("Usulan ini sudah dipakai dan tidak dapat dihapus.")) from exc
        unused = UploadedFile.objects.filter(pk__in=file_ids, jobs=None, submission=None)
        paths = [uploaded_path(uploaded) for uploaded in unused]
        unused.delete()
        transaction.on_commit(lambda: _unlink_all(paths))


def _unlink_all(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def submission_start_verification(*, actor: Actor, submission: Submission) -> Submission:
    return transition(
        actor=actor,
        submission=submission,
        source=SubmissionStatus.SUBMITTED,
        target=SubmissionStatus.IN_VERIFICATION,
        action="submission.verification_started",
        refusal=_("Hanya usulan yang sudah diserahkan dapat diverifikasi."),
    )


def submissions_into_verification(*, actor: Actor, program: Program) -> int:
    """Every handed-in list of `program` is now in verification (a run took them in), one
    audited transition each. Must run inside the run's transaction."""
    moved = 0
    handed_in = Submission.objects.filter(program=program, status=SubmissionStatus.SUBMITTED)
    for submission in handed_in.order_by("pk"):
        transition(
            actor=actor,
            submission=submission,
            source=SubmissionStatus.SUBMITTED,
            target=SubmissionStatus.IN_VERIFICATION,
            action="submission.verification_started",
            refusal=_("Usulan berubah saat verifikasi dimulai; jalankan ulang."),
        )
        moved += 1
    return moved
