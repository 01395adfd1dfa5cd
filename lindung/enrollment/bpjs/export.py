"""The collective registration file sent to BPJS Ketenagakerjaan: every approved person of a
program not yet sent, one row each, in the layout of DESIGN §5 (data-formats §2.5). Making
it moves those people from approved to sent; the file is kept to be downloaded again."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from lindung.accounts.models import Actor, User
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ConflictError, ServiceError
from lindung.common.tabular.values import formula_safe
from lindung.common.uploads import upload_path
from lindung.enrollment.models import BpjsExport, BpjsExportLine, FileFormat
from lindung.enrollment.periods import program_last_month
from lindung.programs.models import Program
from lindung.workers.models import Enrolment, EnrolmentStatus
from lindung.workers.restrictions import HELD_REASON, restricted_niks

COLUMNS: Final = (
    "No", "NIK", "Nama", "Tempat Lahir", "Tanggal Lahir", "Jenis Kelamin", "Alamat", "No HP",
    "Jenis Pekerjaan", "Penghasilan", "Program", "Periode", "Kode Sumber Dana",
)  # fmt: skip
TEXT_FORMAT: Final = "@"
FOLDER: Final = "bpjs/exports"
_CHUNK: Final = 2_000


def export_path(export: BpjsExport) -> Path:
    return upload_path(export.stored_name)


def _address(enrolment: Enrolment) -> str:
    worker = enrolment.worker
    parts = [worker.address]
    if worker.rt or worker.rw:
        parts.append(f"RT {worker.rt or '-'}/RW {worker.rw or '-'}")
    village = worker.village or enrolment.village
    if village is not None:
        parts.append(f"Desa/Kel. {village.name}")
        if village.parent is not None:
            parts.append(f"Kec. {village.parent.name}")
    return ", ".join(p for p in parts if p)


def registration_rows(program: Program, enrolments: Iterable[Enrolment]) -> Iterable[list[object]]:
    """One list of cell values per person, in COLUMNS order (text not yet neutralised)."""
    last = program_last_month(program)
    benefits = ", ".join(program.benefits)
    for number, enrolment in enumerate(enrolments, start=1):
        worker = enrolment.worker
        first = enrolment.start_month or program.start_month
        source = enrolment.funding_source
        yield [
            number,
            worker.nik,
            worker.name,
            worker.birth_place,
            worker.birth_date.strftime("%d-%m-%Y") if worker.birth_date else "",
            worker.sex,
            _address(enrolment),
            worker.phone,
            worker.occupation.name if worker.occupation else "",
            program.declared_income,
            benefits,
            f"{first:%m-%Y} s.d. {last:%m-%Y}",
            source.bpjs_code if source else "",
        ]


def _text_cell(ws: Worksheet, value: object) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=formula_safe(value))
        cell.data_type = "s"  # never a formula, a NIK never a number
        cell.number_format = TEXT_FORMAT
        return cell
    return WriteOnlyCell(ws, value=value)


def write_xlsx(path: Path, rows: Iterable[Sequence[object]]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Pendaftaran")
    ws.append([_text_cell(ws, name) for name in COLUMNS])
    for row in rows:
        ws.append([_text_cell(ws, value) for value in row])
    wb.save(path)


def write_csv(path: Path, rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([formula_safe(v) if isinstance(v, str) else v for v in row])


def bpjs_export_create(
    *, actor: Actor, program: Program, file_format: str
) -> tuple[BpjsExport, Path]:
    """Write the registration file of every approved, not yet sent person of `program` and
    move them to sent; people whose processing is restricted stay approved and out of the
    file (`bpjs_held_restricted` counts them). Refused when there is nobody to send."""
    if file_format not in FileFormat.values:
        raise ServiceError(_("Format file harus xlsx atau csv."))
    stored = f"{FOLDER}/{uuid.uuid4().hex}.{file_format}"
    path = upload_path(stored)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with transaction.atomic():
            export = _export(actor=actor, program=program, file_format=file_format, stored=stored)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return export, path


def _export(*, actor: Actor, program: Program, file_format: str, stored: str) -> BpjsExport:
    enrolments = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(program=program, status=EnrolmentStatus.APPROVED)
        .select_related(
            "worker",
            "worker__village__parent",
            "worker__occupation",
            "village__parent",
            "funding_source",
        )
        .order_by("worker__name", "pk")
    )
    held = restricted_niks(pemda_id=program.pemda_id)
    restricted = [e for e in enrolments if e.worker.nik in held]
    enrolments = [e for e in enrolments if e.worker.nik not in held]
    if not enrolments:
        message = _("Tidak ada peserta disetujui yang belum dikirim ke BPJS.")
        if restricted:
            message += " " + _("%(n)s orang ditahan: %(reason)s.") % {
                "n": len(restricted),
                "reason": HELD_REASON,
            }
        raise ServiceError(message)
    ids = [e.pk for e in enrolments]
    now = timezone.now()
    moved = 0
    for start in range(0, len(ids), _CHUNK):
        moved += Enrolment.objects.filter(
            pk__in=ids[start : start + _CHUNK], status=EnrolmentStatus.APPROVED
        ).update(status=EnrolmentStatus.SENT, sent_at=now, version=F("version") + 1)
    if moved != len(ids):
        raise ConflictError()
    export = BpjsExport.objects.create(
        pemda_id=program.pemda_id,
        program=program,
        file_format=file_format,
        count=len(enrolments),
        stored_name=stored,
        created_by=actor if isinstance(actor, User) else None,
    )
    BpjsExportLine.objects.bulk_create(
        [BpjsExportLine(export=export, enrolment_id=pk) for pk in ids], batch_size=_CHUNK
    )
    rows = registration_rows(program, enrolments)
    writer = write_xlsx if file_format == FileFormat.XLSX else write_csv
    writer(upload_path(stored), rows)
    audit_record(
        actor=actor,
        action="bpjs.registration_exported",
        obj=export,
        pemda=program.pemda,
        changes={
            "count": len(enrolments),
            "format": file_format,
            # People left out because their processing is restricted (UU PDP Pasal 11).
            **({"held_restricted": len(restricted)} if restricted else {}),
        },
    )
    return export


def bpjs_export_download(*, actor: Actor, export: BpjsExport) -> Path:
    """The stored file of an earlier export, its download audited (personal data)."""
    path = export_path(export)
    if not export.stored_name or not path.is_file():
        raise ServiceError(_("File pendaftaran ini tidak tersimpan lagi."))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="bpjs.registration_downloaded",
            obj=export,
            changes={"count": export.count, "format": export.file_format},
        )
    return path


def bpjs_held_restricted(*, program: Program) -> int:
    """Approved people of `program` the next registration file leaves out because their
    processing is restricted (UU PDP Pasal 11)."""
    held = restricted_niks(pemda_id=program.pemda_id)
    if not held:
        return 0
    return Enrolment.objects.filter(
        program=program, status=EnrolmentStatus.APPROVED, worker__nik__in=held
    ).count()
