"""Find the header row of an agency spreadsheet and what each column means.

Agencies put title rows, merged bands and sometimes a two-level header above their data, and
name columns in many ways ("NIK", "No. KTP", "Nomor Induk Kependudukan"...). We score the first
rows by how many cells are known column names, pick the best row (or pair of rows), and say
when we are not sure, so the officer confirms the mapping once; ``header_signature`` lets that
confirmation be remembered per agency for the next file with the same layout. The finding
itself is the file-in layer's (`lindung.common.tabular.headers`); the synonyms, the fields
that make a header and the reasons to ask are intake's.

Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from lindung.common.tabular import Sheet
from lindung.common.tabular.headers import (
    HeaderTable,
    column_letter,
    find_header,
    header_signature,
)

# The order is the order of the mapping screen's choices.
FIELD_LABELS: Final[dict[str, str]] = {
    "nik": "NIK",
    "name": "Nama",
    "birth_place": "Tempat lahir",
    "birth_date": "Tanggal lahir",
    "birth_place_date": "Tempat, tanggal lahir",
    "sex": "Jenis kelamin",
    "address": "Alamat",
    "rt": "RT",
    "rw": "RW",
    "rt_rw": "RT/RW",
    "village": "Desa/Kelurahan",
    "district": "Kecamatan",
    "occupation": "Pekerjaan",
    "phone": "Nomor HP",
    "income": "Penghasilan per bulan",
    "kk": "Nomor KK",
    "row_no": "Nomor urut",
}
FIELDS: Final = tuple(FIELD_LABELS)

# Header texts as agencies write them. Matching folds case, punctuation and spacing, and
# retries without a parenthesised hint ("JENIS KELAMIN (1=L,2=P)", "Tgl Lahir (dd-mm-yyyy)").
# Matching is on the whole text, never a part of it: "No." is the row number, "No. KTP" the
# NIK, and a title such as "DAFTAR PERANGKAT DESA DAN KETUA RT/RW" matches nothing.
SYNONYMS: Final[dict[str, tuple[str, ...]]] = {
    "nik": (
        "NIK",
        "No KTP",
        "Nomor KTP",
        "Nomor Induk Kependudukan",
        "No Induk Kependudukan",
        "NIK KTP",
        "KTP NIK",
        "No KTP/NIK",
        "NIK/No KTP",
        "Nomor NIK",
        "No NIK",
        "KTP",
        "No Identitas",
        "Nomor Identitas",
    ),
    "name": (
        "Nama",
        "Nama Lengkap",
        "Nama Pekerja",
        "Nama Peserta",
        "Nama Sesuai KTP",
        "Nama Lengkap Sesuai KTP",
        "Nama Tenaga Kerja",
        "Nama Calon Peserta",
        "Nama Anggota",
        "Nama Penerima",
        "Nama Warga",
        "Nama Pedagang",
        "Nama Nelayan",
        "Nama Petani",
        "Nama Driver",
        "Nama Pengemudi",
        "Nama Perangkat",
    ),
    "birth_place": (
        "Tempat Lahir",
        "Tmp Lahir",
        "Tmpt Lahir",
        "Tempat Lhr",
        "Tmp Lhr",
        "Tempat Kelahiran",
        "Kota Lahir",
    ),
    "birth_date": (
        "Tgl Lahir",
        "Tanggal Lahir",
        "Tgl Lhr",
        "Tanggal Lhr",
        "Tgl Kelahiran",
        "Tanggal Kelahiran",
        "Tgl/Bln/Thn Lahir",
        "Tanggal/Bulan/Tahun Lahir",
    ),
    "birth_place_date": (
        "Tempat, Tgl Lahir",
        "Tempat/Tanggal Lahir",
        "Tempat Tanggal Lahir",
        "Tempat dan Tanggal Lahir",
        "Tempat dan Tgl Lahir",
        "Tmp/Tgl Lahir",
        "Tmpt/Tgl Lahir",
        "Tempat/Tgl Lhr",
        "Tmp/Tgl Lhr",
        "TTL",
    ),
    "sex": (
        "L/P",
        "P/L",
        "JK",
        "J/K",
        "Jenis Kelamin",
        "Jns Kelamin",
        "Jenis Kel",
        "Jns Kel",
        "Kelamin",
        "Sex",
        "Gender",
    ),
    "address": (
        "Alamat",
        "Alamat Lengkap",
        "Alamat Domisili",
        "Alamat Rumah",
        "Alamat Tinggal",
        "Alamat KTP",
        "Alamat Sesuai KTP",
        "Dusun",
        "Dusun/Lingkungan",
        "Dsn",
    ),
    "rt": ("RT",),
    "rw": ("RW",),
    "rt_rw": ("RT/RW",),
    "village": (
        "Desa",
        "Kelurahan",
        "Desa/Kel",
        "Desa/Kelurahan",
        "Kel/Desa",
        "Kelurahan/Desa",
        "Ds/Kel",
        "Nama Desa",
        "Nama Kelurahan",
    ),
    "district": ("Kecamatan", "Kec", "Nama Kecamatan"),
    "occupation": (
        "Pekerjaan",
        "Jenis Pekerjaan",
        "Pekerjaan Utama",
        "Bidang Pekerjaan",
        "Jabatan",
        "Profesi",
        "Jenis Profesi",
        "Jenis Usaha",
    ),
    "phone": (
        "No HP",
        "Nomor HP",
        "HP",
        "No HP/WA",
        "HP/WA",
        "No Handphone",
        "Handphone",
        "No Telp",
        "No Telepon",
        "Nomor Telepon",
        "Telp",
        "Telepon",
        "No Telp/HP",
        "Telp/HP",
        "WA",
        "No WA",
        "Nomor WA",
        "WhatsApp",
    ),
    "income": (
        "Penghasilan",
        "Pendapatan",
        "Penghasilan per Bulan",
        "Penghasilan Perbulan",
        "Penghasilan/Bulan",
        "Pendapatan per Bulan",
        "Pendapatan Perbulan",
        "Rata-rata Penghasilan",
        "Penghasilan Rata-rata",
        "Upah",
        "Upah per Bulan",
        "Gaji",
    ),
    "kk": (
        "No KK",
        "Nomor KK",
        "No Kartu Keluarga",
        "Nomor Kartu Keluarga",
        "KK",
        "NKK",
    ),
    "row_no": ("No", "Nomor", "No Urut", "Nomor Urut", "Urut"),
}

HEADERS: Final = HeaderTable(SYNONYMS)


def match_header(text: str) -> str | None:
    """The field a header text names, or None."""
    return HEADERS.match(text)


@dataclass(frozen=True)
class HeaderGuess:
    header_row: int  # 0-based index into Sheet.rows; data starts on the next row
    columns: dict[str, int]  # field → 0-based column (the leftmost, when several match)
    headers: list[str]  # the header texts, one per column ("" for an empty header cell)
    unmapped: list[int]  # columns with a header text we did not recognise
    confident: bool
    reasons: list[str]  # Indonesian; why we are not confident (empty when we are)


def _eligible(found: set[str]) -> bool:
    """A header row names the NIK or the name, and at least one other field."""
    return bool(found & {"nik", "name"}) and len(found) >= 2


def guess_header(rows: Sequence[Sequence[object]], *, scan_rows: int = 30) -> HeaderGuess | None:
    """The most likely header row among the first ``scan_rows`` rows, and the meaning of its
    columns; None when no row names at least NIK or name plus one other field."""
    best = find_header(rows, HEADERS, eligible=_eligible, scan_rows=scan_rows)
    if best is None:
        return None

    positions: dict[str, list[int]] = {}
    for column, field in enumerate(best.fields):
        if field is not None:
            positions.setdefault(field, []).append(column)
    columns = {field: cols[0] for field, cols in positions.items()}
    unmapped = [
        column
        for column, (text, field) in enumerate(zip(best.headers, best.fields, strict=True))
        if text and field is None
    ]
    reasons: list[str] = []
    if "nik" not in columns:
        reasons.append("Kolom NIK tidak dikenali. Pilih kolom yang berisi NIK.")
    if "name" not in columns:
        reasons.append("Kolom nama tidak dikenali. Pilih kolom yang berisi nama.")
    for field, cols in positions.items():
        if len(cols) > 1:
            letters = ", ".join(column_letter(c) for c in cols)
            reasons.append(
                f"{FIELD_LABELS[field]} cocok dengan beberapa kolom ({letters}). "
                "Pilih satu yang benar."
            )
    recognised = len(set(columns) - {"row_no"})
    if recognised < 3:
        reasons.append(
            f"Hanya {recognised} kolom yang dikenali. Periksa arti setiap kolom sebelum lanjut."
        )
    return HeaderGuess(
        header_row=best.header_row,
        columns=columns,
        headers=best.headers,
        unmapped=unmapped,
        confident=not reasons,
        reasons=reasons,
    )


def sheets_with_same_layout(sheets: Sequence[Sheet]) -> list[list[str]]:
    """Sheet names grouped by the signature of their guessed header, in workbook order.
    Sheets where no header is found are left out."""
    groups: dict[str, list[str]] = {}
    for sheet in sheets:
        guess = guess_header(sheet.rows)
        if guess is not None:
            groups.setdefault(header_signature(guess.headers), []).append(sheet.name)
    return list(groups.values())
