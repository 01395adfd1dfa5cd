"""Cleaning a welfare register column-wise: NIKs, names, dates, sex, RT/RW, desil, the
deceased status and the regions, with every problem kept as an issue on the row.

Registers run to millions of rows, so the work is vectorised in polars: what needs a lookup
(region names or codes, date texts, status texts) is resolved once per distinct value and
joined back. Issues are built as JSON text in polars too. Nothing is dropped: a row that
cannot be cleaned is stored with its issues and the row as it came (`raw`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

import polars as pl

from lindung.common.tabular import values
from lindung.register.columns import col, issue, lookup_column
from lindung.register.read import RawTable, RegisterError, recognise
from lindung.register.regions import RegionLookup, resolve_regions

_SEX: Final = {
    "LAKI-LAKI": "L", "LAKI LAKI": "L", "LAKILAKI": "L", "LAKI": "L", "L": "L", "1": "L",
    "PRIA": "L", "LK": "L",
    "PEREMPUAN": "P", "P": "P", "2": "P", "WANITA": "P", "PR": "P",
}  # fmt: skip


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


def parse_dates(texts: pl.Series, *, as_of: date) -> pl.Series:
    """Birth dates as registers write them → pl.Date (null when not a date), by the file-in
    layer's rules (`lindung.common.tabular.values.read_date_text`, the ones intake uses),
    each distinct text parsed once: dd-mm-yyyy with "-", "/" or "." and two-digit years
    pivoted on `as_of`; ISO with or without a time; "12 Agustus 1975", "12-Agt-75";
    ddmmyyyy; Excel serial numbers written as whole numbers. A year alone, a date after
    `as_of` or before 1900 stays unread."""
    distinct = texts.unique()
    parsed = [
        values.read_date_text(text, as_of).value if text else None for text in distinct.to_list()
    ]
    table = pl.DataFrame(
        {"t": distinct, "d": pl.Series(parsed, dtype=pl.Date)},
        schema={"t": pl.String, "d": pl.Date},
    )
    return (
        texts.to_frame("t")
        .join(table, on="t", how="left", maintain_order="left", nulls_equal=True)
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
            value = _whole_number(col(found, fld))
            return pl.when((value >= 1) & (value <= 10) & (value == value.floor())).then(value)

        text = pl.coalesce(
            [pl.when(col(found, f) != "").then(col(found, f)) for f in desil_fields]
            + [pl.lit("", dtype=pl.String)]
        )
        desil = pl.coalesce([number(f) for f in desil_fields]).cast(pl.Int16)
        return desil, text, "Desil bukan angka 1–10."
    if "percentile" in found:
        # Source: issue 4, point 4 ("Percentile"), as agreed for the verification work: a
        # percentile rank p (0–100, poorest first) lies in the decile ceil(p / 10), clamped to
        # 1..10, so p 0–10 → desil 1, 10,5–20 → 2, …, 90,5–100 → 10. Ranks outside 0–100 are
        # not percentiles and are flagged rather than clamped.
        pct = _whole_number(col(found, "percentile"))
        desil = (
            pl.when((pct >= 0) & (pct <= 100)).then((pct / 10).ceil().clip(1, 10)).cast(pl.Int16)
        )
        return desil, col(found, "percentile"), "Persentil bukan angka 0–100."
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
                issue(
                    "status",
                    "register_deceased",
                    f"Register mencatat orang ini sudah meninggal ('{text}').",
                )
            )
        else:
            out.append(None)
    return pl.Series(out, dtype=pl.String)


# -- the whole register ------------------------------------------------------------------


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
    regions = resolve_regions(
        frame,
        found,
        code_style=code_style,
        lookup=lookup,
        known_codes=known_codes,
        regency=regency,
    )
    desil, desil_text, desil_message = _desil(found)
    cleaned = _cleaned(frame, found, as_of=as_of, desil=desil, desil_text=desil_text).with_columns(
        regions.get_column("district_id"),
        regions.get_column("village_id"),
        regions.get_column("region_issues"),
    )
    # concat_str skipping nulls: a list column and list.join cost 40 times more.
    issues = pl.concat_str(_issue_parts(desil_message), separator=",", ignore_nulls=True)
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


def _cleaned(
    frame: pl.DataFrame,
    found: Mapping[str, int],
    *,
    as_of: date,
    desil: pl.Expr,
    desil_text: pl.Expr,
) -> pl.DataFrame:
    """The cleaned columns next to the texts they came from (`_*`, for the issues)."""
    date_text = col(found, "birth_date")
    sex_text = col(found, "sex").str.to_uppercase()
    deceased = (
        lookup_column(frame, col(found, "status"), deceased_issues)
        if "status" in found
        else pl.Series([None] * frame.height, dtype=pl.String)
    )
    return frame.with_columns(
        register_id=col(found, "register_id").str.slice(0, 64),
        nik=_digits(col(found, "nik"), 32),
        kk=_digits(col(found, "kk"), 32),
        name=col(found, "name").str.replace_all(r"\s+", " "),
        birth_place=col(found, "birth_place"),
        birth=lookup_column(frame, date_text, lambda texts: parse_dates(texts, as_of=as_of)),
        sex=sex_text.replace_strict(_SEX, default="", return_dtype=pl.String),
        address=col(found, "address"),
        rt=_padded(col(found, "rt")),
        rw=_padded(col(found, "rw")),
        desil=desil,
        occupation=col(found, "occupation"),
        raw=_json_text(frame, frame.columns),
        _nik_text=col(found, "nik"),
        _date_text=date_text,
        _sex_text=sex_text,
        _desil_text=desil_text,
        _deceased=deceased,
    )


def _issue_parts(desil_message: str) -> list[pl.Expr]:
    """One JSON issue (or null) per check, over the columns `_cleaned` made."""
    return [
        pl.when(pl.col("_nik_text") == "").then(pl.lit(issue("nik", "nik_missing", "NIK kosong."))),
        pl.when((pl.col("_nik_text") != "") & (pl.col("nik").str.len_chars() != 16)).then(
            pl.lit(issue("nik", "nik_length", "NIK bukan 16 angka."))
        ),
        pl.when(pl.col("name") == "").then(pl.lit(issue("name", "name_missing", "Nama kosong."))),
        pl.when((pl.col("_date_text") != "") & pl.col("birth").is_null()).then(
            pl.lit(
                issue(
                    "birth_date",
                    "date_unreadable",
                    "Tanggal lahir tidak terbaca (pakai HH-BB-TTTT).",
                )
            )
        ),
        pl.when((pl.col("_sex_text") != "") & (pl.col("sex") == "")).then(
            pl.lit(issue("sex", "sex_unknown", "Jenis kelamin tidak dikenal."))
        ),
        pl.when((pl.col("_desil_text") != "") & pl.col("desil").is_null()).then(
            pl.lit(issue("desil", "desil_invalid", desil_message))
        ),
        pl.col("region_issues"),
        pl.col("_deceased"),
    ]
