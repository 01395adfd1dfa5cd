"""Intake writes: receiving a file, importing it (in the background), correcting rows,
handing a submission in. Every row is kept as it came; a job writes all its rows in one
transaction, so a crash leaves either the whole submission or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Agency, Role, User
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ConflictError, ServiceError
from lindung.common.tabular import FileRejected, Limits, Sheet, inspect_file, read_workbook
from lindung.intake import ports
from lindung.intake.batch import insert_rows
from lindung.intake.exports import (
    OWN_COLUMNS,
    VERIFICATION_COLUMNS,
    feedback_workbook,
    read_back,
)
from lindung.intake.models import (
    ColumnMapping,
    FeedbackExport,
    ImportJob,
    JobStatus,
    RowOutcome,
    RowRevision,
    Submission,
    SubmissionRow,
    SubmissionSource,
    SubmissionStatus,
    UploadedFile,
)
from lindung.intake.normalise import RowIssue
from lindung.intake.recognise import (
    FIELD_LABELS,
    HeaderGuess,
    guess_header,
    header_signature,
    match_header,
)
from lindung.intake.rowcheck import (
    CheckContext,
    OccupationResolver,
    RegionResolver,
    RowResult,
    check_row,
    check_rows,
)
from lindung.programs.models import Occupation, Program, ProgramStatus
from lindung.regions.models import Region, RegionLevel

# Row fields stored on SubmissionRow, in the order of RowResult.values.
ROW_FIELDS = (
    "nik",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "address",
    "rt",
    "rw",
    "phone",
    "income",
    "kk",
)
# The fields of a walk-in entry, in the column order of its stored cells.
ENTRY_FIELDS = (
    "nik",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "address",
    "rt",
    "rw",
    "village",
    "district",
    "occupation",
    "phone",
)
PROGRESS_EVERY = 5_000
CHUNK = 1 << 20


def limits() -> Limits:
    return Limits(max_bytes=settings.INTAKE_MAX_BYTES, max_rows=settings.INTAKE_MAX_ROWS)


# --- Receiving a file ------------------------------------------------------------------


def _check_can_submit(*, program: Program, agency: Agency) -> None:
    if program.pemda_id != agency.pemda_id:
        raise ServiceError(_("Instansi tidak ditemukan di Pemda ini."))
    if program.status != ProgramStatus.OPEN:
        raise ServiceError(_("Program %(p)s tidak sedang menerima usulan.") % {"p": program.name})
    if not agency.is_active:
        raise ServiceError(_("Instansi %(a)s tidak aktif.") % {"a": agency.name})


def upload_receive(
    *,
    actor: Any,
    program: Program,
    agency: Agency,
    stream: IO[bytes] | Iterable[bytes],
    filename: str,
) -> tuple[UploadedFile, bool]:
    """Store an uploaded file after checking it by content. Returns (file, created): the same
    content handed in again by the same agency for the same program is not stored twice."""
    _check_can_submit(program=program, agency=agency)
    upload_dir = Path(settings.UPLOAD_DIR)
    (upload_dir / "tmp").mkdir(parents=True, exist_ok=True)
    tmp = upload_dir / "tmp" / uuid.uuid4().hex
    digest = hashlib.sha256()
    size = 0
    max_bytes = limits().max_bytes
    try:
        with tmp.open("wb") as out:
            chunks = stream.chunks() if hasattr(stream, "chunks") else stream
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    audit_record(
                        actor=actor,
                        action="upload.refused",
                        pemda=program.pemda,
                        changes={"file": filename[:200], "code": "too_large", "size": size},
                    )
                    raise ServiceError(
                        _("File lebih besar dari %(mb)s MB. Pecah menjadi beberapa file.")
                        % {"mb": max_bytes // (1024 * 1024)}
                    )
                digest.update(chunk)
                out.write(chunk)
        try:
            kind = inspect_file(tmp, filename=filename, limits=limits())
        except FileRejected as exc:
            audit_record(
                actor=actor,
                action="upload.refused",
                pemda=program.pemda,
                changes={"file": filename[:200], "code": exc.code, "size": size},
            )
            raise ServiceError(exc.message) from exc
        sha = digest.hexdigest()
        existing = UploadedFile.objects.filter(program=program, agency=agency, sha256=sha).first()
        if existing is not None:
            return existing, False
        stored_name = f"{uuid.uuid4().hex}.{kind}"
        shutil.move(tmp, upload_dir / stored_name)
        try:
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
                    uploaded_by=_user(actor),
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
        except IntegrityError:
            # The same file arrived twice at once: keep the first.
            (upload_dir / stored_name).unlink(missing_ok=True)
            return UploadedFile.objects.get(program=program, agency=agency, sha256=sha), False
        return uploaded, True
    finally:
        tmp.unlink(missing_ok=True)


def upload_discard(*, actor: Any, uploaded: UploadedFile, reason: str) -> None:
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
    return Path(settings.UPLOAD_DIR) / uploaded.stored_name


def _user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) else None


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
    *, actor: Any, agency: Agency, signature: str, columns: Mapping[str, int]
) -> None:
    with transaction.atomic():
        mapping, created = ColumnMapping.objects.update_or_create(
            agency=agency,
            signature=signature,
            defaults={
                "pemda_id": agency.pemda_id,
                "columns": dict(columns),
                "updated_by": _user(actor),
            },
        )
        audit_record(
            actor=actor,
            action="column_mapping.saved",
            obj=mapping,
            pemda=agency.pemda,
            changes={"columns": dict(columns), "created": created},
        )


# --- Import jobs -----------------------------------------------------------------------


def job_create(
    *,
    actor: Any,
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
            created_by=_user(actor),
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
            from lindung.intake.tasks import run_import_job

            transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def job_restart(*, actor: Any, job: ImportJob) -> ImportJob:
    """Run a failed or interrupted job again; a finished one is left alone."""
    if job.status == JobStatus.DONE:
        return job
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, progress=0, phase="", message=""
    )
    audit_record(actor=actor, action="import_job.restarted", obj=job, pemda=job.pemda)
    from lindung.intake.tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    job.refresh_from_db()
    return job


def _progress(job: ImportJob, *, phase: str, percent: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        phase=phase, progress=min(max(percent, 0), 100), heartbeat_at=timezone.now()
    )


def check_context(program: Program) -> CheckContext:
    """What rows are checked against: the Pemda's districts and villages, and the program's
    occupations (all the Pemda's active ones when the program does not restrict them)."""
    regency = program.pemda.region_id
    districts = list(
        Region.objects.filter(
            code__startswith=regency + ".", level=RegionLevel.DISTRICT
        ).values_list("code", "name")
    )
    villages = list(
        Region.objects.filter(
            code__startswith=regency + ".", level=RegionLevel.VILLAGE
        ).values_list("code", "name")
    )
    # Job texts are recognised against the Pemda's whole list; whether the program covers
    # the job is a separate finding (see `program_occupation_check`).
    occupations = Occupation.objects.filter(pemda_id=program.pemda_id, is_active=True)
    return CheckContext(
        as_of=timezone.localdate(),
        regions=RegionResolver(districts, villages),
        occupations=OccupationResolver([(o.pk, o.name, list(o.synonyms)) for o in occupations]),
    )


def program_occupation_check(program: Program) -> Callable[[RowResult], RowResult]:
    """A warning for a recognised job the program does not cover (eligibility is decided at
    verification, so the row is kept)."""
    allowed = dict(program.occupations.filter(is_active=True).values_list("pk", "name"))
    if not allowed:
        return lambda result: result
    names = dict(Occupation.objects.filter(pemda_id=program.pemda_id).values_list("pk", "name"))

    issues: dict[int, RowIssue] = {}

    def check(result: RowResult) -> RowResult:
        occupation_id = result.values.get("occupation_id")
        if not isinstance(occupation_id, int) or occupation_id in allowed:
            return result
        if result.outcome == "ignored":
            return result
        if occupation_id not in issues:
            issues[occupation_id] = RowIssue(
                field="occupation",
                code="occupation_not_in_program",
                severity="warning",
                message=_("Jenis pekerjaan %(job)s tidak termasuk dalam program %(program)s.")
                % {"job": names.get(occupation_id, "?"), "program": program.name},
            )
        result.issues.append(issues[occupation_id])
        if result.outcome == "accepted":
            result.outcome = "accepted_with_warnings"
        return result

    return check


def _jsonable_cell(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


@dataclass(frozen=True)
class _SourceRow:
    sheet: str
    row_number: int  # 1-based, as the user sees it in the spreadsheet
    raw: list[object]
    mapped: dict[str, object]


def _source_rows(sheets: Sequence[Sheet], options: Mapping[str, Any]) -> list[_SourceRow]:
    by_name = {sheet.name: sheet for sheet in sheets}
    rows: list[_SourceRow] = []
    for spec in options["sheets"]:
        sheet = by_name.get(spec["name"])
        if sheet is None:
            raise ServiceError(_("Lembar %(s)s tidak ada di file.") % {"s": spec["name"]})
        columns: dict[str, int] = {k: int(v) for k, v in spec["columns"].items()}
        for index in range(spec["header_row"] + 1, len(sheet.rows)):
            cells = sheet.rows[index]
            mapped = {
                field: (cells[col] if col < len(cells) else "") for field, col in columns.items()
            }
            rows.append(
                # Cells stay as read; dates are written as ISO text when stored (batch.py).
                _SourceRow(sheet.name, index + 1, cells, mapped)
            )
    return rows


def _row_fields(result: RowResult) -> dict[str, Any]:
    values = result.values
    fields: dict[str, Any] = {name: values.get(name) for name in ROW_FIELDS}
    fields = {
        k: ("" if v is None and k not in ("birth_date", "income") else v) for k, v in fields.items()
    }
    # Normalised text is cut to its column (PostgreSQL enforces the length); the cells as
    # written stay whole in `raw`.
    for name, limit in _TEXT_LIMITS.items():
        if isinstance(fields.get(name), str):
            fields[name] = fields[name][:limit]
    fields["village_id"] = values.get("village_code")
    fields["district_id"] = values.get("district_code")
    fields["occupation_id"] = values.get("occupation_id")
    return fields


_TEXT_LIMITS = {
    f.attname: f.max_length
    for f in SubmissionRow._meta.concrete_fields
    if f.attname in ROW_FIELDS and getattr(f, "max_length", None)
}


def _issues(result: RowResult) -> list[dict[str, str]]:
    return [
        {"field": i.field, "code": i.code, "message": i.message, "severity": i.severity}
        for i in result.issues
    ]


def job_run(
    *,
    job_id: int,
    on_progress: Callable[[str, int], None] | None = None,
    sheets: Sequence[Sheet] | None = None,
) -> ImportJob:
    """Read, check and store one job's file. Everything before the final transaction only
    reads; the submission and all its rows are written together or not at all."""
    job = ImportJob.objects.select_related("file", "program__pemda", "agency", "target").get(
        pk=job_id
    )
    if job.status == JobStatus.DONE:
        return job
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, message="", heartbeat_at=timezone.now()
    )

    def progress(phase: str, percent: int) -> None:
        _progress(job, phase=phase, percent=percent)
        if on_progress is not None:
            on_progress(phase, percent)

    try:
        progress(_("Membaca file"), 5)
        if sheets is None:  # the caller may hand over what it has already read
            sheets = file_read(job.file)
        if job.target is not None:
            _run_replacement(job, sheets, progress)
            job.refresh_from_db()
            return job
        source = _source_rows(sheets, job.options)
        progress(_("Memeriksa baris"), 20)
        context = check_context(job.program)
        covered = program_occupation_check(job.program)
        results: list[RowResult] = []
        total = max(len(source), 1)
        for result in check_rows(((s.row_number, s.mapped) for s in source), context=context):
            results.append(covered(result))
            if len(results) % PROGRESS_EVERY == 0:
                progress(_("Memeriksa baris"), 20 + 60 * len(results) // total)
        progress(_("Menyimpan"), 85)
        _store_new(job, source, results)
    except ServiceError as exc:
        _fail(job, exc.message)
        raise
    except Exception:
        _fail(
            job,
            _(
                "Terjadi gangguan saat memproses file. Coba jalankan ulang; bila "
                "berulang, hubungi Admin Disnaker."
            ),
        )
        raise
    job.refresh_from_db()
    return job


def _job_actor(job: ImportJob) -> Any:
    """Who queued the job: the user, or the channel (e.g. "cli") that did."""
    return job.created_by or job.options.get("actor") or "sistem"


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, message=message, finished_at=timezone.now()
    )


def _store_new(
    job: ImportJob, source: Sequence[_SourceRow], results: Sequence[RowResult]
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
                "issues": _issues(result),
                "revision": 1,
                **_row_fields(result),
            }
            for src, result in zip(source, results, strict=True)
        )
        counts = submission_recount(submission)
        if not job.options.get("draft", True):
            _transition(
                actor=_job_actor(job),
                submission=submission,
                source=SubmissionStatus.DRAFT,
                target=SubmissionStatus.SUBMITTED,
                action="submission.submitted",
                refusal=_("Usulan ini sudah diserahkan atau baru saja diubah."),
                submitted_at=timezone.now(),
            )
        _finish(job, submission, counts, action="submission.imported")
    return submission


def _finish(job: ImportJob, submission: Submission, result: dict[str, int], *, action: str) -> None:
    """Mark the job done and audit what it did, in the transaction that stored its rows."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        progress=100,
        phase=_("Selesai"),
        submission=submission,
        result=result,
        finished_at=timezone.now(),
    )
    audit_record(
        actor=_job_actor(job),
        action=action,
        obj=submission,
        changes={"file": job.file.original_name, **result},
    )


# --- Replacing rejected rows by a corrected feedback file -------------------------------
#
# The feedback file carries the agency's own columns behind ours (Lembar, Baris, Status,
# Alasan and, once verified, the verification columns). It is read back with the mapping
# the submission was imported with, never by guessing its headers again: a NIK column the
# agency mapped by hand ("Identitas") is not recognised by its header, and a guess would
# read every row's NIK as empty.

_FEEDBACK_OWN = frozenset(h.lower() for h in (*OWN_COLUMNS[2:], *VERIFICATION_COLUMNS))
_LISTED = 10


def _fold(value: object) -> str:
    return str(value if value is not None else "").strip().lower()


def _folded(headers: Sequence[object]) -> list[str]:
    folded = [_fold(h) for h in headers]
    while folded and not folded[-1]:
        folded.pop()
    return folded


def feedback_origin(headers: Sequence[object]) -> int | None:
    """Where the feedback file's 'Lembar' and 'Baris' columns start, or None for a file
    that is not one of our feedback files."""
    folded = [_fold(h) for h in headers]
    for index in range(len(folded) - 1):
        if folded[index] == "lembar" and folded[index + 1] == "baris":
            return index
    return None


def _feedback_width(headers: Sequence[object], origin: int) -> int:
    """How many of our own columns start at `origin`: Lembar and Baris, then Status, Alasan
    and the verification columns unless the agency deleted them."""
    width = 2
    while origin + width < len(headers) and _fold(headers[origin + width]) in _FEEDBACK_OWN:
        width += 1
    return width


def _longest_headers(submission: Submission) -> list[str]:
    """The header row the feedback file was written with (exports.feedback_workbook)."""
    sheets = submission.layout.get("sheets") or [{"headers": []}]
    return list(max((s.get("headers") or [] for s in sheets), key=len))


def feedback_layout(*, uploaded: UploadedFile, submission: Submission) -> tuple[SheetLayout, int]:
    """The sheet and header row of a corrected feedback file, and where its Lembar column
    is. The columns are the submission's own confirmed mapping, shifted past our columns."""
    for sheet in file_read(uploaded):
        for index, row in enumerate(sheet.rows[:30]):
            headers = [str(c).strip() if c is not None else "" for c in row]
            origin = feedback_origin(headers)
            if origin is None:
                continue
            start = origin + _feedback_width(headers, origin)
            sheets = submission.layout.get("sheets") or [{}]
            spec = max(sheets, key=lambda s: len(s.get("headers") or []))
            columns = {
                field: (col if col < origin else col + start - origin)
                for field, col in (spec.get("columns") or {}).items()
            }
            return (
                SheetLayout(
                    name=sheet.name,
                    header_row=index,
                    headers=headers,
                    columns=columns,
                    confident=True,
                    reasons=[],
                    remembered=False,
                    signature=header_signature(headers),
                    preview=[],
                    data_rows=max(len(sheet.rows) - index - 1, 0),
                ),
                origin,
            )
    raise ServiceError(
        _(
            "Unggah file umpan balik dari Lindung: kolom Lembar dan Baris di "
            "depannya menunjukkan baris mana yang diperbaiki."
        )
    )


def _column_map(
    file_headers: Sequence[object], spec: Mapping[str, Any], longest: Sequence[object]
) -> list[int | None]:
    """For each column of a sheet of the submission, the column of the corrected file that
    holds it: by position when the file's header row is the one we wrote, else by header
    text (a column the agency moved); None for a column no longer in the file."""
    own = list(spec.get("headers") or [])
    if _folded(file_headers) == _folded(longest):
        return list(range(max(len(own), len(file_headers))))
    folded = [_fold(h) for h in file_headers]
    found: list[int | None] = []
    for index, header in enumerate(own):
        text = _fold(header)
        if text and index < len(folded) and folded[index] == text:
            found.append(index)
        elif text and folded.count(text) == 1:
            found.append(folded.index(text))
        else:
            found.append(None)
    return found


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_key(value: object) -> str:
    """A cell as text for comparing a stored cell with the cell read back from the feedback
    file: numbers written as text, dates as ISO text, Excel's apostrophe dropped."""
    value = read_back(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _same_cells(first: Sequence[object], second: Sequence[object]) -> bool:
    width = max(len(first), len(second))
    pad: list[object] = [""] * width
    return all(
        _cell_key(a) == _cell_key(b)
        for a, b in zip([*first, *pad][:width], [*second, *pad][:width], strict=True)
    )


def _replacement_raw(
    row: SubmissionRow, data: Sequence[object], columns: Sequence[int | None]
) -> tuple[list[object], int]:
    """The row's cells in the submission's layout as the corrected file has them, and how
    many cells the file left empty where the stored row has a value: those keep the stored
    value, since a correction never blanks what it did not change."""
    width = max(len(row.raw), len(columns))
    old = [*row.raw, *([""] * (width - len(row.raw)))]
    raw: list[object] = []
    blanked = 0
    for index in range(width):
        column = columns[index] if index < len(columns) else None
        value = read_back(data[column]) if column is not None and column < len(data) else None
        if _blank(value):
            if column is not None and not _blank(old[index]):
                blanked += 1
            raw.append(old[index])
        else:
            raw.append(_jsonable_cell(value))
    while len(raw) > len(row.raw) and _blank(raw[-1]):
        raw.pop()
    return raw, blanked


def _origin_key(cells: Sequence[object], origin: int) -> tuple[str, int] | None:
    """The (sheet, row number) a feedback file's row names in its Lembar and Baris cells."""
    try:
        sheet = str(read_back(cells[origin]) or "").strip()
        number = int(float(str(cells[origin + 1]).strip()))
    except (IndexError, ValueError):
        return None
    return sheet, number


def _row_label(sheet: str, number: int) -> str:
    if sheet:
        return _("baris %(n)s (lembar %(s)s)") % {"n": number, "s": sheet}
    return _("baris %(n)s") % {"n": number}


def _listed(labels: Sequence[str]) -> str:
    text = ", ".join(labels[:_LISTED])
    if len(labels) > _LISTED:
        text += " " + _("dan %(n)s lainnya") % {"n": len(labels) - _LISTED}
    return text


def _refuse_replacement(
    job: ImportJob, *, foreign: Sequence[int], others: Sequence[SubmissionRow]
) -> None:
    """Refuse a corrected file that would change more than the rejected rows: nothing of it
    is stored, the agency is told which rows, and the refusal is audited."""
    messages = []
    if others:
        messages.append(
            _(
                "Hanya baris yang ditolak yang dapat diperbaiki lewat file umpan balik, "
                "tetapi file ini juga mengubah %(rows)s. Kembalikan isian baris itu seperti "
                "di file umpan balik, atau ubah baris itu di halaman usulan."
            )
            % {"rows": _listed([_row_label(r.sheet, r.row_number) for r in others])}
        )
    if foreign:
        messages.append(
            _(
                "Baris %(rows)s file ini tidak berasal dari file umpan balik usulan ini "
                "(kolom Lembar dan Baris kosong, ganda atau tidak dikenal). Pekerja baru "
                "ditambahkan lewat unggahan baru atau Tambah satu pekerja."
            )
            % {"rows": _listed([str(n) for n in foreign])}
        )
    messages.append(_("Tidak ada perubahan yang disimpan."))
    assert job.target is not None  # noqa: S101 - only called for replacement jobs
    audit_record(
        actor=_job_actor(job),
        action="submission.correction_refused",
        obj=job.target,
        changes={
            "file": job.file.original_name,
            "changed_rows": [[r.sheet, r.row_number] for r in others][:100],
            "foreign_rows": list(foreign)[:100],
        },
    )
    raise ServiceError(" ".join(messages))


def _run_replacement(
    job: ImportJob, sheets: Sequence[Sheet], progress: Callable[[str, int], None]
) -> Submission:
    """A corrected feedback file replaces the rows of `job.target` that are still rejected,
    each matched by the Lembar and Baris the file carries and read with the submission's own
    mapping. A file that changes any other row, or brings rows of its own, is refused whole."""
    target = job.target
    assert target is not None  # noqa: S101 - only called for replacement jobs
    spec = job.options["sheets"][0]
    origin = job.options.get("origin_column")
    sheet = next((s for s in sheets if s.name == spec["name"]), None)
    if sheet is None:
        raise ServiceError(_("Lembar %(s)s tidak ada di file.") % {"s": spec["name"]})
    if origin is None:
        raise ServiceError(
            _(
                "Unggah file umpan balik dari Lindung: kolom Lembar dan Baris di "
                "depannya menunjukkan baris mana yang diperbaiki."
            )
        )
    headers = [str(h) if h is not None else "" for h in spec["headers"]]
    start = origin + _feedback_width(headers, origin)
    file_headers = headers[:origin] + headers[start:]
    longest = _longest_headers(target)
    layout_sheets = {s.get("name", ""): s for s in target.layout.get("sheets") or []}
    columns_of = {name: _column_map(file_headers, s, longest) for name, s in layout_sheets.items()}
    stored = {(r.sheet, r.row_number): r for r in SubmissionRow.objects.filter(submission=target)}

    progress(_("Membandingkan baris"), 20)
    seen: set[tuple[str, int]] = set()
    foreign: list[int] = []
    others: list[SubmissionRow] = []
    changed: list[tuple[SubmissionRow, list[object]]] = []
    unchanged = kept = 0
    for index in range(spec["header_row"] + 1, len(sheet.rows)):
        cells = list(sheet.rows[index])
        data = cells[:origin] + cells[start:]
        key = _origin_key(cells, origin)
        row = stored.get(key) if key is not None else None
        if row is None or key in seen:
            if any(not _blank(read_back(c)) for c in data):
                foreign.append(index + 1)
            continue
        seen.add((row.sheet, row.row_number))
        columns = columns_of.get(row.sheet, [])
        raw, blanked = _replacement_raw(row, data, columns)
        kept += blanked
        if _same_cells(raw, row.raw):
            unchanged += 1
        elif row.outcome != RowOutcome.REJECTED:
            others.append(row)
        else:
            changed.append((row, raw))
    if foreign or others:
        _refuse_replacement(job, foreign=foreign, others=others)

    progress(_("Memeriksa baris"), 50)
    context = check_context(job.program)
    covered = program_occupation_check(job.program)
    results: list[RowResult] = []
    corrected_niks: dict[str, int] = {}
    for row, raw in changed:
        spec_of_row = layout_sheets.get(row.sheet) or {}
        mapping = {k: int(v) for k, v in (spec_of_row.get("columns") or {}).items()}
        mapped = {field: (raw[col] if col < len(raw) else "") for field, col in mapping.items()}
        result = covered(check_row(row.row_number, mapped, context=context))
        result = _duplicate_in_submission(target, result, exclude=row.pk) or result
        nik = result.values.get("nik")
        if result.outcome != "rejected" and isinstance(nik, str) and nik:
            if nik in corrected_niks:
                result = _duplicate_of(result, corrected_niks[nik])
            else:
                corrected_niks[nik] = row.row_number
        results.append(result)

    progress(_("Menyimpan"), 85)
    with transaction.atomic():
        if not Submission.objects.filter(pk=target.pk, status=SubmissionStatus.DRAFT).exists():
            raise ServiceError(_("Usulan sudah diserahkan; perbaikan tidak dapat diunggah."))
        _touch_draft(target)
        current = dict(
            SubmissionRow.objects.filter(pk__in=[row.pk for row, _raw in changed]).values_list(
                "pk", "revision"
            )
        )
        if any(current.get(row.pk) != row.revision for row, _raw in changed):
            raise ServiceError(
                _(
                    "Baris yang ditolak diubah orang lain saat file ini diproses. Unduh "
                    "umpan balik yang baru dan coba lagi."
                )
            )
        for (row, raw), result in zip(changed, results, strict=True):
            _revise(row, raw=raw, result=result, source="reupload", actor=job.created_by)
        counts = submission_recount(target)
        result_info = {**counts, "replaced": len(changed), "unchanged": unchanged, "kept": kept}
        _finish(job, target, result_info, action="submission.rows_replaced")
    return target


def _raw_with(row: SubmissionRow, values: Mapping[str, object]) -> list[object]:
    """The row's cells in its original layout with the corrected values written into the
    columns they came from, so the feedback file still lines up with the agency's own."""
    sheets: list[dict[str, Any]] = row.submission.layout.get("sheets", [])
    spec: dict[str, Any] = next((s for s in sheets if s.get("name") == row.sheet), {})
    columns: dict[str, int] = {k: int(v) for k, v in (spec.get("columns") or {}).items()}
    raw = list(row.raw) + [""] * max(0, max(columns.values(), default=-1) + 1 - len(row.raw))
    combined = {
        "birth_place_date": ", ".join(
            str(values[k]) for k in ("birth_place", "birth_date") if values.get(k)
        ),
        "rt_rw": "/".join(str(values.get(k) or "") for k in ("rt", "rw")).strip("/"),
    }
    for field, column in columns.items():
        if field in values:
            raw[column] = _jsonable_cell(values[field])
        elif field in combined:
            raw[column] = combined[field]
    return raw


def _revise(
    row: SubmissionRow, *, raw: list[object], result: RowResult, source: str, actor: Any
) -> SubmissionRow:
    """Keep the row's current state as a revision, then write the new one."""
    RowRevision.objects.create(
        row=row,
        revision=row.revision,
        raw=row.raw,
        values={name: _jsonable_cell(getattr(row, name)) for name in ROW_FIELDS}
        | {"village": row.village_id, "district": row.district_id, "occupation": row.occupation_id},
        outcome=row.outcome,
        issues=row.issues,
        source=source,
        changed_by=_user(actor),
    )
    for name, value in _row_fields(result).items():
        setattr(row, name, value)
    row.raw = raw
    row.outcome = result.outcome
    row.issues = _issues(result)
    row.revision += 1
    row.save()
    return row


def submission_recount(submission: Submission) -> dict[str, int]:
    counts = dict(
        SubmissionRow.objects.filter(submission=submission)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    fields = {
        "accepted": counts.get(RowOutcome.ACCEPTED, 0),
        "accepted_with_warnings": counts.get(RowOutcome.ACCEPTED_WITH_WARNINGS, 0),
        "rejected": counts.get(RowOutcome.REJECTED, 0),
        "ignored": counts.get(RowOutcome.IGNORED, 0),
    }
    fields["rows_total"] = sum(fields.values())
    Submission.objects.filter(pk=submission.pk).update(**fields)
    for key, value in fields.items():
        setattr(submission, key, value)
    return fields


# --- Corrections, entries and states ---------------------------------------------------


def row_correct(
    *, actor: Any, row: SubmissionRow, values: Mapping[str, object], revision: int
) -> SubmissionRow:
    """Correct a row in the browser: re-check the new values; the old state is kept."""
    if not row.submission.is_editable:
        raise ServiceError(_("Usulan sudah diserahkan dan terkunci."))
    program = row.submission.program
    result = program_occupation_check(program)(
        check_row(row.row_number, dict(values), context=check_context(program))
    )
    duplicate = _duplicate_in_submission(row.submission, result, exclude=row.pk)
    if duplicate is not None:
        result = duplicate
    with transaction.atomic():
        _touch_draft(row.submission)
        if not SubmissionRow.objects.filter(pk=row.pk, revision=revision).exists():
            raise ConflictError()
        before = {"outcome": row.outcome, "nik": row.nik, "name": row.name}
        _revise(
            row,
            raw=_raw_with(row, values),
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


def _duplicate_in_submission(
    submission: Submission, result: RowResult, *, exclude: int | None
) -> RowResult | None:
    nik = result.values.get("nik")
    if not nik or result.outcome == "rejected":
        return None
    others = SubmissionRow.objects.filter(submission=submission, nik=nik)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    other = others.exclude(outcome=RowOutcome.REJECTED).first()
    if other is None:
        return None
    return _duplicate_of(result, other.row_number)


def _duplicate_of(result: RowResult, row_number: int) -> RowResult:
    """`result` rejected as having the NIK of row `row_number` of the same submission."""
    issue = RowIssue(
        field="nik",
        code="dup_in_file",
        severity="error",
        message=_("NIK sama dengan baris %(n)s.") % {"n": row_number},
    )
    return RowResult(
        row_number=result.row_number,
        values=result.values,
        issues=[*result.issues, issue],
        outcome="rejected",
    )


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
        result = _duplicate_in_submission(batch, result, exclude=None) or result
    return result


def entry_add(
    *,
    actor: Any,
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
    _check_can_submit(program=program, agency=agency)
    context = check_context(program)
    with transaction.atomic():
        submission, _created = Submission.objects.get_or_create(
            pemda_id=program.pemda_id,
            program=program,
            agency=agency,
            source=SubmissionSource.ENTRY,
            status=SubmissionStatus.DRAFT,
            defaults={
                "created_by": _user(actor),
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
        _touch_draft(submission)
        number = (
            submission.rows.order_by("-row_number").values_list("row_number", flat=True).first()
            or 0
        ) + 1
        result = program_occupation_check(program)(check_row(number, dict(values), context=context))
        duplicate = _duplicate_in_submission(submission, result, exclude=None)
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
            raw=[_jsonable_cell(values.get(f, "")) for f in ENTRY_FIELDS],
            outcome=result.outcome,
            issues=_issues(result),
            **_row_fields(result),
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


def _transition(
    *,
    actor: Any,
    submission: Submission,
    source: str,
    target: str,
    action: str,
    refusal: str,
    **extra: Any,
) -> Submission:
    """Move a submission from `source` to `target` with a conditional UPDATE on its status and
    the version the caller saw, so two people acting at once cannot both succeed; audited."""
    with transaction.atomic():
        updated = Submission.objects.filter(
            pk=submission.pk, status=source, version=submission.version
        ).update(status=target, version=submission.version + 1, **extra)
        if not updated:
            raise ServiceError(refusal)
        submission.refresh_from_db()
        audit_record(
            actor=actor, action=action, obj=submission, changes={"status": [source, target]}
        )
    return submission


def _touch_draft(submission: Submission) -> None:
    """Inside a transaction: bump the version of a submission that must still be a draft.

    The conditional UPDATE locks the row (PostgreSQL) and changes its version, so a hand-in
    racing with a correction or an entry either waits and then sees a new version (and is
    refused as stale), or has already locked the submission (and the change is refused)."""
    touched = Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.DRAFT).update(
        version=F("version") + 1
    )
    if not touched:
        raise ServiceError(_("Usulan sudah diserahkan dan terkunci."))
    submission.version = Submission.objects.values_list("version", flat=True).get(pk=submission.pk)


def submission_submit(*, actor: Any, submission: Submission) -> Submission:
    """Hand a draft in: from now on it is locked for the agency."""
    if not SubmissionRow.objects.filter(submission=submission).exists():
        raise ServiceError(_("Usulan kosong tidak dapat diserahkan."))
    return _transition(
        actor=actor,
        submission=submission,
        source=SubmissionStatus.DRAFT,
        target=SubmissionStatus.SUBMITTED,
        action="submission.submitted",
        refusal=_("Usulan ini sudah diserahkan atau baru saja diubah."),
        submitted_at=timezone.now(),
    )


def submission_delete(*, actor: Any, submission: Submission) -> None:
    """Remove a draft that was never handed in, with its rows, their history, its import
    jobs and the uploaded files no other submission uses: an empty or abandoned list should
    not stay in the agency's work. Only the agency itself or the Pemda's admin may; the audit
    event records what was removed."""
    user = _user(actor)
    allowed = user is not None and (
        user.agency_id == submission.agency_id
        or (user.role == Role.ADMIN and user.pemda_id == submission.pemda_id)
    )
    if not allowed:
        raise ServiceError(_("Hanya instansi pengusul atau Admin yang dapat menghapus usulan ini."))
    jobs = ImportJob.objects.filter(Q(target=submission) | Q(submission=submission))
    with transaction.atomic():
        _touch_draft(submission)  # refuses a list already handed in; locks it meanwhile
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


def submission_start_verification(*, actor: Any, submission: Submission) -> Submission:
    return _transition(
        actor=actor,
        submission=submission,
        source=SubmissionStatus.SUBMITTED,
        target=SubmissionStatus.IN_VERIFICATION,
        action="submission.verification_started",
        refusal=_("Hanya usulan yang sudah diserahkan dapat diverifikasi."),
    )


def agency_for_upload(*, user: User, agency: Agency | None) -> Agency:
    """Operators upload for their own agency; an admin may upload on an agency's behalf."""
    if user.is_agency_scoped:
        assert user.agency is not None  # noqa: S101 - operators always have one
        return user.agency
    if agency is None or agency.pemda_id != user.pemda_id:
        raise ServiceError(_("Pilih instansi pengusul."))
    return agency


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
        from lindung.intake.tasks import run_feedback_export

        transaction.on_commit(lambda: run_feedback_export.enqueue(export.pk))
    return export


def feedback_export_run(*, export_id: int) -> FeedbackExport:
    """Write the feedback file of a queued export under a server-generated name, reporting
    progress on the export; the export of personal data is audited when the file is ready."""
    export = FeedbackExport.objects.select_related("submission", "requested_by").get(pk=export_id)
    if export.status == JobStatus.DONE:
        return export
    FeedbackExport.objects.filter(pk=export.pk).update(
        status=JobStatus.RUNNING, progress=0, message="", heartbeat_at=timezone.now()
    )
    submission = export.submission
    total = max(submission.rows_total, 1)

    def progress(count: int) -> None:
        FeedbackExport.objects.filter(pk=export.pk).update(
            progress=min(5 + 90 * count // total, 95), heartbeat_at=timezone.now()
        )

    stored_name = f"{uuid.uuid4().hex}.xlsx"
    export.stored_name = stored_name
    path = feedback_export_path(export)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        verification = ports.verification_of(export.requested_by, submission)
        FeedbackExport.objects.filter(pk=export.pk).update(progress=5)
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
            )
    except Exception:
        path.unlink(missing_ok=True)
        FeedbackExport.objects.filter(pk=export.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=_(
                "File umpan balik gagal dibuat. Coba buat ulang; bila berulang, hubungi "
                "Admin Disnaker."
            ),
        )
        raise
    changes: dict[str, Any] = {"rows": count, "export": export.pk}
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
