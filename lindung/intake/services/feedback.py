"""Feedback files of large lists, written in the background under a server-generated name
and served only to the user who asked for them."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lindung.accounts.access import sees_full_nik
from lindung.accounts.models import User
from lindung.audit.context import RequestContext, bound, new_request_id
from lindung.audit.services import audit_record
from lindung.common.jobs import JobStatus, enqueue_on_commit, job_beat, job_failed, job_started
from lindung.intake import ports, selectors
from lindung.intake.exports import (
    feedback_workbook,
)
from lindung.intake.models import (
    FeedbackExport,
    Submission,
    SubmissionRow,
)

# --- Feedback files made in the background ---------------------------------------------


def feedback_is_large(submission: Submission) -> bool:
    """Whether the feedback file is written by a background job rather than while the user
    waits (settings.INTAKE_FEEDBACK_SYNC_ROWS)."""
    return submission.rows_total > settings.INTAKE_FEEDBACK_SYNC_ROWS


def feedback_export_path(export: FeedbackExport) -> Path:
    return Path(settings.UPLOAD_DIR) / "umpan-balik" / export.stored_name


def feedback_export_create(*, actor: User, submission: Submission) -> FeedbackExport:
    """Queue the feedback file of `submission` for `actor`; audited."""
    with transaction.atomic():
        export = FeedbackExport.objects.create(
            pemda_id=submission.pemda_id,
            agency_id=submission.agency_id,
            submission=submission,
            requested_by=actor,
        )
        audit_record(
            actor=actor,
            action="submission.feedback_export_queued",
            obj=submission,
            changes={"export": export.pk, "rows": submission.rows_total},
        )
        enqueue_on_commit(run_feedback_export, export.pk)
    return export


def feedback_export_run(*, export_id: int) -> FeedbackExport:
    """Write the feedback file of a queued export under a server-generated name, reporting
    progress on the export; the export of personal data is audited when the file is ready."""
    export = FeedbackExport.objects.select_related("submission", "requested_by").get(pk=export_id)
    if export.status == JobStatus.DONE:
        return export
    job_started(export)
    submission = export.submission
    total = max(submission.rows_total, 1)

    def progress(count: int) -> None:
        job_beat(export, progress=min(5 + 90 * count // total, 95))

    stored_name = f"{uuid.uuid4().hex}.xlsx"
    export.stored_name = stored_name
    path = feedback_export_path(export)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        verification = ports.verification_of(export.requested_by, submission)
        full = sees_full_nik(export.requested_by, agency_id=submission.agency_id)
        job_beat(export, progress=5)
        with path.open("wb") as out:
            count = feedback_workbook(
                submission,
                SubmissionRow.objects.filter(submission=submission)
                .select_related("village", "district", "occupation")
                .order_by("sheet", "row_number")
                .iterator(chunk_size=2_000),
                out,
                verification=verification,
                on_progress=progress,
                mask_ids=not full,
            )
    except Exception:
        path.unlink(missing_ok=True)
        job_failed(
            export,
            _(
                "File umpan balik gagal dibuat. Coba buat ulang; bila berulang, hubungi "
                "Admin Disnaker."
            ),
        )
        raise
    changes: dict[str, Any] = {"rows": count, "export": export.pk, "full_nik": full}
    if verification is not None:
        changes["verification"] = verification.label
    with transaction.atomic():
        FeedbackExport.objects.filter(pk=export.pk).update(
            status=JobStatus.DONE,
            progress=100,
            stored_name=stored_name,
            rows=count,
            finished_at=timezone.now(),
        )
        audit_record(
            actor=export.requested_by,
            action="submission.feedback_exported",
            obj=submission,
            changes=changes,
        )
    export.refresh_from_db()
    return export


def feedback_write(*, actor: User, submission: Submission, out: IO[bytes]) -> int:
    """Write the feedback file of `submission` as `actor` may see it into `out` (a small list,
    while the user waits); the export of personal data is audited. Returns the rows written."""
    verification = ports.verification_of(actor, submission)
    rows = selectors.submission_rows(submission=submission)
    full = sees_full_nik(actor, agency_id=submission.agency_id)
    count = feedback_workbook(submission, rows, out, verification=verification, mask_ids=not full)
    changes: dict[str, Any] = {"rows": count, "full_nik": full}
    if verification is not None:
        changes["verification"] = verification.label
    audit_record(
        actor=actor, action="submission.feedback_exported", obj=submission, changes=changes
    )
    return count


def feedback_export_open(*, actor: User, export: FeedbackExport) -> IO[bytes] | None:
    """The finished file of `export`, opened for `actor` (who asked for it; the selector
    checked that), each download audited; None while it is not ready or no longer there."""
    path = feedback_export_path(export)
    if export.status != JobStatus.DONE or not export.stored_name or not path.is_file():
        return None
    audit_record(
        actor=actor,
        action="submission.feedback_downloaded",
        obj=export.submission,
        changes={"export": export.pk, "rows": export.rows},
    )
    return path.open("rb")


@task()
def run_feedback_export(export_id: int) -> None:
    """The worker's entry for a feedback file."""
    with bound(RequestContext(request_id=new_request_id(), channel="task")):
        feedback_export_run(export_id=export_id)
