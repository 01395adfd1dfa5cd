"""An upload from its receipt to what happens next: the submission it already became, its
import job, or the mapping screen when Lindung is unsure of the columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Agency, User
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import JobStatus
from lindung.common.retry import when_locked
from lindung.intake.models import ImportJob, Submission, UploadedFile
from lindung.intake.services.jobs import job_create
from lindung.intake.services.uploads import (
    SheetLayout,
    file_analyse,
    upload_discard,
    upload_receive,
)
from lindung.programs.models import Program


class Next(StrEnum):
    KNOWN = "known"  # the same file was imported before: its submission
    JOB = "job"  # the import runs (or waits, or failed and can be re-run)
    MAPPING = "mapping"  # the user confirms the columns first


@dataclass(frozen=True)
class UploadOutcome:
    next: Next
    uploaded: UploadedFile
    submission: Submission | None = None
    job: ImportJob | None = None
    again: bool = False  # the same file had been handed in before (or at the same moment)


def agency_for_upload(*, user: User, agency: Agency | None) -> Agency:
    """Operators upload for their own agency; an admin may upload on an agency's behalf."""
    if user.is_agency_scoped:
        assert user.agency is not None  # noqa: S101 - operators always have one
        return user.agency
    if agency is None or agency.pemda_id != user.pemda_id:
        raise ServiceError(_("Pilih instansi pengusul."))
    return agency


def layout_groups(layouts: Sequence[SheetLayout]) -> list[list[SheetLayout]]:
    """Sheets that share one header layout, in the order they come."""
    by_signature: dict[str, list[SheetLayout]] = {}
    for layout in layouts:
        by_signature.setdefault(layout.signature, []).append(layout)
    return list(by_signature.values())


def upload_start(
    *,
    actor: User,
    program: Program,
    agency: Agency | None,
    stream: IO[bytes],
    filename: str,
) -> UploadOutcome:
    """Receive a file and start its import when every sheet's columns are recognised (or
    remembered for this agency's layout); otherwise the user confirms the mapping once. A
    file refused once read (too many rows, no header row) leaves nothing behind."""
    agency = agency_for_upload(user=actor, agency=agency)
    stored: list[bool] = []  # whether an earlier attempt stored the file (SQLite retries)

    def attempt() -> UploadOutcome:
        return _upload_start(
            actor=actor, program=program, agency=agency, stream=stream, filename=filename,
            stored=stored,
        )  # fmt: skip

    if not (hasattr(stream, "seekable") and stream.seekable()):
        return attempt()
    return when_locked(attempt, before_retry=lambda: stream.seek(0))


def _upload_start(
    *,
    actor: User,
    program: Program,
    agency: Agency,
    stream: IO[bytes],
    filename: str,
    stored: list[bool],
) -> UploadOutcome:
    uploaded, created = upload_receive(
        actor=actor, program=program, agency=agency, stream=stream, filename=filename
    )
    if created:
        stored.append(True)
    created = bool(stored)
    if not created and hasattr(uploaded, "submission"):
        return UploadOutcome(Next.KNOWN, uploaded, submission=uploaded.submission, again=True)
    queued = uploaded.jobs.filter(target=None).order_by("-pk").first()
    if not created and queued is not None:
        # Sent again while its import waits or failed: one job per file, or the second would
        # fail on the file's one submission.
        return UploadOutcome(Next.JOB, uploaded, job=queued, again=True)
    try:
        layouts = file_analyse(uploaded)
        if not layouts:
            raise ServiceError(_("Tidak ditemukan baris judul kolom (NIK, Nama, ...) di file ini."))
    except ServiceError as exc:
        if created:
            upload_discard(actor=actor, uploaded=uploaded, reason=exc.message)
        raise
    if len(layout_groups(layouts)) == 1 and all(layout.confident for layout in layouts):
        return _job_once(actor=actor, uploaded=uploaded, layouts=layouts, created=created)
    return UploadOutcome(Next.MAPPING, uploaded)


def _job_once(
    *, actor: User, uploaded: UploadedFile, layouts: Sequence[SheetLayout], created: bool
) -> UploadOutcome:
    job, _made = job_create_once(actor=actor, uploaded=uploaded, layouts=layouts)
    return UploadOutcome(Next.JOB, uploaded, job=job, again=not created)


def job_create_once(
    *,
    actor: Actor,
    uploaded: UploadedFile,
    layouts: Sequence[SheetLayout],
    draft: bool = True,
    enqueue: bool = True,
    past_failures: bool = True,
) -> tuple[ImportJob, bool]:
    """(the file's import job, whether it was made now): one job per file even when the same
    file arrives several times at once (issue 15, point 10). The file's row is locked while
    its job is looked for and made. `past_failures=False` lets a failed job be followed by a
    new one (the command line's re-run)."""
    with transaction.atomic():
        UploadedFile.objects.select_for_update().only("pk").get(pk=uploaded.pk)
        jobs = uploaded.jobs.filter(target=None)
        if not past_failures:
            jobs = jobs.exclude(status=JobStatus.FAILED)
        existing = jobs.order_by("-pk").first()
        if existing is not None:
            return existing, False
        job = job_create(
            actor=actor, uploaded=uploaded, layouts=layouts, draft=draft, enqueue=enqueue
        )
    return job, True
