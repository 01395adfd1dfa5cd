"""Reading a file BPJS sent: received and checked like every file in
(`common.uploads.upload_received`), read, its table located (`recognise.locate`), and kept
under the upload folder. What the import does with the rows is its own."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, User
from lindung.audit.services import audit_record
from lindung.common.bulk import insert_rows
from lindung.common.errors_domain import ServiceError
from lindung.common.tabular import FileRejected, Limits, read_workbook
from lindung.common.uploads import UploadRefused, upload_path, upload_received
from lindung.enrollment.bpjs.recognise import BpjsRow, Layout, locate, read_rows
from lindung.enrollment.models import BpjsImport, BpjsImportLine
from lindung.programs.models import Program

FOLDER: Final = "bpjs/imports"
NO_NIK_COLUMN: Final = (
    "Kolom NIK tidak ditemukan. Pastikan file memiliki baris judul kolom dengan kolom NIK "
    '(mis. "NIK" atau "No. KTP"), lalu unggah lagi. Tidak ada data yang diubah.'
)
FileSource = Path | IO[bytes] | Iterable[bytes]


def limits() -> Limits:
    return Limits(max_bytes=settings.INTAKE_MAX_BYTES, max_rows=settings.INTAKE_MAX_ROWS)


@dataclass
class ReadFile:
    stored_name: str
    sha256: str
    layout: Layout
    rows: list[BpjsRow]


@contextmanager
def bpjs_file_read(
    *, actor: Actor, program: Program, source: FileSource, filename: str, kind: str
) -> Iterator[ReadFile]:
    """Receive, check and read the file (a path, or a stream such as a Django upload): its
    rows under the located header. A refusal (not a spreadsheet, no NIK column) is audited
    and raised as `ServiceError`; nothing else is written. The file is kept only if the
    block ends without an error."""
    too_large = _("File lebih besar dari %(mb)s MB.") % {"mb": limits().max_bytes >> 20}
    try:
        with ExitStack() as files:
            stream = files.enter_context(source.open("rb")) if isinstance(source, Path) else source
            received = files.enter_context(
                upload_received(
                    stream, filename=filename, limits=limits(), too_large=too_large, folder="tmp"
                )
            )
            try:
                sheets = read_workbook(received.path, kind=received.kind, limits=limits())
            except FileRejected as exc:
                raise UploadRefused(exc.code, exc.message, size=received.size) from exc
            located = locate(sheets)
            if located is None:
                raise UploadRefused("no_nik_column", NO_NIK_COLUMN, size=received.size)
            sheet, layout = located
            as_of = timezone.localdate() + dt.timedelta(days=400)
            rows = list(read_rows(sheet, layout, as_of=as_of))
            stored = received.keep(folder=FOLDER)
            try:
                yield ReadFile(stored, received.sha256, layout, rows)
            except BaseException:
                upload_path(stored).unlink(missing_ok=True)
                raise
    except UploadRefused as exc:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="bpjs.file_refused",
                pemda=program.pemda,
                changes={"file": Path(filename).name[:200], "code": exc.code, "kind": kind},
            )
        raise ServiceError(exc.message) from exc


def import_record(
    *, actor: Actor, program: Program, kind: str, filename: str, read: ReadFile
) -> BpjsImport:
    """The import's row (done at once: these imports run synchronously)."""
    now = timezone.now()
    return BpjsImport.objects.create(
        pemda_id=program.pemda_id,
        program=program,
        kind=kind,
        original_name=Path(filename).name[:255],
        sha256=read.sha256,
        stored_name=read.stored_name,
        layout=read.layout.to_dict(),
        created_by=actor if isinstance(actor, User) else None,
        status="done",
        progress=100,
        started_at=now,
        finished_at=now,
    )


LINE_COLUMNS: Final = (
    "source_id", "pemda_id", "sheet", "row_number", "raw", "nik", "name", "kpj", "effective_on",
    "status_text", "reason", "funding_code", "outcome", "message", "enrolment_id",
)  # fmt: skip


def write_lines(source: BpjsImport, rows: list[BpjsRow], enrolment_ids: list[int | None]) -> int:
    """Every row kept, as it came, with its outcome (`row.verdict` holds the outcome), through
    the one bulk writer (`common.bulk.insert_rows`)."""
    ops = connection.ops
    return insert_rows(
        BpjsImportLine,
        LINE_COLUMNS,
        (
            (
                source.pk,
                source.pemda_id,
                row.sheet[:100],
                row.row_number,
                json.dumps(row.raw, ensure_ascii=False),
                row.nik[:40],
                row.name,
                row.kpj,
                ops.adapt_datefield_value(row.effective_on),
                row.status_text,
                row.reason,
                row.funding_code,
                row.verdict,
                row.message[:255],
                enrolment_id,
            )
            for row, enrolment_id in zip(rows, enrolment_ids, strict=True)
        ),
    )
