"""Import jobs: an uploaded file read, every row checked and stored in one transaction, in
the background with progress; a job killed halfway leaves nothing and can be run again."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lindung.accounts.models import Actor, User
from lindung.audit.context import RequestContext, bound, new_request_id
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import JobStatus, enqueue_on_commit, job_requeued, job_started
from lindung.common.retry import when_locked
from lindung.common.tabular import Sheet
from lindung.intake.batch import insert_rows
from lindung.intake.models import (
    ImportJob,
    Submission,
    SubmissionSource,
    SubmissionStatus,
    UploadedFile,
)
from lindung.intake.rowcheck import (
    RowResult,
    check_rows,
)
from lindung.intake.services.base import PROGRESS_EVERY, user_or_none
from lindung.intake.services.corrections import run_replacement
from lindung.intake.services.rows import (
    SourceRow,
    check_context,
    issues_of,
    job_actor,
    job_fail,
    job_finish,
    job_progress,
    program_occupation_check,
    row_fields,
    source_rows,
    submission_recount,
    transition,
)
from lindung.intake.services.uploads import SheetLayout, file_read

# --- Import jobs -----------------------------------------------------------------------


def job_create(
    *,
    actor: Actor,
    uploaded: UploadedFile,
    layouts: Sequence[SheetLayout],
    draft: bool = True,
    target: Submission | None = None,
    origin_column: int | None = None,
    enqueue: bool = True,
) -> ImportJob:
    """Queue the import of `layouts` (the sheets chosen, with their mapping)."""
    if not layouts:
        raise ServiceError(_("Tidak ada lembar dengan kolom NIK atau Nama yang dapat dibaca."))
    for layout in layouts:
        if "nik" not in layout.columns and "name" not in layout.columns:
            raise ServiceError(
                _("Tentukan kolom NIK dan Nama pada lembar %(s)s.") % {"s": layout.name or "1"}
            )
    if target is None and hasattr(uploaded, "submission"):
        raise ServiceError(
            _("File ini sudah diproses menjadi usulan #%(n)s.") % {"n": uploaded.submission.pk}
        )
    if target is not None and origin_column is None:
        raise ServiceError(
            _(
                "Unggah file umpan balik dari Lindung: kolom Lembar dan Baris di "
                "depannya menunjukkan baris mana yang diperbaiki."
            )
        )
    options = {
        "draft": draft,
        "origin_column": origin_column,
        "actor": "" if isinstance(actor, User) else str(actor or ""),
        "sheets": [
            {
                "name": lay.name,
                "header_row": lay.header_row,
                "headers": lay.headers,
                "columns": lay.columns,
            }
            for lay in layouts
        ],
    }
    with transaction.atomic():
        job = ImportJob.objects.create(
            pemda_id=uploaded.pemda_id,
            program_id=uploaded.program_id,
            agency_id=uploaded.agency_id,
            file=uploaded,
            target=target,
            options=options,
            created_by=user_or_none(actor),
        )
        audit_record(
            actor=actor,
            action="import_job.queued",
            obj=job,
            pemda=job.pemda,
            changes={
                "file": uploaded.original_name,
                "sheets": [lay.name for lay in layouts],
                "target": target.pk if target else None,
            },
        )
        if enqueue:
            enqueue_on_commit(run_import_job, job.pk)
    return job


def job_restart(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Run a failed or interrupted job again; a finished one is left alone."""
    if job.status == JobStatus.DONE:
        return job
    job_requeued(job)
    ImportJob.objects.filter(pk=job.pk).update(phase="")
    audit_record(actor=actor, action="import_job.restarted", obj=job, pemda=job.pemda)
    enqueue_on_commit(run_import_job, job.pk)
    job.refresh_from_db()
    return job


def job_run(
    *,
    job_id: int,
    on_progress: Callable[[str, int], None] | None = None,
    sheets: Sequence[Sheet] | None = None,
) -> ImportJob:
    """Read, check and store one job's file. Everything before the final transaction only
    reads; the submission and all its rows are written together or not at all. Outside a
    transaction, each statement or transaction meeting SQLite's lock (another import of the
    same file reads or writes at that moment) is repeated (`when_locked`)."""
    job = when_locked(
        lambda: ImportJob.objects.select_related("file", "program__pemda", "agency", "target").get(
            pk=job_id
        )
    )
    if job.status == JobStatus.DONE:
        return job
    job_started(job)

    def progress(phase: str, percent: int) -> None:
        job_progress(job, phase=phase, percent=percent)
        if on_progress is not None:
            on_progress(phase, percent)

    try:
        progress(_("Membaca file"), 5)
        if sheets is None:  # the caller may hand over what it has already read
            sheets = file_read(job.file)
        if job.target is not None:
            run_replacement(job, sheets, progress)
            when_locked(job.refresh_from_db)
            return job
        source = source_rows(sheets, job.options)
        progress(_("Memeriksa baris"), 20)
        context = when_locked(lambda: check_context(job.program))
        covered = when_locked(lambda: program_occupation_check(job.program))
        results: list[RowResult] = []
        total = max(len(source), 1)
        for result in check_rows(((s.row_number, s.mapped) for s in source), context=context):
            results.append(covered(result))
            if len(results) % PROGRESS_EVERY == 0:
                progress(_("Memeriksa baris"), 20 + 60 * len(results) // total)
        progress(_("Menyimpan"), 85)
        when_locked(lambda: _store_new(job, source, results))  # one transaction: repeatable
    except ServiceError as exc:
        job_fail(job, exc.message)
        raise
    except Exception:
        job_fail(
            job,
            _(
                "Terjadi gangguan saat memproses file. Coba jalankan ulang; bila "
                "berulang, hubungi Admin Disnaker."
            ),
        )
        raise
    when_locked(job.refresh_from_db)
    return job


def _store_new(
    job: ImportJob, source: Sequence[SourceRow], results: Sequence[RowResult]
) -> Submission:
    with transaction.atomic():
        submission = Submission.objects.create(
            pemda_id=job.pemda_id,
            program_id=job.program_id,
            agency_id=job.agency_id,
            source=SubmissionSource.UPLOAD,
            file=job.file,
            created_by=job.created_by,
            layout={"sheets": job.options["sheets"]},
        )
        insert_rows(
            {
                "pemda_id": job.pemda_id,
                "submission_id": submission.pk,
                "agency_id": job.agency_id,
                "sheet": src.sheet,
                "row_number": src.row_number,
                "raw": src.raw,
                "outcome": result.outcome,
                "issues": issues_of(result),
                "revision": 1,
                **row_fields(result),
            }
            for src, result in zip(source, results, strict=True)
        )
        counts = submission_recount(submission)
        if not job.options.get("draft", True):
            transition(
                actor=job_actor(job),
                submission=submission,
                source=SubmissionStatus.DRAFT,
                target=SubmissionStatus.SUBMITTED,
                action="submission.submitted",
                refusal=_("Usulan ini sudah diserahkan atau baru saja diubah."),
                submitted_at=timezone.now(),
            )
        job_finish(job, submission, counts, action="submission.imported")
    return submission


@task()
def run_import_job(job_id: int) -> None:
    """The worker's entry: a user's mistake (an unreadable sheet...) is already recorded on the
    job for the progress page; it is not a worker failure."""
    with (
        bound(RequestContext(request_id=new_request_id(), channel="task")),
        contextlib.suppress(ServiceError),
    ):
        job_run(job_id=job_id)
