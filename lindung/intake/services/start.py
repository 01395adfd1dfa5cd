"""An upload from its receipt to what happens next: the submission it already became, its
import job, or the mapping screen when Lindung is unsure of the columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

from django.utils.translation import gettext as _

from lindung.accounts.models import Agency, User
from lindung.common.errors_domain import ServiceError
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
    uploaded, created = upload_receive(
        actor=actor, program=program, agency=agency, stream=stream, filename=filename
    )
    if not created and hasattr(uploaded, "submission"):
        return UploadOutcome(Next.KNOWN, uploaded, submission=uploaded.submission)
    queued = uploaded.jobs.filter(target=None).order_by("-pk").first()
    if not created and queued is not None:
        # Sent again while its import waits or failed: one job per file, or the second would
        # fail on the file's one submission.
        return UploadOutcome(Next.JOB, uploaded, job=queued)
    try:
        layouts = file_analyse(uploaded)
        if not layouts:
            raise ServiceError(_("Tidak ditemukan baris judul kolom (NIK, Nama, ...) di file ini."))
    except ServiceError as exc:
        if created:
            upload_discard(actor=actor, uploaded=uploaded, reason=exc.message)
        raise
    if len(layout_groups(layouts)) == 1 and all(layout.confident for layout in layouts):
        job = job_create(actor=actor, uploaded=uploaded, layouts=layouts)
        return UploadOutcome(Next.JOB, uploaded, job=job)
    return UploadOutcome(Next.MAPPING, uploaded)
