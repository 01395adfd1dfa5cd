"""A corrected feedback file replacing the rejected rows of a submission: read with the
submission's own mapping, row by row against the stored rows; nothing else may change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.common.tabular import Sheet
from lindung.common.tabular.headers import header_signature
from lindung.intake.exports import (
    OWN_COLUMNS,
    VERIFICATION_COLUMNS,
    read_back,
)
from lindung.intake.models import (
    ImportJob,
    RowOutcome,
    Submission,
    SubmissionRow,
    SubmissionStatus,
    UploadedFile,
)
from lindung.intake.rowcheck import (
    RowResult,
    check_row,
)
from lindung.intake.services.rows import (
    check_context,
    duplicate_in_submission,
    duplicate_of,
    job_actor,
    job_finish,
    jsonable_cell,
    program_occupation_check,
    revise,
    submission_recount,
    touch_draft,
)
from lindung.intake.services.uploads import SheetLayout, file_read

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
            raw.append(jsonable_cell(value))
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
        actor=job_actor(job),
        action="submission.correction_refused",
        obj=job.target,
        changes={
            "file": job.file.original_name,
            "changed_rows": [[r.sheet, r.row_number] for r in others][:100],
            "foreign_rows": list(foreign)[:100],
        },
    )
    raise ServiceError(" ".join(messages))


def run_replacement(
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
    layout_sheets = {s.get("name", ""): s for s in target.layout.get("sheets") or []}

    progress(_("Membandingkan baris"), 20)
    compared = _compare_rows(target, sheet, spec, origin, layout_sheets)
    if compared.foreign or compared.others:
        _refuse_replacement(job, foreign=compared.foreign, others=compared.others)

    progress(_("Memeriksa baris"), 50)
    results = _recheck_rows(job, target, compared.changed, layout_sheets)

    progress(_("Menyimpan"), 85)
    _save_replacement(job, target, compared, results)
    return target


@dataclass
class _Comparison:
    """The rows of a corrected file against the stored rows: still-rejected rows that
    changed (with their new cells), rows that may not change but did (``others``), lines
    that match no stored row (``foreign``), and how many came back unchanged."""

    changed: list[tuple[SubmissionRow, list[object]]] = field(default_factory=list)
    others: list[SubmissionRow] = field(default_factory=list)
    foreign: list[int] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0


def _compare_rows(
    target: Submission,
    sheet: Sheet,
    spec: Mapping[str, Any],
    origin: int,
    layout_sheets: Mapping[str, Mapping[str, Any]],
) -> _Comparison:
    headers = [str(h) if h is not None else "" for h in spec["headers"]]
    start = origin + _feedback_width(headers, origin)
    file_headers = headers[:origin] + headers[start:]
    longest = _longest_headers(target)
    columns_of = {name: _column_map(file_headers, s, longest) for name, s in layout_sheets.items()}
    stored = {(r.sheet, r.row_number): r for r in SubmissionRow.objects.filter(submission=target)}

    compared = _Comparison()
    seen: set[tuple[str, int]] = set()
    for index in range(spec["header_row"] + 1, len(sheet.rows)):
        cells = list(sheet.rows[index])
        data = cells[:origin] + cells[start:]
        key = _origin_key(cells, origin)
        row = stored.get(key) if key is not None else None
        if row is None or key in seen:
            if any(not _blank(read_back(c)) for c in data):
                compared.foreign.append(index + 1)
            continue
        seen.add((row.sheet, row.row_number))
        columns = columns_of.get(row.sheet, [])
        raw, blanked = _replacement_raw(row, data, columns)
        compared.kept += blanked
        if _same_cells(raw, row.raw):
            compared.unchanged += 1
        elif row.outcome != RowOutcome.REJECTED:
            compared.others.append(row)
        else:
            compared.changed.append((row, raw))
    return compared


def _recheck_rows(
    job: ImportJob,
    target: Submission,
    changed: Sequence[tuple[SubmissionRow, list[object]]],
    layout_sheets: Mapping[str, Mapping[str, Any]],
) -> list[RowResult]:
    """Check the changed rows as an import would, duplicates judged against the submission
    and among the corrections themselves."""
    context = check_context(job.program)
    covered = program_occupation_check(job.program)
    results: list[RowResult] = []
    corrected_niks: dict[str, int] = {}
    for row, raw in changed:
        spec_of_row = layout_sheets.get(row.sheet) or {}
        mapping = {k: int(v) for k, v in (spec_of_row.get("columns") or {}).items()}
        mapped = {name: (raw[col] if col < len(raw) else "") for name, col in mapping.items()}
        result = covered(check_row(row.row_number, mapped, context=context))
        result = duplicate_in_submission(target, result, exclude=row.pk) or result
        nik = result.values.get("nik")
        if result.outcome != "rejected" and isinstance(nik, str) and nik:
            if nik in corrected_niks:
                result = duplicate_of(result, corrected_niks[nik])
            else:
                corrected_niks[nik] = row.row_number
        results.append(result)
    return results


def _save_replacement(
    job: ImportJob, target: Submission, compared: _Comparison, results: Sequence[RowResult]
) -> None:
    """Write the corrected rows in one transaction, if the submission is still a draft and
    no one changed those rows meanwhile."""
    changed = compared.changed
    with transaction.atomic():
        if not Submission.objects.filter(pk=target.pk, status=SubmissionStatus.DRAFT).exists():
            raise ServiceError(_("Usulan sudah diserahkan; perbaikan tidak dapat diunggah."))
        touch_draft(target)
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
            revise(row, raw=raw, result=result, source="reupload", actor=job.created_by)
        counts = submission_recount(target)
        result_info = {
            **counts,
            "replaced": len(changed),
            "unchanged": compared.unchanged,
            "kept": compared.kept,
        }
        job_finish(job, target, result_info, action="submission.rows_replaced")
