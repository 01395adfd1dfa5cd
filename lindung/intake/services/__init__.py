"""Intake writes: receiving a file, importing it (in the background), correcting rows,
handing a submission in. Every row is kept as it came; a job writes all its rows in one
transaction, so a crash leaves either the whole submission or nothing.

One module per concern: `uploads` (receiving and analysing a file), `start` (an upload to
its import job or the mapping screen), `jobs` (import jobs), `corrections` (a corrected
feedback file replacing rejected rows), `submissions` (row fixes, walk-in entries, hand-in,
deletion), `feedback` (large feedback files in the background), on `rows` (row checking and
storing, revisions, transitions) and `base`.
"""

from lindung.intake.services.base import (
    CHUNK,
    ENTRY_FIELDS,
    PROGRESS_EVERY,
    ROW_FIELDS,
    limits,
    user_or_none,
)
from lindung.intake.services.corrections import (
    feedback_layout,
    feedback_origin,
    run_replacement,
)
from lindung.intake.services.feedback import (
    feedback_export_create,
    feedback_export_open,
    feedback_export_path,
    feedback_export_run,
    feedback_is_large,
    feedback_write,
)
from lindung.intake.services.jobs import (
    job_create,
    job_restart,
    job_run,
)
from lindung.intake.services.rows import (
    TEXT_LIMITS,
    SourceRow,
    check_can_submit,
    check_context,
    duplicate_in_submission,
    duplicate_of,
    issues_of,
    job_actor,
    job_fail,
    job_finish,
    job_progress,
    jsonable_cell,
    program_occupation_check,
    raw_with,
    revise,
    row_fields,
    source_rows,
    submission_recount,
    touch_draft,
    transition,
)
from lindung.intake.services.start import (
    Next,
    UploadOutcome,
    agency_for_upload,
    layout_groups,
    upload_start,
)
from lindung.intake.services.submissions import (
    EntryRejected,
    entry_add,
    entry_check,
    row_correct,
    submission_delete,
    submission_start_verification,
    submission_submit,
)
from lindung.intake.services.uploads import (
    SheetLayout,
    file_analyse,
    file_read,
    mapping_remember,
    upload_discard,
    upload_receive,
    uploaded_path,
)

__all__ = [
    "CHUNK",
    "ENTRY_FIELDS",
    "PROGRESS_EVERY",
    "ROW_FIELDS",
    "TEXT_LIMITS",
    "EntryRejected",
    "Next",
    "SheetLayout",
    "SourceRow",
    "UploadOutcome",
    "agency_for_upload",
    "check_can_submit",
    "check_context",
    "duplicate_in_submission",
    "duplicate_of",
    "entry_add",
    "entry_check",
    "feedback_export_create",
    "feedback_export_open",
    "feedback_export_path",
    "feedback_export_run",
    "feedback_is_large",
    "feedback_layout",
    "feedback_origin",
    "feedback_write",
    "file_analyse",
    "file_read",
    "issues_of",
    "job_actor",
    "job_create",
    "job_fail",
    "job_finish",
    "job_progress",
    "job_restart",
    "job_run",
    "jsonable_cell",
    "layout_groups",
    "limits",
    "mapping_remember",
    "program_occupation_check",
    "raw_with",
    "revise",
    "row_correct",
    "row_fields",
    "run_replacement",
    "source_rows",
    "submission_delete",
    "submission_recount",
    "submission_start_verification",
    "submission_submit",
    "touch_draft",
    "transition",
    "upload_discard",
    "upload_receive",
    "upload_start",
    "uploaded_path",
    "user_or_none",
]
