"""Spreadsheets we hand out: the per-program template and the feedback file of a submission.

Cells we write can never be formulas (ASVS 1.2.10, CWE-1236): text starting with = + - @ or a
tab/CR is written as a string cell; NIKs and phone numbers are text so Excel cannot round them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import IO, TYPE_CHECKING

from lindung.common.tabular.values import formula_restored, formula_safe
from lindung.domain.nik import mask_nik, mask_nik_runs
from lindung.intake.models import RowOutcome, Submission, SubmissionRow

if TYPE_CHECKING:
    # openpyxl (0,16 s to import) is imported where a workbook is made: intake's services,
    # and so every batch command (`lindung verify`), import this module for its other names.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.worksheet import Worksheet

TEXT = "@"
PROGRESS_EVERY = 2_000  # rows between two progress reports of a feedback file
OWN_COLUMNS = ("Lembar", "Baris", "Status", "Alasan")


@dataclass(frozen=True)
class _Styles:
    fills: Mapping[RowOutcome, PatternFill]  # a colour per outcome
    header_fill: PatternFill
    verification_fill: PatternFill
    header_font: Font


@cache
def _styles() -> _Styles:
    from openpyxl.styles import Font, PatternFill

    return _Styles(
        fills={
            RowOutcome.ACCEPTED: PatternFill("solid", fgColor="E4F4EA"),
            RowOutcome.ACCEPTED_WITH_WARNINGS: PatternFill("solid", fgColor="FFF3D6"),
            RowOutcome.REJECTED: PatternFill("solid", fgColor="FDE2E2"),
            RowOutcome.IGNORED: PatternFill("solid", fgColor="EEEEEE"),
        },
        header_fill=PatternFill("solid", fgColor="0B5D46"),
        verification_fill=PatternFill("solid", fgColor="123F7A"),
        header_font=Font(bold=True, color="FFFFFF"),
    )


TEMPLATE_COLUMNS = (
    ("No", 6, None),
    ("NIK", 20, TEXT),
    ("Nama Lengkap", 28, None),
    ("Tempat Lahir", 16, None),
    ("Tanggal Lahir", 14, "DD-MM-YYYY"),
    ("Jenis Kelamin (L/P)", 10, None),
    ("Alamat", 28, None),
    ("RT", 6, TEXT),
    ("RW", 6, TEXT),
    ("Desa/Kelurahan", 20, None),
    ("Kecamatan", 18, None),
    ("Jenis Pekerjaan", 26, None),
    ("No HP", 16, TEXT),
)
TEMPLATE_ROWS = 5_000


def safe_value(value: object) -> object:
    """A value as a cell may hold it: dates and numbers as they are, text never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool | int | dt.date | dt.datetime):
        return value
    if isinstance(value, float):
        # A NIK or phone that came as a number: show its digits, not 3,5E+15.
        return str(int(value)) if value.is_integer() and abs(value) >= 1e9 else value
    return str(value)


def sentences(messages: Iterable[str]) -> str:
    """Messages as one readable text: each a sentence ending in its full stop, said once,
    separated by a space. Joining them with "; " gave "NIK belum diisi.; Nama ..." since each
    message is already a sentence, some with a semicolon of their own."""
    seen: list[str] = []
    for message in messages:
        text = " ".join(str(message).split())
        if not text:
            continue
        if not text.endswith((".", "!", "?")):
            text += "."
        if text not in seen:
            seen.append(text)
    return " ".join(seen)


def read_back(value: object) -> object:
    """A cell of a file we wrote, as it was before `_cell` protected it: the apostrophe put
    in front of text that a spreadsheet would take for a formula is dropped again."""
    return formula_restored(value) if isinstance(value, str) else value


def _cell(
    ws: Worksheet,
    value: object,
    *,
    fill: PatternFill | None = None,
    number_format: str | None = None,
    font: Font | None = None,
) -> WriteOnlyCell:
    from openpyxl.cell import WriteOnlyCell

    value = safe_value(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        # openpyxl turns a string starting with "=" into a formula unless told otherwise.
        cell.data_type = "s"
        cell.value = formula_safe(value)
    if fill is not None:
        cell.fill = fill
    if number_format is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


@dataclass(frozen=True)
class RowVerification:
    """What verification concluded about one row, as the reader of the feedback may see it."""

    verdict: str  # eligible, review, ineligible
    verdict_label: str
    findings: tuple[str, ...]
    register_match: str  # the register record linked, "" when none


@dataclass(frozen=True)
class SubmissionVerification:
    """A verification run's conclusions about a submission's rows. Verification sits above
    intake (the layers contract), so it hands intake these plain values, never its models."""

    label: str  # which run, against which register snapshot
    counts: Mapping[str, int]  # rows per verdict
    rows: Mapping[int, RowVerification] = field(default_factory=dict)  # by row id


VERIFICATION_COLUMNS = ("Hasil verifikasi", "Keterangan verifikasi", "Padanan DTKS")


def feedback_workbook(
    submission: Submission,
    rows: Iterable[SubmissionRow],
    out: IO[bytes],
    *,
    verification: SubmissionVerification | None = None,
    on_progress: Callable[[int], None] | None = None,
    mask_ids: bool = False,
) -> int:
    """The agency's own rows as they sent them, with Lembar, Baris, Status and Alasan columns
    in front and a colour per outcome — ready to fix and send again as a corrected file.
    Once verified, three more columns follow Alasan: the verdict, its findings and the
    register record linked. With `mask_ids` NIK and KK columns (and any NIK in the register
    column) are masked: the reader does not act on them (need-to-know)."""
    from openpyxl import Workbook

    styles = _styles()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Umpan balik")
    sheets = submission.layout.get("sheets") or [{"headers": []}]
    headers: list[str] = max((s.get("headers") or [] for s in sheets), key=len)
    nik_columns = {
        index
        for s in sheets
        for field, index in (s.get("columns") or {}).items()
        if field in ("nik", "kk", "phone")
    }
    id_columns = {
        index
        for s in sheets
        for field, index in (s.get("columns") or {}).items()
        if mask_ids and field in ("nik", "kk")
    }
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["C"].width = 24
    ws.column_dimensions["D"].width = 60
    head_fill, head_font = styles.header_fill, styles.header_font
    ours = [_cell(ws, h, fill=head_fill, font=head_font) for h in OWN_COLUMNS]
    if verification is not None:
        ws.column_dimensions["E"].width = 22
        ws.column_dimensions["F"].width = 60
        ws.column_dimensions["G"].width = 36
        ours += [
            _cell(ws, h, fill=styles.verification_fill, font=styles.header_font)
            for h in VERIFICATION_COLUMNS
        ]
    ws.append([*ours, *(_cell(ws, h, fill=head_fill, font=head_font) for h in headers)])
    count = 0
    for row in rows:
        fill = styles.fills.get(RowOutcome(row.outcome))
        cells = [
            _cell(ws, row.sheet, fill=fill),
            _cell(ws, row.row_number, fill=fill),
            _cell(ws, RowOutcome(row.outcome).label, fill=fill),
            _cell(ws, sentences(issue["message"] for issue in row.issues), fill=fill),
        ]
        if verification is not None:
            result = verification.rows.get(row.pk)
            cells += [
                _cell(ws, result.verdict_label if result else ""),
                _cell(ws, sentences(result.findings) if result else ""),
                _cell(ws, _shown(result.register_match, mask_ids) if result else ""),
            ]
        for index, value in enumerate(row.raw):
            text_format = TEXT if index in nik_columns else None
            if text_format and isinstance(value, float | int) and not isinstance(value, bool):
                value = str(int(value)) if float(value).is_integer() else str(value)
            if index in id_columns and value not in (None, ""):
                value = mask_nik(str(value))
            cells.append(_cell(ws, value, number_format=text_format))
        ws.append(cells)
        count += 1
        if on_progress is not None and count % PROGRESS_EVERY == 0:
            on_progress(count)
    wb.save(out)
    return count


def _shown(text: str, mask_ids: bool) -> str:
    return mask_nik_runs(text) if mask_ids else text


def template_workbook(
    *, program_name: str, occupations: Sequence[str], districts: Sequence[str], out: IO[bytes]
) -> None:
    """An empty list to fill in: Indonesian headers, the NIK column as text, drop-downs for
    sex and job type, and an instructions sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 - a new workbook has one sheet
    _template_list_sheet(ws)
    _template_choices(wb, ws, occupations=occupations, districts=districts)
    _template_guide(wb, program_name)
    wb.active = 1
    wb.save(out)


def _template_list_sheet(ws: Worksheet) -> None:
    """The sheet to fill in: headers, column widths and the text format of the NIK column."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    styles = _styles()
    ws.title = "Daftar Pekerja"
    ws.append([name for name, _width, _fmt in TEMPLATE_COLUMNS])
    for index, (_name, width, fmt) in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = width
        header = ws.cell(row=1, column=index)
        header.font = styles.header_font
        header.fill = styles.header_fill
        header.alignment = Alignment(wrap_text=True, vertical="center")
        if fmt:
            for row in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=row, column=index).number_format = fmt
    ws.freeze_panes = "C2"


def _template_choices(
    wb: Workbook, ws: Worksheet, *, occupations: Sequence[str], districts: Sequence[str]
) -> None:
    """Drop-downs for sex, job type and district, the lists kept on a hidden sheet."""
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = wb.create_sheet("Pilihan")
    lists.sheet_state = "hidden"
    for row, name in enumerate(occupations, start=1):
        lists.cell(row=row, column=1, value=safe_value(name))
    for row, name in enumerate(districts, start=1):
        lists.cell(row=row, column=2, value=safe_value(name))
    last = TEMPLATE_ROWS + 1
    sex = DataValidation(
        type="list",
        formula1='"L,P"',
        allow_blank=True,
        error="Isi L atau P.",
        errorTitle="Jenis kelamin",
    )
    ws.add_data_validation(sex)
    sex.add(f"F2:F{last}")
    if occupations:
        job = DataValidation(
            type="list",
            formula1=f"=Pilihan!$A$1:$A${len(occupations)}",
            allow_blank=True,
            showErrorMessage=False,
        )
        ws.add_data_validation(job)
        job.add(f"L2:L{last}")
    if districts:
        district = DataValidation(
            type="list",
            formula1=f"=Pilihan!$B$1:$B${len(districts)}",
            allow_blank=True,
            showErrorMessage=False,
        )
        ws.add_data_validation(district)
        district.add(f"K2:K{last}")


def _template_guide(wb: Workbook, program_name: str) -> None:
    """The instructions sheet, first in the workbook."""
    from openpyxl.styles import Font

    guide = wb.create_sheet("Petunjuk", 0)
    guide.column_dimensions["A"].width = 110
    lines: list[tuple[str, bool]] = [
        (f"Petunjuk pengisian daftar usulan — {program_name}", True),
        ("", False),
        ("1. Isi satu pekerja per baris di lembar 'Daftar Pekerja', mulai baris 2.", False),
        (
            "2. NIK: 16 digit sesuai KTP. Kolom NIK sudah berformat Teks; jangan ubah menjadi "
            "Angka, karena Excel akan menghapus digit terakhir.",
            False,
        ),
        ("3. Tanggal lahir: hari-bulan-tahun, misalnya 12-08-1975.", False),
        ("4. Jenis kelamin: pilih L atau P.", False),
        ("5. Desa/Kelurahan dan Kecamatan: tulis nama sesuai wilayah domisili.", False),
        ("6. Jenis pekerjaan: pilih dari daftar; bila tidak ada, tulis apa adanya.", False),
        ("7. No HP: nomor seluler aktif, misalnya 0812-3456-7890.", False),
        ("8. Jangan menambah baris judul atau jumlah di bawah data.", False),
        ("", False),
        (
            "Setelah diunggah, setiap baris diperiksa. Baris yang ditolak dapat diperbaiki di "
            "aplikasi atau dengan mengunggah ulang file umpan balik.",
            False,
        ),
    ]
    for text, bold in lines:
        guide.append([text])
        if bold:
            guide.cell(row=guide.max_row, column=1).font = Font(bold=True, size=13)
