"""Recognising the files BPJS Ketenagakerjaan sends back, in whatever layout the branch uses:
title rows above the header, the columns named in many ways ("No. KTP", "Nomor Peserta",
"TMT", "Tgl Kepesertaan"...), dates in every form a spreadsheet writes, and the NIK read as
text (a NIK Excel turned into a number is a problem row, never matched).

The header is found by the file-in layer (`common.tabular.headers.find_header`) with the
synonyms below; each data row is read into a `BpjsRow` and classified for the import that
reads it (`classify_result`, `classify_roster`). Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Final

from lindung.common.tabular import Sheet
from lindung.common.tabular.headers import HeaderTable, cell_text, find_header, fold
from lindung.common.tabular.values import read_date_number, read_date_text
from lindung.domain.nik import NIK_LENGTH, detect_spreadsheet_damage

SYNONYMS: Final[dict[str, tuple[str, ...]]] = {
    "nik": (
        "NIK", "No KTP", "Nomor KTP", "No. KTP", "Nomor Induk Kependudukan", "NIK KTP",
        "No NIK", "Nomor NIK", "No Identitas", "Nomor Identitas", "KTP", "NIK Peserta",
        "NIK TK", "No KTP/NIK", "NIK/No KTP",
    ),
    "name": (
        "Nama", "Nama TK", "Nama Peserta", "Nama Tenaga Kerja", "Nama Lengkap", "Nama Pekerja",
    ),
    "kpj": (
        "KPJ", "No KPJ", "Nomor KPJ", "No. KPJ", "Nomor Peserta", "No Peserta", "No Kartu",
        "Nomor Kartu", "No Kartu Peserta", "Nomor Kartu Peserta", "KPJ Peserta",
    ),
    "effective_on": (
        "TMT", "Tanggal Efektif", "Tgl Efektif", "Tgl Kepesertaan", "Tanggal Kepesertaan",
        "Tgl Aktif", "Tanggal Aktif", "TMT Kepesertaan", "Tgl TMT", "Tanggal TMT",
        "Tgl Mulai", "Tanggal Mulai", "Mulai Kepesertaan", "Tgl Terdaftar", "Tanggal Terdaftar",
    ),
    "status": (
        "Status", "Hasil", "Status Pendaftaran", "Hasil Pendaftaran", "Status Kepesertaan",
        "Status Peserta", "Keterangan Status", "Status Verifikasi", "Hasil Verifikasi",
    ),
    "reason": (
        "Keterangan", "Alasan", "Catatan", "Alasan Penolakan", "Alasan Ditolak", "Ket",
        "Keterangan Penolakan", "Pesan",
    ),
    "funding_code": (
        "Kode Wadah", "Sumber Dana", "Kode Dana", "Kode Sumber Dana", "Wadah", "Kode Pembiayaan",
    ),
    "birth_date": ("Tgl Lahir", "Tanggal Lahir", "Tgl Lhr"),
    "village_code": (
        "Kode Wilayah", "Kode Desa", "Kode Kelurahan", "Kode Desa/Kelurahan", "Kode Desa/Kel",
        "Kode Wilayah Desa", "Kode Kemendagri",
    ),
    "row_no": ("No", "No Urut", "Nomor Urut", "Urut"),
}  # fmt: skip
TABLE: Final = HeaderTable(SYNONYMS)

ACCEPTED_WORDS: Final = frozenset(
    {"diterima", "berhasil", "aktif", "sukses", "terdaftar", "ok", "valid", "approved"}
)
REJECTED_WORDS: Final = frozenset(
    {
        "ditolak", "gagal", "tidak berhasil", "non aktif", "nonaktif", "tidak aktif", "tolak",
        "tidak valid", "tidak terdaftar", "rejected", "batal",
    }
)  # fmt: skip
TOTAL_WORDS: Final = ("jumlah", "total")

# Verdicts of a row.
ACCEPTED: Final = "accepted"
REJECTED: Final = "rejected"
IGNORED: Final = "ignored"
PROBLEM: Final = "problem"


@dataclass(frozen=True)
class Layout:
    """Where the table is: the sheet, the header row (0-based) and {field: column}."""

    sheet: str
    header_row: int
    columns: dict[str, int]
    headers: list[str]

    def to_dict(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "header_row": self.header_row + 1,
            "columns": {field: self.headers[i] for field, i in self.columns.items()},
        }


@dataclass(frozen=True)
class BpjsRow:
    """One data row as read: the raw cells, the fields found, and what it says."""

    sheet: str
    row_number: int  # as the spreadsheet numbers it (1-based)
    raw: list[str]
    nik: str = ""
    name: str = ""
    kpj: str = ""
    effective_on: dt.date | None = None
    birth_date: dt.date | None = None
    status_text: str = ""
    reason: str = ""
    funding_code: str = ""
    village_code: str = ""  # Kemendagri dotted code, as written (checked by the importer)
    verdict: str = ""  # ACCEPTED, REJECTED, IGNORED or PROBLEM once classified
    message: str = ""


def _eligible(found: set[str]) -> bool:
    return "nik" in found and len(found - {"row_no"}) >= 2


def locate(sheets: Sequence[Sheet]) -> tuple[Sheet, Layout] | None:
    """The sheet and header naming the most fields, with a NIK column; None when no sheet
    has one."""
    best: tuple[tuple[int, int], Sheet, Layout] | None = None
    for order, sheet in enumerate(sheets):
        found = find_header(sheet.rows, TABLE, eligible=_eligible)
        if found is None:
            continue
        columns: dict[str, int] = {}
        for index, field in enumerate(found.fields):
            if field is not None and field not in columns:
                columns[field] = index
        layout = Layout(sheet.name, found.header_row, columns, found.headers)
        rank = (len(columns), -order)
        if best is None or rank > best[0]:
            best = (rank, sheet, layout)
    return None if best is None else (best[1], best[2])


def _text(value: object) -> str:
    return " ".join(cell_text(value).split())


def read_nik(value: object) -> tuple[str, str]:
    """(digits, problem message): a NIK as text; a number cell is trusted only when it
    still holds 16 significant digits it cannot have (it never can), so it is a problem."""
    if isinstance(value, bool):
        return "", "NIK tidak terbaca."
    damage = detect_spreadsheet_damage(value)
    if damage is not None:
        return "", damage.message
    if isinstance(value, int | float | Decimal):
        digits = str(int(value))
    else:
        digits = "".join(_text(value).strip("'‘’`").replace(".", "").replace("-", "").split())
    if len(digits) != NIK_LENGTH or not digits.isdigit():
        return digits, f"NIK harus 16 digit angka (tertulis {_text(value)!r})."
    return digits, ""


def read_date(value: object, *, as_of: dt.date) -> tuple[dt.date | None, bool]:
    """(date, readable): a date cell, an Excel serial, or a text in any form we know."""
    if value is None or value == "":
        return None, True
    if isinstance(value, dt.datetime):
        return value.date(), True
    if isinstance(value, dt.date):
        return value, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, int | float | Decimal):
        reading = read_date_number(value, as_of)
    else:
        reading = read_date_text(str(value), as_of)
    if reading.blank:
        return None, True
    return reading.value, reading.value is not None


def read_kpj(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "".join(_text(value).strip("'‘’`").split())[:20]


def read_village_code(value: object) -> str:
    """A village's Kemendagri code as dotted text ("35.04.15.2001"), from the dotted form or
    the ten digits a spreadsheet keeps ("3504152001"); "" when it is neither."""
    digits = "".join(ch for ch in _text(value) if ch.isdigit())
    if len(digits) != 10:
        return ""
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"


def read_rows(sheet: Sheet, layout: Layout, *, as_of: dt.date) -> Iterator[BpjsRow]:
    """Every row under the header, read (not yet classified)."""
    columns = layout.columns

    def cell(row: list[object], field: str) -> object:
        index = columns.get(field)
        return row[index] if index is not None and index < len(row) else ""

    for offset, row in enumerate(sheet.rows[layout.header_row + 1 :]):
        number = layout.header_row + 2 + offset
        raw = [_text(v) for v in row]
        base = BpjsRow(sheet.name, number, raw)
        if not any(raw):
            yield replace(base, verdict=IGNORED, message="Baris kosong.")
            continue
        nik_value = cell(row, "nik")
        if _text(nik_value) == "":
            joined = fold(" ".join(raw))
            total = any(word in joined.split() for word in TOTAL_WORDS)
            only_numbers = all(not v or v.replace(".", "").isdigit() for v in raw)
            if total or only_numbers:
                yield replace(base, verdict=IGNORED, message="Baris jumlah atau nomor saja.")
            else:
                yield replace(base, verdict=PROBLEM, message="NIK kosong.")
            continue
        nik, nik_problem = read_nik(nik_value)
        effective, effective_ok = read_date(cell(row, "effective_on"), as_of=as_of)
        birth, _birth_ok = read_date(cell(row, "birth_date"), as_of=as_of)
        reading = replace(
            base,
            nik=nik,
            name=_text(cell(row, "name"))[:200],
            kpj=read_kpj(cell(row, "kpj")),
            effective_on=effective,
            birth_date=birth,
            status_text=_text(cell(row, "status"))[:60],
            reason=_text(cell(row, "reason"))[:255],
            funding_code=_text(cell(row, "funding_code")).upper()[:10],
            village_code=read_village_code(cell(row, "village_code")),
        )
        if nik_problem:
            yield replace(reading, verdict=PROBLEM, message=nik_problem[:255])
        elif not effective_ok:
            text = _text(cell(row, "effective_on"))
            yield replace(
                reading, verdict=PROBLEM, message=f"Tanggal efektif tidak terbaca: {text!r}."
            )
        else:
            yield reading


def status_of(text: str) -> str:
    """ACCEPTED, REJECTED or "" for a status text BPJS writes."""
    folded = fold(text)
    if folded in REJECTED_WORDS or folded.startswith(("tidak ", "non ", "di tolak")):
        return REJECTED
    if folded in ACCEPTED_WORDS:
        return ACCEPTED
    return ""


def classify_result(row: BpjsRow) -> BpjsRow:
    """A registration result: accepted (with KPJ and effective date) or rejected (with the
    reason). Without a status, KPJ + date means accepted, a reason without KPJ rejected."""
    if row.verdict:
        return row
    status = status_of(row.status_text)
    if not status and not row.status_text:
        if row.kpj and row.effective_on:
            status = ACCEPTED
        elif row.reason and not row.kpj:
            status = REJECTED
    if status == ACCEPTED:
        if not row.kpj:
            return replace(row, verdict=PROBLEM, message="Diterima tetapi nomor KPJ kosong.")
        if row.effective_on is None:
            return replace(row, verdict=PROBLEM, message="Diterima tetapi tanggal efektif kosong.")
        return replace(row, verdict=ACCEPTED)
    if status == REJECTED:
        return replace(row, verdict=REJECTED)
    shown = row.status_text or "kosong"
    return replace(row, verdict=PROBLEM, message=f"Status tidak dikenal ({shown}).")


def classify_roster(row: BpjsRow) -> BpjsRow:
    """A participant of the roster: active (with KPJ) or not active (ignored with a note)."""
    if row.verdict:
        return row
    status = status_of(row.status_text) if row.status_text else ACCEPTED
    if status == REJECTED:
        return replace(row, verdict=IGNORED, message=f"Tidak aktif ({row.status_text}).")
    if status != ACCEPTED:
        return replace(row, verdict=PROBLEM, message=f"Status tidak dikenal ({row.status_text}).")
    if not row.kpj:
        return replace(row, verdict=PROBLEM, message="Nomor KPJ kosong.")
    return replace(row, verdict=ACCEPTED)
