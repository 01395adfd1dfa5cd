"""Reading, cleaning and bulk-writing welfare register extracts (DTKS, DTSEN, P3KE).

Registers run to millions of rows, so the work is vectorised in polars: every column is read
as text, NIKs, dates, sex, RT/RW and desil are cleaned column-wise, and what needs a lookup
(region names or codes, date texts, status texts) is resolved once per distinct value and
joined back. Issues are built as JSON text in polars too. Nothing is dropped: a row that
cannot be cleaned is stored with its issues and the row as it came (`raw`).

Rows are written like `lindung.intake.batch`: INSERT ... executemany on SQLite, COPY on
PostgreSQL, inside the caller's transaction (see `insert_records` for the SQLite details).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Final

import polars as pl
from django.db import connection
from django.db.models import Sum

from lindung.common.tabular import Limits, read_workbook
from lindung.intake.rowcheck import RegionResolver
from lindung.verification.models import RegisterRecord, RegisterSnapshot


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

_NOT_ALNUM: Final = re.compile(r"[^0-9A-Z]+")


def header_key(text: object) -> str:
    return _NOT_ALNUM.sub("", str(text).replace("\ufeff", "").upper())


_KEY_TO_FIELD: Final = {header_key(s): f for f, names in SYNONYMS.items() for s in names}


def recognise(headers: Sequence[object]) -> dict[str, int]:
    """{field: column index} for the headers we know; the first column of a field wins."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        fld = _KEY_TO_FIELD.get(header_key(header))
        if fld is not None and fld not in found:
            found[fld] = index
    return found


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


# -- cleaning ----------------------------------------------------------------------------

_SEX: Final = {
    "LAKI-LAKI": "L", "LAKI LAKI": "L", "LAKILAKI": "L", "LAKI": "L", "L": "L", "1": "L",
    "PRIA": "L", "LK": "L",
    "PEREMPUAN": "P", "P": "P", "2": "P", "WANITA": "P", "PR": "P",
}  # fmt: skip


def _issue_dict(fld: str, code: str, message: str) -> dict[str, str]:
    return {"field": fld, "code": code, "message": message, "severity": "warning"}


def _issue(fld: str, code: str, message: str) -> str:
    return json.dumps(_issue_dict(fld, code, message), ensure_ascii=False)


def _col(found: Mapping[str, int], fld: str) -> pl.Expr:
    if fld in found:
        return pl.col(f"c{found[fld]}").str.strip_chars()
    return pl.lit("", dtype=pl.String)


def _lookup_column(
    frame: pl.DataFrame, source: pl.Expr, resolve: Callable[[pl.Series], pl.Series]
) -> pl.Series:
    """`resolve` applied to the distinct values of `source` only, joined back in row order:
    a register of a million rows holds a few tens of thousands of distinct dates and a
    handful of distinct status texts."""
    texts = frame.with_columns(source.alias("_text")).select("_text")  # broadcasts a literal
    distinct = texts.unique()
    resolved = distinct.with_columns(resolve(distinct.get_column("_text")).alias("_value"))
    return texts.join(resolved, on="_text", how="left", maintain_order="left").get_column("_value")


_CONTROL: Final = tuple(chr(i) for i in range(32))


def _json_text(frame: pl.DataFrame, names: Sequence[str]) -> pl.Expr:
    """The row's cells as a JSON list of strings, built by concatenation: encoding a list
    column costs five times more. Escaping is applied only to the columns that hold a quote,
    a backslash or a control character anywhere (one scan per column): in a typical register
    that is none of them, and escaping every column cost a second per million rows."""
    special = r'["\\\x00-\x1f]'
    scan = frame.select(pl.col(c).str.contains(special).any() for c in names)
    needs_escaping = scan.row(0) if names else ()
    parts: list[pl.Expr] = [pl.lit("[")]
    for index, (name, escape) in enumerate(zip(names, needs_escaping, strict=True)):
        cell = pl.col(name)
        if escape:
            cell = cell.str.replace_all("\\", "\\\\", literal=True).str.replace_all(
                '"', '\\"', literal=True
            )
            for ch in _CONTROL:
                cell = cell.str.replace_all(ch, json.dumps(ch)[1:-1], literal=True)
        parts.extend([pl.lit('"' if index == 0 else '","'), cell])
    parts.append(pl.lit('"]' if names else "]"))
    return pl.concat_str(parts)


def _digits(expr: pl.Expr, max_len: int) -> pl.Expr:
    return expr.str.replace_all(r"[^0-9]", "").str.slice(0, max_len)


def _padded(expr: pl.Expr) -> pl.Expr:
    return (
        pl.when(expr.str.contains(r"^[0-9]{1,3}$"))
        .then(expr.str.zfill(3))
        .otherwise(expr.str.slice(0, 8))
    )


# -- dates -------------------------------------------------------------------------------

# Month names as registers write them: Indonesian, full and short (with the old spellings
# "Pebruari", "Nopember"), and the English short names spreadsheets produce.
_MONTHS: Final = {
    "JAN": 1, "JANUARI": 1, "JANUARY": 1,
    "FEB": 2, "FEBRUARI": 2, "PEB": 2, "PEBRUARI": 2, "FEBRUARY": 2,
    "MAR": 3, "MARET": 3, "MARCH": 3,
    "APR": 4, "APRIL": 4,
    "MEI": 5, "MAY": 5,
    "JUN": 6, "JUNI": 6, "JUNE": 6,
    "JUL": 7, "JULI": 7, "JULY": 7,
    "AGU": 8, "AGT": 8, "AGS": 8, "AGUST": 8, "AGUSTUS": 8, "AUG": 8, "AUGUST": 8,
    "SEP": 9, "SEPT": 9, "SEPTEMBER": 9,
    "OKT": 10, "OKTOBER": 10, "OCT": 10, "OCTOBER": 10,
    "NOV": 11, "NOP": 11, "NOVEMBER": 11, "NOPEMBER": 11,
    "DES": 12, "DESEMBER": 12, "DEC": 12, "DECEMBER": 12,
}  # fmt: skip

# Excel's 1900 date system counts 1900-01-01 as day 1 and, copying Lotus 1-2-3, also counts
# a 29 February 1900 that never was (day 60): from day 61 on, day n is 1899-12-30 + n.
_EXCEL_SERIAL_MAX: Final = 60_000  # 2064-04-08: anything larger is not a birth date
_EXCEL_FAKE_LEAP_DAY: Final = 60


def parse_dates(texts: pl.Series, *, as_of: date) -> pl.Series:
    """Birth dates as registers write them → pl.Date (null when unreadable):

    - 27-05-2006, 27/05/2006, 27.05.2006, and with a two-digit year 27-05-06: the year is
      taken in the century that does not put it after the snapshot's year (as_of 2025:
      "25" → 2025, "26" → 1926);
    - 2006-05-27 (also with a time after it, as spreadsheets export date cells);
    - 12 Agustus 1975, 12-Agt-75, 1 Des 1980 (Indonesian or English month names);
    - Excel serial numbers 1..60000 (33512 → 1991-10-01), when the cell holds only a number.
      A bare number from 1800 to 2100 is a year of birth, not a serial, and stays unread.
    """
    t = pl.col("t").str.strip_chars().str.to_uppercase()
    dmy = t.str.extract_groups(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
    ymd = t.str.extract_groups(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$")
    named = t.str.extract_groups(r"^(\d{1,2})[-/. ]*([A-Z]+)[-/. ]*(\d{4}|\d{2})$")
    named_month = (
        named.struct.field("2")
        .replace_strict(_MONTHS, default=None, return_dtype=pl.Int32)
        .cast(pl.String)
    )
    day = pl.coalesce(dmy.struct.field("1"), ymd.struct.field("3"), named.struct.field("1"))
    month = pl.coalesce(dmy.struct.field("2"), ymd.struct.field("2"), named_month)
    year_text = pl.coalesce(dmy.struct.field("3"), ymd.struct.field("1"), named.struct.field("3"))
    short = year_text.cast(pl.Int32, strict=False)
    year = (
        pl.when(year_text.str.len_chars() != 2)
        .then(short)
        .when(2000 + short <= as_of.year)
        .then(2000 + short)
        .otherwise(1900 + short)
    )
    written = pl.format(
        "{}-{}-{}",
        year.cast(pl.String).str.zfill(4),
        month.str.zfill(2),
        day.str.zfill(2),
    ).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    serial_text = t.str.extract(r"^(\d{1,5})(?:\.0*)?$", 1)
    serial = serial_text.cast(pl.Int32, strict=False)
    is_serial = (
        serial.is_between(1, _EXCEL_SERIAL_MAX)
        & (serial != _EXCEL_FAKE_LEAP_DAY)
        & ~((serial_text.str.len_chars() == 4) & serial.is_between(1800, 2100))
    )
    from_serial = (
        pl.when(is_serial & (serial < _EXCEL_FAKE_LEAP_DAY))
        .then(pl.lit(date(1899, 12, 31)) + pl.duration(days=serial))
        .when(is_serial)
        .then(pl.lit(date(1899, 12, 30)) + pl.duration(days=serial))
    )
    return (
        texts.to_frame("t")
        .select(pl.coalesce(written, from_serial.cast(pl.Date)).alias("d"))
        .get_column("d")
    )


# -- desil and status --------------------------------------------------------------------


def _whole_number(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace(",", ".").cast(pl.Float64, strict=False)


def _desil(found: Mapping[str, int]) -> tuple[pl.Expr, pl.Expr, str]:
    """(desil, the text it was read from, the message when that text is not usable).

    The register's own desil wins (kabupaten, then national, then a plain DESIL column);
    only a file with no desil column at all has it derived from the percentile."""
    desil_fields = [f for f in ("desil_kabupaten", "desil_nasional", "desil") if f in found]
    if desil_fields:

        def number(fld: str) -> pl.Expr:
            value = _whole_number(_col(found, fld))
            return pl.when((value >= 1) & (value <= 10) & (value == value.floor())).then(value)

        text = pl.coalesce(
            [pl.when(_col(found, f) != "").then(_col(found, f)) for f in desil_fields]
            + [pl.lit("", dtype=pl.String)]
        )
        desil = pl.coalesce([number(f) for f in desil_fields]).cast(pl.Int16)
        return desil, text, "Desil bukan angka 1–10."
    if "percentile" in found:
        # Source: issue 4, point 4 ("Percentile"), as agreed for the verification work: a
        # percentile rank p (0–100, poorest first) lies in the decile ceil(p / 10), clamped to
        # 1..10, so p 0–10 → desil 1, 10,5–20 → 2, …, 90,5–100 → 10. Ranks outside 0–100 are
        # not percentiles and are flagged rather than clamped.
        pct = _whole_number(_col(found, "percentile"))
        desil = (
            pl.when((pct >= 0) & (pct <= 100)).then((pct / 10).ceil().clip(1, 10)).cast(pl.Int16)
        )
        return desil, _col(found, "percentile"), "Persentil bukan angka 0–100."
    return pl.lit(None, dtype=pl.Int16), pl.lit("", dtype=pl.String), ""


_DECEASED: Final = re.compile(r"(^| )(MENINGGAL|WAFAT)( |$)")


def deceased_issues(texts: pl.Series) -> pl.Series:
    """The `register_deceased` issue (JSON text) for the status texts saying the person died
    — "MENINGGAL", "MENINGGAL DUNIA", "WAFAT", "MD" — and null for the others."""
    out: list[str | None] = []
    for text in texts.to_list():
        letters = re.sub(r"[^A-Z]+", " ", (text or "").upper()).strip()
        if _DECEASED.search(letters) or letters.replace(" ", "") == "MD":
            out.append(
                _issue(
                    "status",
                    "register_deceased",
                    f"Register mencatat orang ini sudah meninggal ('{text}').",
                )
            )
        else:
            out.append(None)
    return pl.Series(out, dtype=pl.String)


# -- regions -----------------------------------------------------------------------------

RegionLookup = Callable[[str, str], tuple[str | None, str | None, list[dict[str, str]]]]


def resolver_lookup(resolver: RegionResolver) -> RegionLookup:
    def lookup(district: str, village: str) -> tuple[str | None, str | None, list[dict[str, str]]]:
        village_code, district_code, warnings = resolver.resolve(village=village, district=district)
        issues = [
            {"field": w.field, "code": w.code, "message": w.message, "severity": w.severity}
            for w in warnings
        ]
        if village and village_code is None and not issues:
            issues.append(
                _issue_dict(
                    "village",
                    "village_unknown",
                    f"Desa/kelurahan '{village}' tidak ditemukan di kabupaten ini.",
                )
            )
        return district_code, village_code, issues

    return lookup


_NUMBER_CELL: Final = re.compile(r"(\d+)\.0*")


def code_digits(text: str) -> str:
    """A region code cell as its digits: '35.04.15' → '350415'; a code a spreadsheet stored
    as a number, '3504150.0' → '3504150'."""
    text = text.strip()
    number = _NUMBER_CELL.fullmatch(text)
    if number:
        return number[1]
    return re.sub(r"[^0-9]", "", text)


def _kemendagri_code(text: str, digits: int) -> str:
    """'3504022001', '35.04.02.2001', '3504022001.0' → '35.04.02.2001'; '' when it is not
    such a code."""
    raw = code_digits(text)
    if len(raw) != digits:
        return ""
    parts = [raw[0:2], raw[2:4], raw[4:6]] + ([raw[6:10]] if digits == 10 else [])
    return ".".join(parts)


def _kemendagri_regions(
    district: str, village: str, known_codes: frozenset[str]
) -> tuple[str | None, str | None, list[dict[str, str]]]:
    issues: list[dict[str, str]] = []
    codes: dict[str, str | None] = {}
    for fld, text, digits, what in (
        ("village", village, 10, "desa/kelurahan"),
        ("district", district, 6, "kecamatan"),
    ):
        code = _kemendagri_code(text, digits) or None
        if text and code is None:
            message = f"Kode {what} '{text}' bukan kode Kemendagri ({digits} angka)."
        elif code is not None and code not in known_codes:
            message = f"Kode {what} '{text}' tidak ada di kabupaten ini."
            code = None
        else:
            message = ""
        if message:
            issues.append(_issue_dict(fld, f"{fld}_code_unknown", message))
        codes[fld] = code
    v_code, d_code = codes["village"], codes["district"]
    if v_code is not None:
        d_code = v_code[:8]
    return d_code, v_code, issues


def _bps_unmapped(fld: str, message: str) -> dict[str, str]:
    return _issue_dict(fld, "region_bps_unmapped", message)


def _bps_regions(
    codes: tuple[str, str],
    names: tuple[str, str],
    *,
    regency: str,
    lookup: RegionLookup,
) -> tuple[str | None, str | None, list[dict[str, str]]]:
    """Kemendagri district and village for a row with BPS codes (district, village) and
    names (district, village).

    There is no official BPS ↔ Kemendagri crosswalk on hand. What we know of the structure:
    a BPS district code has 7 digits (3504150: province 35, regency 04, district 150), a
    village code 10 (3504150001), and their first four digits are the Kemendagri regency
    (35.04). The district and village numbers themselves differ between the two systems, so
    below the regency the row is placed by its district and village NAMES; a row without
    them keeps its code in `raw` only, with a `region_bps_unmapped` warning. No code is
    guessed."""
    district_text, village_text = codes
    # The most precise code given speaks for the row.
    if village_text:
        fld, text, length, what = "village", village_text, 10, "desa (10 angka)"
    elif district_text:
        fld, text, length, what = "district", district_text, 7, "kecamatan (7 angka)"
    else:
        return lookup(*names)  # no code: the names alone, as with --codes names
    code = code_digits(text)
    if len(code) != length:
        reason = f"Kode BPS '{text}' bukan kode {what}; wilayah tidak dipetakan."
    elif code[:4] != regency.replace(".", ""):
        reason = f"Kode BPS '{text}' bukan wilayah kabupaten ini; wilayah tidak dipetakan."
    elif not any(names):
        reason = (
            f"Kode BPS '{text}' tidak dapat dipetakan ke kode Kemendagri: baris ini tidak "
            "memuat nama kecamatan/desa."
        )
    else:
        d_code, v_code, issues = lookup(*names)
        if (v_code if fld == "village" else d_code) is None:
            issues.append(
                _bps_unmapped(
                    fld,
                    f"Kode BPS '{text}' tidak dapat dipetakan ke kode Kemendagri: nama "
                    "wilayahnya tidak ditemukan.",
                )
            )
        return d_code, v_code, issues
    return None, None, [_bps_unmapped(fld, reason)]


def _regions(
    frame: pl.DataFrame,
    found: Mapping[str, int],
    *,
    code_style: str,
    lookup: RegionLookup,
    known_codes: frozenset[str],
    regency: str,
) -> pl.DataFrame:
    """district_id, village_id and region_issues (JSON fragment or null) per row, resolved
    once per distinct combination of texts."""
    keys: tuple[str, ...]
    if code_style == "kemendagri":
        keys = ("district_code", "village_code")
    elif code_style == "bps":
        keys = ("district_code", "village_code", "district_name", "village_name")
    else:
        keys = ("district_name", "village_name")
    names = [f"_k{i}" for i in range(len(keys))]
    parts = frame.with_columns(
        [_col(found, k).alias(n) for k, n in zip(keys, names, strict=True)]
    ).select(names)
    distinct = parts.unique()
    out_d: list[str | None] = []
    out_v: list[str | None] = []
    out_i: list[str | None] = []
    for texts in distinct.iter_rows():
        if code_style == "kemendagri":
            d_code, v_code, issues = _kemendagri_regions(texts[0], texts[1], known_codes)
        elif code_style == "bps":
            d_code, v_code, issues = _bps_regions(
                (texts[0], texts[1]), (texts[2], texts[3]), regency=regency, lookup=lookup
            )
        else:
            d_code, v_code, issues = lookup(texts[0], texts[1])
        out_d.append(d_code)
        out_v.append(v_code)
        out_i.append(
            ",".join(json.dumps(i, ensure_ascii=False) for i in issues) if issues else None
        )
    resolved = distinct.with_columns(
        pl.Series("district_id", out_d, dtype=pl.String),
        pl.Series("village_id", out_v, dtype=pl.String),
        pl.Series("region_issues", out_i, dtype=pl.String),
    )
    return parts.join(resolved, on=names, how="left", maintain_order="left", nulls_equal=True)


# -- the whole register ------------------------------------------------------------------

# Columns of RegisterRecord written by `insert_records`, in this order.
COLUMNS: Final = (
    "snapshot_id", "pemda_id", "register_id", "nik", "kk", "name", "birth_place", "birth_date",
    "sex", "address", "rt", "rw", "district_id", "village_id", "desil", "occupation", "raw",
    "issues", "deceased",
)  # fmt: skip


@dataclass(frozen=True)
class CleanRegister:
    frame: pl.DataFrame  # COLUMNS without snapshot_id and pemda_id, plus "rejected" (bool)
    found: dict[str, int]

    @property
    def rows(self) -> int:
        return self.frame.height

    @property
    def rejected(self) -> int:
        return int(self.frame.get_column("rejected").sum())


def _check_columns(found: Mapping[str, int], code_style: str) -> None:
    if "nik" not in found or "name" not in found:
        missing = " dan ".join(
            label for fld, label in (("nik", "NIK"), ("name", "NAMA")) if fld not in found
        )
        raise RegisterError(
            f"Kolom {missing} tidak ditemukan di baris judul. Pastikan baris pertama berisi "
            "judul kolom seperti 'NOMOR NIK' dan 'NAMA'."
        )
    if code_style == "kemendagri" and "village_code" not in found:
        raise RegisterError(
            "Kolom kode desa/kelurahan (mis. kode_kelurahan_desa) tidak ditemukan; "
            "muat dengan --codes names bila file memuat nama wilayah."
        )
    if code_style == "bps" and "village_code" not in found and "district_code" not in found:
        raise RegisterError(
            "Kolom kode wilayah BPS (mis. KDKEC atau KDDESA) tidak ditemukan; "
            "muat dengan --codes names bila file memuat nama wilayah."
        )


def clean_register(
    table: RawTable,
    *,
    as_of: date,
    code_style: str = "names",
    lookup: RegionLookup,
    known_codes: frozenset[str] = frozenset(),
    regency: str = "",
) -> CleanRegister:
    """The register's rows cleaned column-wise. `as_of` (the snapshot's date) places
    two-digit birth years; `regency` ("35.04") is the Pemda's, for BPS codes. Raises
    RegisterError when the file has no NIK or name column, or lacks the region code columns
    its code style needs."""
    found = recognise(table.headers)
    _check_columns(found, code_style)
    frame = table.frame
    names = frame.columns
    nik_text = _col(found, "nik")
    nik = _digits(nik_text, 32)
    date_text = _col(found, "birth_date")
    birth = _lookup_column(frame, date_text, lambda texts: parse_dates(texts, as_of=as_of))
    sex_text = _col(found, "sex").str.to_uppercase()
    sex = sex_text.replace_strict(_SEX, default="", return_dtype=pl.String)
    desil, desil_text, desil_message = _desil(found)
    deceased = (
        _lookup_column(frame, _col(found, "status"), deceased_issues)
        if "status" in found
        else pl.Series([None] * frame.height, dtype=pl.String)
    )
    regions = _regions(
        frame,
        found,
        code_style=code_style,
        lookup=lookup,
        known_codes=known_codes,
        regency=regency,
    )
    cleaned = frame.with_columns(
        register_id=_col(found, "register_id").str.slice(0, 64),
        nik=nik,
        kk=_digits(_col(found, "kk"), 32),
        name=_col(found, "name").str.replace_all(r"\s+", " "),
        birth_place=_col(found, "birth_place"),
        birth=birth,
        sex=sex,
        address=_col(found, "address"),
        rt=_padded(_col(found, "rt")),
        rw=_padded(_col(found, "rw")),
        desil=desil,
        occupation=_col(found, "occupation"),
        raw=_json_text(frame, names),
        _nik_text=nik_text,
        _date_text=date_text,
        _sex_text=sex_text,
        _desil_text=desil_text,
        _deceased=deceased,
    ).with_columns(
        regions.get_column("district_id"),
        regions.get_column("village_id"),
        regions.get_column("region_issues"),
    )
    issue_parts = [
        pl.when(pl.col("_nik_text") == "").then(
            pl.lit(_issue("nik", "nik_missing", "NIK kosong."))
        ),
        pl.when((pl.col("_nik_text") != "") & (pl.col("nik").str.len_chars() != 16)).then(
            pl.lit(_issue("nik", "nik_length", "NIK bukan 16 angka."))
        ),
        pl.when(pl.col("name") == "").then(pl.lit(_issue("name", "name_missing", "Nama kosong."))),
        pl.when((pl.col("_date_text") != "") & pl.col("birth").is_null()).then(
            pl.lit(
                _issue(
                    "birth_date",
                    "date_unreadable",
                    "Tanggal lahir tidak terbaca (pakai HH-BB-TTTT).",
                )
            )
        ),
        pl.when((pl.col("_sex_text") != "") & (pl.col("sex") == "")).then(
            pl.lit(_issue("sex", "sex_unknown", "Jenis kelamin tidak dikenal."))
        ),
        pl.when((pl.col("_desil_text") != "") & pl.col("desil").is_null()).then(
            pl.lit(_issue("desil", "desil_invalid", desil_message))
        ),
        pl.col("region_issues"),
        pl.col("_deceased"),
    ]
    # concat_str skipping nulls: a list column and list.join cost 40 times more.
    issues = pl.concat_str(issue_parts, separator=",", ignore_nulls=True)
    out = cleaned.select(
        "register_id",
        "nik",
        "kk",
        "name",
        "birth_place",
        pl.col("birth").dt.to_string("%Y-%m-%d").alias("birth_date"),
        "sex",
        "address",
        "rt",
        "rw",
        "district_id",
        "village_id",
        "desil",
        "occupation",
        "raw",
        pl.concat_str(pl.lit("["), issues, pl.lit("]")).alias("issues"),
        pl.col("_deceased").is_not_null().alias("deceased"),
        ((pl.col("nik").str.len_chars() != 16) & (pl.col("name") == "")).alias("rejected"),
    )
    return CleanRegister(frame=out, found=found)


# -- writing -----------------------------------------------------------------------------

_SQLITE_CACHE_KIB: Final = 512 * 1024
# Rows per INSERT statement on SQLite: one statement per row pays SQLite's per-statement
# work (and AUTOINCREMENT's sqlite_sequence update) a million times; 100 rows of 16
# parameters stay far below the 32.766-parameter limit (999 before SQLite 3.32).
_SQLITE_ROWS_PER_STATEMENT: Final = 100
_CHUNK_ROWS: Final = 20_000
# Rebuilding the indexes after the insert reads the whole table, earlier snapshots too, while
# keeping them costs per new row (random-order B-tree inserts). Measured on SQLite
# (docs/benchmarks.md): rebuilding wins while up to twice as many rows are already there.
_REBUILD_WHEN_EXISTING_AT_MOST: Final = 2


def _index_sql() -> list[tuple[str, str]]:
    """(DROP, CREATE) statements of RegisterRecord's indexes, as the migrations made them."""
    editor = connection.schema_editor()  # not entered: only its SQL builders are used
    quote = connection.ops.quote_name
    return [
        (f"DROP INDEX {quote(index.name)}", str(index.create_sql(RegisterRecord, editor)))
        for index in RegisterRecord._meta.indexes
    ]


def rebuild_indexes_pays(*, new_rows: int, snapshot_id: int) -> bool:
    """Whether to drop RegisterRecord's indexes for this load and build them after it.

    Only on SQLite: there the load holds the database's one write lock anyway and readers
    (WAL) keep seeing the last commit, so dropping the indexes inside the transaction costs
    nobody anything. On PostgreSQL DROP INDEX would lock every register record of every
    Pemda against reading until the load commits."""
    if connection.vendor != "sqlite":
        return False
    existing = (
        RegisterSnapshot.objects.exclude(pk=snapshot_id).aggregate(total=Sum("rows"))["total"] or 0
    )
    return existing <= _REBUILD_WHEN_EXISTING_AT_MOST * new_rows


def insert_records(
    clean: CleanRegister,
    *,
    snapshot_id: int,
    pemda_id: int,
    rebuild_indexes: bool | None = None,
) -> int:
    """Insert the cleaned rows of one snapshot. Must run inside a transaction: a failure
    leaves nothing behind, the indexes included (DDL is transactional on SQLite and
    PostgreSQL). `rebuild_indexes` None decides by `rebuild_indexes_pays`."""
    if not connection.in_atomic_block:
        raise RuntimeError("insert_records must run inside transaction.atomic()")
    if rebuild_indexes is None:
        rebuild_indexes = rebuild_indexes_pays(new_rows=clean.rows, snapshot_id=snapshot_id)
    meta = RegisterRecord._meta
    quote = connection.ops.quote_name
    columns = []
    for attname in COLUMNS:
        fld = next(f for f in meta.concrete_fields if f.attname == attname)
        columns.append(quote(fld.column))
    table = quote(meta.db_table)
    indexes = _index_sql() if rebuild_indexes else []
    with connection.cursor() as cursor, _load_settings(cursor):
        for drop, _create in indexes:
            cursor.execute(drop)
        if connection.vendor == "postgresql":
            count = _copy_postgresql(cursor, clean, table, columns, snapshot_id, pemda_id)
            if indexes:
                # CREATE INDEX refuses a table with deferred foreign-key checks pending.
                connection.check_constraints()
        else:
            count = _insert_sqlite(cursor, clean, table, columns, snapshot_id, pemda_id)
        for _drop, create in indexes:
            cursor.execute(create)
    return count


@contextmanager
def _load_settings(cursor: Any) -> Iterator[None]:
    """On SQLite, a page cache big enough for the new pages and the index sorter while
    loading (the default 2 MB makes most index inserts miss it), back to the connection's
    own size afterwards: a persistent connection must not keep 512 MB."""
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    previous = int(cursor.fetchone()[0])
    cursor.execute(f"PRAGMA cache_size = {-_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {previous}")


def _copy_postgresql(
    cursor: Any,
    clean: CleanRegister,
    table: str,
    columns: Sequence[str],
    snapshot_id: int,
    pemda_id: int,
) -> int:
    frame = clean.frame.select(
        pl.lit(snapshot_id).alias("snapshot_id"),
        pl.lit(pemda_id).alias("pemda_id"),
        *COLUMNS[2:],
    )
    count = 0
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        for row in frame.iter_rows():
            copy.write_row(row)
            count += 1
    return count


def _insert_sqlite(
    cursor: Any,
    clean: CleanRegister,
    table: str,
    columns: Sequence[str],
    snapshot_id: int,
    pemda_id: int,
) -> int:
    # Every value goes as text (NULL stays NULL): numpy gives an object array of str/None
    # that reshapes into statement-sized parameter lists at C speed, where polars' rows()
    # costs twice as much. SQLite's INTEGER affinity stores desil ('4') as the integer 4,
    # exactly as the ORM would.
    # Booleans as "0"/"1": SQLite's NUMERIC affinity stores the integers Django reads back.
    frame = clean.frame.select(
        (pl.col(c).cast(pl.Int8) if c == "deceased" else pl.col(c)).cast(pl.String)
        for c in COLUMNS[2:]
    )
    width = frame.width
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = min(_SQLITE_ROWS_PER_STATEMENT, limit // width)
    # The two ids are the same on every row: literals, not a million parameters each.
    fixed = f"{int(snapshot_id)}, {int(pemda_id)}, "
    one_row = "(" + fixed + ", ".join(["?"] * width) + ")"

    def statement(rows: int) -> str:
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join(  # noqa: S608
            [one_row] * rows
        )

    raw = cursor.cursor  # the backend's sqlite3 cursor: "?" parameters, no debug wrapper
    many = statement(per_statement)
    single = statement(1)
    count = 0
    chunk_rows = _CHUNK_ROWS // per_statement * per_statement
    for chunk in frame.iter_slices(chunk_rows):
        values = chunk.to_numpy()
        whole = len(values) // per_statement * per_statement
        raw.executemany(many, values[:whole].reshape(-1, per_statement * width).tolist())
        if whole < len(values):
            raw.executemany(single, values[whole:].tolist())
        count += len(values)
    return count
