"""Reading, cleaning and bulk-writing welfare register extracts (DTKS, DTSEN, P3KE).

Registers run to millions of rows, so the work is vectorised in polars: every column is read
as text, NIKs, dates, sex, RT/RW and desil are cleaned column-wise, and region names are
resolved once per distinct (district, village) pair and joined back. Issues are built as JSON
text in polars too. Nothing is dropped: a row that cannot be cleaned is stored with its issues
and the row as it came (`raw`).

Rows are written like `lindung.intake.batch`: INSERT ... executemany on SQLite, COPY on
PostgreSQL, inside the caller's transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Final

import polars as pl
from django.db import connection

from lindung.intake.rowcheck import RegionResolver
from lindung.intake.spreadsheet import Limits, read_workbook
from lindung.verification.models import RegisterRecord


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
    "district_code": ("kode_kecamatan", "KDKEC", "KODE KECAMATAN"),
    "village_code": ("kode_kelurahan_desa", "KDDESA", "KODE DESA", "KODE KELURAHAN"),
    "desil_kabupaten": ("desil_kabupaten_kota",),
    "desil_nasional": ("desil_nasional",),
    "desil": ("DESIL",),
    "percentile": ("PERCENTILE", "PERSENTIL"),
    "occupation": ("PEKERJAAN", "pekerjaan_ktp", "PEKERJAAN UTAMA"),
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


def _issue(fld: str, code: str, message: str) -> str:
    return json.dumps(
        {"field": fld, "code": code, "message": message, "severity": "warning"},
        ensure_ascii=False,
    )


def _col(found: Mapping[str, int], fld: str) -> pl.Expr:
    if fld in found:
        return pl.col(f"c{found[fld]}").str.strip_chars()
    return pl.lit("", dtype=pl.String)


_CONTROL: Final = tuple(chr(i) for i in range(32))


def _json_text(frame: pl.DataFrame, names: Sequence[str]) -> pl.Expr:
    """The row's cells as a JSON list of strings, built by concatenation: encoding a list
    column costs five times more. Control characters are escaped only in the columns that
    hold any (a scan per column)."""
    with_controls = (
        frame.select([pl.col(c).str.contains(r"[\x00-\x1f]").any().alias(c) for c in names]).row(0)
        if names
        else ()
    )
    parts: list[pl.Expr] = [pl.lit("[")]
    for index, (name, has_controls) in enumerate(zip(names, with_controls, strict=True)):
        cell = (
            pl.col(name)
            .str.replace_all("\\", "\\\\", literal=True)
            .str.replace_all('"', '\\"', literal=True)
        )
        if has_controls:
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


def _desil(found: Mapping[str, int]) -> pl.Expr:
    def number(fld: str) -> pl.Expr:
        value = _col(found, fld).str.replace(",", ".").cast(pl.Float64, strict=False)
        return pl.when((value >= 1) & (value <= 10) & (value == value.floor())).then(value)

    candidates = [number(f) for f in ("desil_kabupaten", "desil_nasional", "desil") if f in found]
    if "percentile" in found:
        # BDT percentile 1–40 bucketed into desil 1–4 (up to 10 = desil 1, ... 31–40 = 4).
        pct = _col(found, "percentile").str.replace(",", ".").cast(pl.Float64, strict=False)
        candidates.append(pl.when((pct >= 1) & (pct <= 40)).then(((pct - 1) / 10).floor() + 1))
    if not candidates:
        return pl.lit(None, dtype=pl.Int16)
    return pl.coalesce(candidates).cast(pl.Int16)


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
                {
                    "field": "village",
                    "code": "village_unknown",
                    "message": f"Desa/kelurahan '{village}' tidak ditemukan di kabupaten ini.",
                    "severity": "warning",
                }
            )
        return district_code, village_code, issues

    return lookup


def _kemendagri_code(text: str, digits: int) -> str:
    """'3504022001', '35.04.02.2001' → '35.04.02.2001'; '' when it is not such a code."""
    raw = re.sub(r"[^0-9]", "", text)
    if len(raw) != digits:
        return ""
    parts = [raw[0:2], raw[2:4], raw[4:6]] + ([raw[6:10]] if digits == 10 else [])
    return ".".join(parts)


def _regions(
    frame: pl.DataFrame,
    found: Mapping[str, int],
    *,
    code_style: str,
    lookup: RegionLookup,
    known_codes: frozenset[str],
) -> pl.DataFrame:
    """district_id, village_id and region_issues (JSON fragment or null) per row, resolved
    once per distinct pair of texts."""
    if code_style == "kemendagri":
        keys = ("district_code", "village_code")
    else:
        keys = ("district_name", "village_name")
    pairs = frame.with_columns(_d=_col(found, keys[0]), _v=_col(found, keys[1])).select("_d", "_v")
    distinct = pairs.unique()
    out_d: list[str | None] = []
    out_v: list[str | None] = []
    out_i: list[str | None] = []
    for district, village in distinct.iter_rows():
        issues: list[dict[str, str]] = []
        if code_style == "kemendagri":
            d_code = _kemendagri_code(district, 6) or None
            v_code = _kemendagri_code(village, 10) or None
            if v_code is not None and v_code not in known_codes:
                issues.append(
                    {
                        "field": "village",
                        "code": "village_code_unknown",
                        "message": f"Kode desa/kelurahan '{village}' tidak ada di kabupaten ini.",
                        "severity": "warning",
                    }
                )
                v_code = None
            if d_code is not None and d_code not in known_codes:
                issues.append(
                    {
                        "field": "district",
                        "code": "district_code_unknown",
                        "message": f"Kode kecamatan '{district}' tidak ada di kabupaten ini.",
                        "severity": "warning",
                    }
                )
                d_code = None
            if v_code is not None:
                d_code = v_code[:8]
        else:
            d_code, v_code, issues = lookup(district, village)
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
    return pairs.join(
        resolved, on=["_d", "_v"], how="left", maintain_order="left", nulls_equal=True
    )


# Columns of RegisterRecord written by `insert_records`, in this order.
COLUMNS: Final = (
    "snapshot_id", "pemda_id", "register_id", "nik", "kk", "name", "birth_place", "birth_date",
    "sex", "address", "rt", "rw", "district_id", "village_id", "desil", "occupation", "raw",
    "issues",
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


def clean_register(
    table: RawTable,
    *,
    code_style: str = "names",
    lookup: RegionLookup,
    known_codes: frozenset[str] = frozenset(),
) -> CleanRegister:
    """The register's rows cleaned column-wise. Raises RegisterError when the file has no
    NIK or name column, or its region codes cannot be read."""
    found = recognise(table.headers)
    if "nik" not in found or "name" not in found:
        missing = " dan ".join(
            label for fld, label in (("nik", "NIK"), ("name", "NAMA")) if fld not in found
        )
        raise RegisterError(
            f"Kolom {missing} tidak ditemukan di baris judul. Pastikan baris pertama berisi "
            "judul kolom seperti 'NOMOR NIK' dan 'NAMA'."
        )
    if code_style == "bps":
        raise RegisterError(
            "Kode wilayah BPS belum didukung. Muat ulang dengan --codes names (nama kecamatan "
            "dan desa) atau kode Kemendagri."
        )
    if code_style == "kemendagri" and "village_code" not in found:
        raise RegisterError(
            "Kolom kode desa/kelurahan (mis. kode_kelurahan_desa) tidak ditemukan; "
            "muat dengan --codes names bila file memuat nama wilayah."
        )
    frame = table.frame
    names = frame.columns
    nik_text = _col(found, "nik")
    nik = _digits(nik_text, 32)
    date_text = _col(found, "birth_date")
    birth = pl.coalesce(
        date_text.str.strptime(pl.Date, "%d-%m-%Y", strict=False),
        date_text.str.strptime(pl.Date, "%d/%m/%Y", strict=False),
        date_text.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False),
    )
    sex_text = _col(found, "sex").str.to_uppercase()
    sex = sex_text.replace_strict(_SEX, default="", return_dtype=pl.String)
    desil_text = pl.coalesce(
        [
            pl.when(_col(found, f) != "").then(_col(found, f))
            for f in ("desil_kabupaten", "desil_nasional", "desil", "percentile")
            if f in found
        ]
        + [pl.lit("", dtype=pl.String)]
    )
    regions = _regions(frame, found, code_style=code_style, lookup=lookup, known_codes=known_codes)
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
        desil=_desil(found),
        occupation=_col(found, "occupation"),
        raw=_json_text(frame, names),
        _nik_text=nik_text,
        _date_text=date_text,
        _sex_text=sex_text,
        _desil_text=desil_text,
    ).with_columns(regions.get_column("district_id"), regions.get_column("village_id"))
    cleaned = cleaned.with_columns(region_issues=regions.get_column("region_issues"))
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
            pl.lit(_issue("desil", "desil_invalid", "Desil bukan angka 1–10."))
        ),
        pl.col("region_issues"),
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
        ((pl.col("nik").str.len_chars() != 16) & (pl.col("name") == "")).alias("rejected"),
    )
    return CleanRegister(frame=out, found=found)


# -- writing -----------------------------------------------------------------------------

_SQLITE_CACHE_KIB: Final = 512 * 1024


def insert_records(clean: CleanRegister, *, snapshot_id: int, pemda_id: int) -> int:
    """Insert the cleaned rows of one snapshot. Must run inside a transaction: a failure
    leaves nothing behind."""
    meta = RegisterRecord._meta
    quote = connection.ops.quote_name
    columns = []
    for attname in COLUMNS:
        fld = next(f for f in meta.concrete_fields if f.attname == attname)
        columns.append(quote(fld.column))
    frame = clean.frame.select(
        pl.lit(snapshot_id).alias("snapshot_id"),
        pl.lit(pemda_id).alias("pemda_id"),
        *COLUMNS[2:],
    )
    table = quote(meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in frame.iter_rows():
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        # The three indexes take keys in random order; with SQLite's default 2 MB page cache
        # most inserts miss it. A larger cache for this load only.
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-_SQLITE_CACHE_KIB}")
        try:
            for chunk in frame.iter_slices(20_000):
                batch: list[tuple[Any, ...]] = chunk.rows()
                cursor.executemany(sql, batch)
                count += len(batch)
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
    return count
