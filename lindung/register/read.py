"""Reading welfare register extracts (DTKS, DTSEN, P3KE) as text tables, and recognising
their columns by header.

Registers run to millions of rows: a CSV is read by polars directly, every column as text;
spreadsheets go through `lindung.common.tabular.read_workbook` (calamine in a child
process), the header row found under any title rows by the synonyms below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Final

import polars as pl

from lindung.common.tabular import Limits, read_workbook
from lindung.common.tabular.headers import HeaderTable, compact


class RegisterError(Exception):
    """A file the loader refuses; the message (Bahasa Indonesia) is for the officer."""


# Header synonyms, compared as upper-case letters and digits only ("ID_DTKS" → "IDDTKS").
SYNONYMS: Final[Mapping[str, tuple[str, ...]]] = {
    "register_id": ("ID DTKS", "IDDTKS", "ID_DTKS", "IDARTBDT", "IDSEMESTA", "ID SEMESTA"),
    "nik": (
        "NIK", "NOMOR NIK", "NO NIK", "NOMOR INDUK KEPENDUDUKAN", "nomor_induk_kependudukan",
        "NIK KTP", "NIK_KTP",
    ),
    "kk": ("NO KK", "NOMOR KK", "NOKK", "nomor_kartu_keluarga", "NO KEL", "NOKK_DTKS"),
    "name": ("NAMA", "NAMA LENGKAP", "NAMA_PENERIMA", "nama"),
    "birth_place": ("TEMPAT LAHIR", "TMP LAHIR", "TmpLahir", "tempat_lahir"),
    "birth_date": ("TANGGAL LAHIR", "TGL LAHIR", "tanggal_lahir", "TglLahir"),
    "sex": ("JENIS KELAMIN", "JK", "JNS KEL", "JnsKel", "jenis_kelamin", "L/P"),
    "address": ("ALAMAT", "alamat"),
    "rt": ("RT",),
    "rw": ("RW",),
    "district_name": ("KECAMATAN", "kecamatan", "NMKEC", "NM KEC"),
    "village_name": ("DESA/KELURAHAN", "kelurahan_desa", "DESA", "KELURAHAN", "NMKEL", "NM KEL"),
    "district_code": (
        "kode_kecamatan", "KDKEC", "KODE KECAMATAN", "KODE KEC", "KODE KECAMATAN BPS",
        "KODE KEC BPS",
    ),
    "village_code": (
        "kode_kelurahan_desa", "KDDESA", "KODE DESA", "KODE KELURAHAN", "KODE DESA BPS",
        "KODE DESA/KELURAHAN", "KDKEL",
    ),
    "desil_kabupaten": ("desil_kabupaten_kota",),
    "desil_nasional": ("desil_nasional",),
    "desil": ("DESIL",),
    "percentile": ("PERCENTILE", "PERSENTIL"),
    "occupation": ("PEKERJAAN", "pekerjaan_ktp", "PEKERJAAN UTAMA"),
    # Where a register marks a person as dead ("MENINGGAL", "WAFAT", "MD").
    "status": ("KETERANGAN", "KET", "STATUS", "STATUS KEMATIAN", "STATUS KEBERADAAN"),
}  # fmt: skip

# Register exports are written by programs: "TGL_LAHIR", "TglLahir" and "TGL LAHIR" are one
# header, so names are matched without spaces at all.
HEADERS: Final = HeaderTable(SYNONYMS, key=compact)


def header_key(text: object) -> str:
    return compact(str(text).replace("\ufeff", ""))


def recognise(headers: Sequence[object]) -> dict[str, int]:
    """{field: column index} for the headers we know; the first column of a field wins."""
    return HEADERS.columns([str(h).replace("\ufeff", "") for h in headers])


# -- reading -----------------------------------------------------------------------------


def _sniff_separator(path: Path) -> str:
    with path.open("rb") as fh:
        first = fh.read(65536).decode("utf-8", errors="replace").splitlines()[:1]
    line = first[0] if first else ""
    best, count = ";", 0
    for sep in (";", "|", "\t", ","):
        n = line.count(sep)
        if n > count:
            best, count = sep, n
    return best


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class RawTable:
    headers: list[str]
    frame: pl.DataFrame  # columns c0..cN, all text, data rows only


def read_table(path: Path, *, kind: str, limits: Limits) -> RawTable:
    """The file's header and data rows as text. CSV is read by polars directly (the fast
    path); spreadsheets go through `read_workbook` (first sheet whose header we know)."""
    if kind == "csv":
        frame = pl.read_csv(
            path,
            separator=_sniff_separator(path),
            has_header=False,
            infer_schema=False,
            encoding="utf8-lossy",
            truncate_ragged_lines=True,
        )
        if frame.height == 0:
            raise RegisterError("File tidak berisi baris apa pun.")
        headers = [str(v or "") for v in frame.row(0)]
        frame = frame.slice(1)
    else:
        headers, rows = _sheet_rows(path, kind=kind, limits=limits)
        width = len(headers)
        frame = pl.DataFrame(
            [[_cell_text(cell) for cell in row] for row in rows],
            schema=[f"column_{i + 1}" for i in range(width)],
            orient="row",
        )
    names = [f"c{i}" for i in range(frame.width)]
    frame = frame.rename(dict(zip(frame.columns, names, strict=True))).with_columns(
        pl.col(names).fill_null("")
    )
    # Blank lines are not data.
    frame = frame.filter(pl.any_horizontal(pl.col(names).str.strip_chars() != ""))
    if frame.height > limits.max_rows:
        raise RegisterError(
            f"File berisi lebih dari {limits.max_rows:,} baris data.".replace(",", ".")
        )
    return RawTable(headers=headers, frame=frame)


def _sheet_rows(path: Path, *, kind: str, limits: Limits) -> tuple[list[str], list[list[object]]]:
    for sheet in read_workbook(path, kind=kind, limits=limits):
        for index, row in enumerate(sheet.rows[:20]):
            found = recognise(row)
            if "nik" in found or "name" in found:
                return [_cell_text(c) for c in row], sheet.rows[index + 1 :]
    return [], []
