"""Receiving a file and analysing it: storage under a server-generated name, the header
row and the column mapping (remembered per agency and layout)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Agency
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.common.tabular import FileRejected, Sheet, read_workbook
from lindung.common.tabular.headers import header_signature
from lindung.common.uploads import UploadRefused, upload_path, upload_received
from lindung.intake.models import (
    ColumnMapping,
    Submission,
    UploadedFile,
)
from lindung.intake.recognise import (
    HeaderGuess,
    guess_header,
    match_header,
)
from lindung.intake.services.base import limits, user_or_none
from lindung.intake.services.rows import check_can_submit
from lindung.programs.models import Program

# --- Receiving a file ------------------------------------------------------------------


def upload_receive(
    *,
    actor: Actor,
    program: Program,
    agency: Agency,
    stream: IO[bytes] | Iterable[bytes],
    filename: str,
) -> tuple[UploadedFile, bool]:
    """Store an uploaded file after checking it by content. Returns (file, created): the same
    content handed in again by the same agency for the same program is not stored twice."""
    check_can_submit(program=program, agency=agency)
    max_mb = limits().max_bytes // (1024 * 1024)
    too_large = _("File lebih besar dari %(mb)s MB. Pecah menjadi beberapa file.") % {"mb": max_mb}
    try:
        with upload_received(
            stream, filename=filename, limits=limits(), too_large=too_large
        ) as received:
            same = {"program": program, "agency": agency, "sha256": received.sha256}
            existing = UploadedFile.objects.filter(**same).first()
            if existing is not None:
                return existing, False
            stored_name = received.keep()
            try:
                uploaded = _upload_record(
                    actor=actor,
                    program=program,
                    agency=agency,
                    sha=received.sha256,
                    stored_name=stored_name,
                    filename=filename,
                    size=received.size,
                    kind=received.kind,
                )
            except IntegrityError:
                # The same file arrived twice at once: keep the first.
                upload_path(stored_name).unlink(missing_ok=True)
                return UploadedFile.objects.get(**same), False
            return uploaded, True
    except UploadRefused as exc:
        _audit_refusal(actor, program, filename=filename, code=exc.code, size=exc.size)
        raise ServiceError(exc.message) from exc


def _audit_refusal(actor: Actor, program: Program, *, filename: str, code: str, size: int) -> None:
    audit_record(
        actor=actor,
        action="upload.refused",
        pemda=program.pemda,
        changes={"file": filename[:200], "code": code, "size": size},
    )


def _upload_record(
    *,
    actor: Actor,
    program: Program,
    agency: Agency,
    sha: str,
    stored_name: str,
    filename: str,
    size: int,
    kind: str,
) -> UploadedFile:
    """The stored file's row and its audit event, in one transaction."""
    with transaction.atomic():
        uploaded = UploadedFile.objects.create(
            pemda_id=program.pemda_id,
            program=program,
            agency=agency,
            sha256=sha,
            stored_name=stored_name,
            original_name=Path(filename).name[:255],
            size=size,
            kind=kind,
            uploaded_by=user_or_none(actor),
        )
        audit_record(
            actor=actor,
            action="upload.received",
            obj=uploaded,
            changes={
                "file": uploaded.original_name,
                "size": size,
                "sha256": sha,
                "kind": kind,
            },
        )
    return uploaded


def upload_discard(*, actor: Actor, uploaded: UploadedFile, reason: str) -> None:
    """Forget a file just received that turned out unusable once read (too many rows, no
    header row, not a feedback file): refused like a file refused on arrival, nothing of it
    kept. A file already queued or imported is left alone."""
    if uploaded.jobs.exists() or Submission.objects.filter(file=uploaded).exists():
        return
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="upload.refused",
            pemda=uploaded.pemda,
            changes={"file": uploaded.original_name, "reason": reason[:200], "size": uploaded.size},
        )
        path = uploaded_path(uploaded)
        uploaded.delete()
    path.unlink(missing_ok=True)


def uploaded_path(uploaded: UploadedFile) -> Path:
    return upload_path(uploaded.stored_name)


# --- Analysis and mapping --------------------------------------------------------------


@dataclass(frozen=True)
class SheetLayout:
    name: str
    header_row: int  # 0-based index into the sheet's rows
    headers: list[str]
    columns: dict[str, int]
    confident: bool
    reasons: list[str]
    remembered: bool
    signature: str
    preview: list[list[object]]
    data_rows: int


def file_read(uploaded: UploadedFile) -> list[Sheet]:
    try:
        return read_workbook(uploaded_path(uploaded), kind=uploaded.kind, limits=limits())
    except FileRejected as exc:
        raise ServiceError(exc.message) from exc


def file_analyse(
    uploaded: UploadedFile, sheets: Sequence[Sheet] | None = None
) -> list[SheetLayout]:
    """Each sheet's header row and column mapping: the agency's remembered mapping for this
    layout when there is one, else our guess (which may need the user's confirmation)."""
    sheets = sheets if sheets is not None else file_read(uploaded)
    guesses = [(sheet, guess_header(sheet.rows)) for sheet in sheets]
    if all(guess is None for _sheet, guess in guesses):
        # Not one sheet with a header we are sure of: offer the rows that name NIK or the
        # name for the user to map, rather than refusing a list the agency can explain.
        guesses = [(sheet, _weak_header(sheet.rows)) for sheet in sheets]
    layouts = []
    for sheet, guess in guesses:
        if guess is None:
            continue
        signature = header_signature(guess.headers)
        remembered = ColumnMapping.objects.filter(
            agency_id=uploaded.agency_id, signature=signature
        ).first()
        columns = dict(remembered.columns) if remembered else dict(guess.columns)
        first = guess.header_row + 1
        layouts.append(
            SheetLayout(
                name=sheet.name,
                header_row=guess.header_row,
                headers=list(guess.headers),
                columns=columns,
                confident=guess.confident or remembered is not None,
                reasons=[] if remembered else list(guess.reasons),
                remembered=remembered is not None,
                signature=signature,
                preview=sheet.rows[first : first + 8],
                data_rows=max(len(sheet.rows) - first, 0),
            )
        )
    return layouts


def _weak_header(rows: Sequence[Sequence[object]], *, scan_rows: int = 30) -> HeaderGuess | None:
    """The first row with a header naming NIK or the name, when it names nothing else
    `guess_header` would count on: always to be confirmed on the mapping screen."""
    for index, row in enumerate(rows[:scan_rows]):
        headers = [value.strip() if isinstance(value, str) else "" for value in row]
        columns: dict[str, int] = {}
        for column, text in enumerate(headers):
            field = match_header(text) if text else None
            if field is not None:
                columns.setdefault(field, column)
        if not columns.keys() & {"nik", "name"}:
            continue
        reasons = [
            message
            for field, message in (
                ("nik", _("Kolom NIK tidak dikenali. Pilih kolom yang berisi NIK.")),
                ("name", _("Kolom nama tidak dikenali. Pilih kolom yang berisi nama.")),
            )
            if field not in columns
        ]
        reasons.append(_("Periksa arti setiap kolom sebelum lanjut."))
        return HeaderGuess(
            header_row=index,
            columns=columns,
            headers=headers,
            unmapped=[c for c, text in enumerate(headers) if text and c not in columns.values()],
            confident=False,
            reasons=reasons,
        )
    return None


def mapping_remember(
    *, actor: Actor, agency: Agency, signature: str, columns: Mapping[str, int]
) -> None:
    with transaction.atomic():
        mapping, created = ColumnMapping.objects.update_or_create(
            agency=agency,
            signature=signature,
            defaults={
                "pemda_id": agency.pemda_id,
                "columns": dict(columns),
                "updated_by": user_or_none(actor),
            },
        )
        audit_record(
            actor=actor,
            action="column_mapping.saved",
            obj=mapping,
            pemda=agency.pemda,
            changes={"columns": dict(columns), "created": created},
        )
