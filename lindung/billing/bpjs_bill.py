"""BPJS's own bill for a month, read from its file, and compared line by line with ours.

Pure Python and polars, no Django: `read_bpjs_bill` finds the header under any title rows
(NIK / No. KTP, KPJ / Nomor Peserta, Nama TK, Periode, Iuran JKK / JKM / JHT, Total Iuran)
and returns one row per participant line of theirs; `compare` gives every line its outcome
against our bill lines of the month and the program's ended enrolments.

Reading rules:
- A NIK is 16 digits written as text. A number cell (Excel keeps 15 significant digits) or
  text in scientific notation is a damaged NIK: the line is matched by KPJ if it has one,
  else kept as a problem line (`not_ours`, its NIK as written).
- Amounts as numbers or Indonesian text: "16.800", "Rp 16.800,00", "16800". Their amount is
  the Total column when it holds a value, else the sum of the parts (JKK + JKM + JHT).
- Rows with no digit in the NIK and the KPJ column (blank rows, "TOTAL", "Jumlah") are not
  participant lines and are skipped.
- A participant on their bill twice: the first line is compared, each repeat is
  `amount_differs` with our amount 0 (we owe nothing more for it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, cast

import polars as pl

from lindung.common.tabular import MIB, Limits, Sheet
from lindung.common.tabular.headers import HeaderTable, cell_text, column_letter, find_header
from lindung.common.tabular.values import MONTHS

# A BPJS bill runs to hundreds of thousands of lines: one per participant.
LIMITS: Final = Limits(
    max_bytes=200 * MIB, max_rows=1_000_000, max_cells=30_000_000, parse_seconds=300
)

SYNONYMS: Final[Mapping[str, tuple[str, ...]]] = {
    "nik": (
        "NIK", "No. KTP", "No KTP", "Nomor KTP", "NIK KTP", "NIK TK", "NIK Peserta",
        "Nomor Induk Kependudukan",
    ),
    "kpj": (
        "KPJ", "No. KPJ", "No KPJ", "Nomor KPJ", "Nomor Peserta", "No. Peserta", "No Peserta",
        "KPJ Peserta",
    ),
    "name": ("Nama TK", "Nama", "Nama Peserta", "Nama Tenaga Kerja", "Nama Lengkap"),
    "period": ("Periode", "Bulan", "Periode Iuran", "Bulan Iuran", "Periode Tagihan"),
    "jkk": ("Iuran JKK", "JKK"),
    "jkm": ("Iuran JKM", "JKM"),
    "jht": ("Iuran JHT", "JHT"),
    "total": (
        "Total Iuran", "Jumlah Iuran", "Total", "Jumlah", "Total Tagihan", "Jumlah Tagihan",
    ),
}  # fmt: skip

HEADERS: Final = HeaderTable(SYNONYMS)
PARTS: Final = ("jkk", "jkm", "jht")

# Outcomes (the values of billing.models.ReconcileOutcome).
MATCHED: Final = "matched"
MISSING_FROM_BPJS: Final = "missing_from_bpjs"
NOT_OURS: Final = "not_ours"
AMOUNT_DIFFERS: Final = "amount_differs"
ENDED_STILL_BILLED: Final = "ended_still_billed"
OUTCOMES: Final = (MATCHED, MISSING_FROM_BPJS, NOT_OURS, AMOUNT_DIFFERS, ENDED_STILL_BILLED)

NO_KEY_COLUMN: Final = (
    "Kolom NIK atau KPJ tidak ditemukan di file ini. Pastikan file adalah tagihan iuran dari "
    "BPJS Ketenagakerjaan dengan judul kolom seperti NIK / No. KTP atau KPJ / Nomor Peserta."
)
NO_AMOUNT_COLUMN: Final = (
    "Kolom iuran tidak ditemukan di file ini. Tagihan BPJS harus memuat kolom Total Iuran "
    "atau Iuran JKK dan Iuran JKM."
)
NO_LINES: Final = "File tagihan BPJS tidak berisi satu pun baris peserta."

_DIGITS: Final = re.compile(r"\d")
_NIK: Final = re.compile(r"\d{16}")
_AMOUNT_EN_DECIMAL: Final = re.compile(r"\d+\.\d{1,2}")
_AMOUNT: Final = re.compile(r"-?[\d.]+(?:,\d*)?")
_APOSTROPHES: Final = "'‘’`"


class BpjsBillRefused(Exception):
    """A file that is not a BPJS bill we can read; `message` is Indonesian, for the officer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BpjsBillFile:
    """What was read: where the header is, which column is which, and the lines (`frame`:
    sheet, row_number, raw, nik (valid only, else null), nik_text, kpj, name, period,
    amount_theirs)."""

    sheet: str
    header_row: int  # 1-based spreadsheet row
    columns: dict[str, str]  # field → column letter
    frame: pl.DataFrame

    def layout(self) -> dict[str, object]:
        return {"sheet": self.sheet, "header_row": self.header_row, "columns": self.columns}


def _eligible(found: set[str]) -> bool:
    return "nik" in found or "kpj" in found


def read_bpjs_bill(sheets: Sequence[Sheet]) -> BpjsBillFile:
    """The participant lines of the first sheet whose header names a NIK or KPJ column.
    Raises `BpjsBillRefused`."""
    for sheet in sheets:
        header = find_header(sheet.rows, HEADERS, eligible=_eligible)
        if header is None:
            continue
        columns: dict[str, int] = {}
        for index, field in enumerate(header.fields):
            if field is not None and field not in columns:
                columns[field] = index
        if "total" not in columns and not ("jkk" in columns and "jkm" in columns):
            raise BpjsBillRefused(NO_AMOUNT_COLUMN)
        frame = _lines(sheet, header.header_row + 1, columns)
        if frame.height == 0:
            raise BpjsBillRefused(NO_LINES)
        return BpjsBillFile(
            sheet=sheet.name,
            header_row=header.header_row + 1,
            columns={f: column_letter(i) for f, i in columns.items()},
            frame=frame,
        )
    raise BpjsBillRefused(NO_KEY_COLUMN)


def _text_column(values: Sequence[object]) -> list[str]:
    """A column's cells as text; a column of text cells (every csv) as it is."""
    if all(type(v) is str for v in values):
        return cast("list[str]", list(values))
    return [cell_text(v) for v in values]


def _json_text(column: str) -> pl.Expr:
    """A text column as JSON string literals ("a\"b"), escaped by polars."""
    encoded = pl.struct(pl.col(column).alias("v")).struct.json_encode()
    return encoded.str.slice(5).str.strip_suffix("}")


def _amount_column(column: str, frame: pl.DataFrame) -> pl.Expr:
    """Rupiah amounts of a text column: each distinct text parsed once."""
    mapping = {text: parse_amount(text) for text in frame.get_column(column).unique()}
    return pl.col(column).replace_strict(mapping, default=None, return_dtype=pl.Int64)


def _frame(
    rows: Sequence[Sequence[object]], start: int
) -> tuple[pl.DataFrame, list[tuple[object, ...]]]:
    """The data rows as text columns c0..cN with their spreadsheet row numbers, and the
    cells column by column (their types tell a damaged NIK)."""
    width = max(len(r) for r in rows)
    if any(len(r) != width for r in rows):
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    cells = list(zip(*rows, strict=True))
    frame = pl.DataFrame(
        {f"c{i}": _text_column(column) for i, column in enumerate(cells)},
        schema={f"c{i}": pl.String for i in range(width)},
    ).with_columns(row_number=pl.int_range(start + 1, start + 1 + len(rows), dtype=pl.Int64))
    return frame, cells


def _lines(sheet: Sheet, start: int, columns: Mapping[str, int]) -> pl.DataFrame:
    rows = sheet.rows[start:]
    if not rows:
        return pl.DataFrame(schema=LINE_SCHEMA)
    frame, cells = _frame(rows, start)
    names = [f"c{i}" for i in range(len(cells))]

    def key(field: str) -> pl.Expr:
        index = columns.get(field)
        if index is None:
            return pl.lit("")
        return pl.col(names[index]).str.replace_all(r"[\s'‘’`]", "")

    def text(field: str, length: int) -> pl.Expr:
        index = columns.get(field)
        if index is None:
            return pl.lit("")
        return pl.col(names[index]).str.strip_chars().str.slice(0, length)

    nik_column = columns.get("nik")
    nik_is_text = (
        pl.Series([type(v) is str for v in cells[nik_column]], dtype=pl.Boolean)
        if nik_column is not None
        else pl.lit(value=False)
    )
    frame = frame.with_columns(
        nik_text=key("nik"), kpj_text=key("kpj"), nik_is_text=nik_is_text
    ).filter(pl.col("nik_text").str.contains(r"\d") | pl.col("kpj_text").str.contains(r"\d"))
    amounts = {
        field: _amount_column(names[columns[field]], frame)
        for field in ("total", *PARTS)
        if field in columns
    }
    parts = [amounts[p] for p in PARTS if p in amounts]
    summed: pl.Expr = pl.lit(None, dtype=pl.Int64)
    if parts:
        summed = pl.when(pl.any_horizontal([p.is_not_null() for p in parts])).then(
            pl.sum_horizontal(parts)
        )
    their_amount = pl.coalesce(amounts["total"], summed) if "total" in amounts else summed
    valid_nik = pl.col("nik_is_text") & pl.col("nik_text").str.contains(r"^\d{16}$")
    raw = pl.concat_str(
        [pl.lit("["), pl.concat_str([_json_text(n) for n in names], separator=","), pl.lit("]")]
    )
    return frame.select(
        "row_number",
        raw.alias("raw"),
        pl.when(valid_nik).then(pl.col("nik_text")).alias("nik"),
        pl.col("nik_text").str.slice(0, 40),
        pl.when(pl.col("kpj_text") != "").then(pl.col("kpj_text").str.slice(0, 20)).alias("kpj"),
        text("name", 200).alias("name"),
        text("period", 20).alias("period"),
        their_amount.cast(pl.Int64).alias("amount_theirs"),
    )


LINE_SCHEMA: Final = {
    "row_number": pl.Int64, "raw": pl.String, "nik": pl.String, "nik_text": pl.String,
    "kpj": pl.String, "name": pl.String, "period": pl.String, "amount_theirs": pl.Int64,
}  # fmt: skip


def parse_amount(value: object) -> int | None:
    """A rupiah amount: a number, or text with Indonesian separators ("16.800",
    "Rp 16.800,00"); "16800.00" (two decimals after a single dot) is read as written by an
    English-locale program. None when blank or not an amount."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value)
    if isinstance(value, str):
        return _parse_amount_text(value)
    return None


@lru_cache(maxsize=1 << 14)
def _parse_amount_text(raw: str) -> int | None:
    text = "".join(raw.split()).strip(_APOSTROPHES)
    if text[:2].lower() == "rp":
        text = text[2:].lstrip(".")
    if not text:
        return None
    if _AMOUNT_EN_DECIMAL.fullmatch(text):
        return round(float(text))
    if not _AMOUNT.fullmatch(text) or not _DIGITS.search(text):
        return None
    whole, _, fraction = text.partition(",")
    number = int(whole.replace(".", "") or "0")
    if fraction and int(fraction[0]) >= 5:
        number += -1 if number < 0 else 1
    return number


# --- period ----------------------------------------------------------------------------

_PERIOD_PATTERNS: Final = (
    (re.compile(r"(\d{1,2})[-/. ](\d{4})"), "mY"),  # 03-2025
    (re.compile(r"(\d{4})[-/. ](\d{1,2})(?:[-/. ]\d{1,2})?(?:[ t].*)?"), "Ym"),  # 2025-03(-01)
    (re.compile(r"\d{1,2}[-/. ](\d{1,2})[-/. ](\d{4})"), "mY"),  # 01-03-2025
    (re.compile(r"(\d{4})(\d{2})"), "Ym"),  # 202503
    (re.compile(r"([a-z]+)\.?[-/ ]*(\d{4})"), "NY"),  # Maret 2025, Mar-2025
)


def parse_period(text: str) -> tuple[int, int] | None:
    """(year, month) of a Periode cell ("03-2025", "2025-03", "Maret 2025", "202503",
    "01-03-2025"), or None."""
    folded = " ".join(text.lower().split())
    for pattern, order in _PERIOD_PATTERNS:
        match = pattern.fullmatch(folded)
        if match is None:
            continue
        if order == "NY":
            month = MONTHS.get(match[1], 0)
            year = int(match[2])
        elif order == "mY":
            month, year = int(match[1]), int(match[2])
        else:
            year, month = int(match[1]), int(match[2])
        return (year, month) if 1 <= month <= 12 and 1900 <= year <= 2200 else None
    return None


def periods(frame: pl.DataFrame) -> set[tuple[int, int]]:
    """The months the file's Periode column names (none when it has no such column)."""
    found = (parse_period(str(text)) for text in frame.get_column("period").unique())
    return {p for p in found if p is not None}


# --- comparison ----------------------------------------------------------------------------

OURS_SCHEMA: Final[dict[str, pl.DataType]] = {
    "enrolment_id": pl.Int64(), "nik": pl.String(), "kpj": pl.String(), "name": pl.String(),
    "amount": pl.Int64(),
}  # fmt: skip
ENDED_SCHEMA: Final[dict[str, pl.DataType]] = {
    "enrolment_id": pl.Int64(),
    "nik": pl.String(),
    "kpj": pl.String(),
}

LINE_COLUMNS: Final = (
    "sheet", "row_number", "raw", "nik", "kpj", "name", "amount_theirs", "amount_ours",
    "enrolment_id", "outcome",
)  # fmt: skip


def _by_key(frame: pl.DataFrame, key: str, names: Mapping[str, str]) -> pl.DataFrame:
    return (
        frame.filter(pl.col(key).is_not_null() & (pl.col(key) != ""))
        .unique(key, keep="first", maintain_order=True)
        .select(key, *(pl.col(c).alias(a) for c, a in names.items()))
    )


def compare(
    theirs: pl.DataFrame, ours: pl.DataFrame, ended: pl.DataFrame, *, sheet: str = ""
) -> pl.DataFrame:
    """Every line of theirs with its outcome, then every line of ours they lack
    (`missing_from_bpjs`): columns `LINE_COLUMNS`. Theirs match ours by NIK, then by KPJ;
    a line that matches none of ours but one of the program's enrolments ended before the
    month is `ended_still_billed`; any other is `not_ours`."""
    ours_nik = _by_key(ours, "nik", {"enrolment_id": "e_nik", "amount": "a_nik"})
    ours_kpj = _by_key(ours, "kpj", {"enrolment_id": "e_kpj", "amount": "a_kpj"})
    ended_nik = _by_key(ended, "nik", {"enrolment_id": "x_nik"})
    ended_kpj = _by_key(ended, "kpj", {"enrolment_id": "x_kpj"})
    joined = (
        theirs.join(ours_nik, on="nik", how="left", maintain_order="left")
        .join(ours_kpj, on="kpj", how="left", maintain_order="left")
        .join(ended_nik, on="nik", how="left", maintain_order="left")
        .join(ended_kpj, on="kpj", how="left", maintain_order="left")
        .with_columns(
            ours_id=pl.coalesce("e_nik", "e_kpj"),
            amount_ours=pl.when(pl.col("e_nik").is_not_null())
            .then(pl.col("a_nik"))
            .otherwise(pl.col("a_kpj")),
            ended_id=pl.coalesce("x_nik", "x_kpj"),
        )
        .with_columns(
            # A participant BPJS bills twice: the repeat is a difference, and we owe nothing
            # more for it.
            amount_ours=pl.when(
                pl.col("ours_id").is_not_null() & (pl.int_range(pl.len()).over("ours_id") > 0)
            )
            .then(pl.lit(0, dtype=pl.Int64))
            .otherwise(pl.col("amount_ours")),
        )
    )
    same = pl.col("amount_theirs").is_not_null() & (
        pl.col("amount_theirs") == pl.col("amount_ours")
    )
    outcome = (
        pl.when(pl.col("ours_id").is_not_null())
        .then(pl.when(same).then(pl.lit(MATCHED)).otherwise(pl.lit(AMOUNT_DIFFERS)))
        .when(pl.col("ended_id").is_not_null())
        .then(pl.lit(ENDED_STILL_BILLED))
        .otherwise(pl.lit(NOT_OURS))
    )
    their_lines = joined.select(
        pl.lit(sheet).alias("sheet"),
        "row_number",
        "raw",
        pl.coalesce("nik", "nik_text").fill_null("").alias("nik"),
        pl.col("kpj").fill_null(""),
        "name",
        "amount_theirs",
        "amount_ours",
        pl.coalesce("ours_id", "ended_id").alias("enrolment_id"),
        outcome.alias("outcome"),
    )
    seen = joined.get_column("ours_id").drop_nulls()
    missing = ours.filter(~pl.col("enrolment_id").is_in(seen.implode())).select(
        pl.lit(sheet).alias("sheet"),
        pl.lit(None, dtype=pl.Int64).alias("row_number"),
        pl.lit("[]").alias("raw"),
        pl.col("nik").fill_null(""),
        pl.col("kpj").fill_null(""),
        pl.col("name").fill_null(""),
        pl.lit(None, dtype=pl.Int64).alias("amount_theirs"),
        pl.col("amount").alias("amount_ours"),
        "enrolment_id",
        pl.lit(MISSING_FROM_BPJS).alias("outcome"),
    )
    return pl.concat([their_lines, missing], how="vertical_relaxed")


def summary(lines: pl.DataFrame) -> dict[str, int]:
    """Lines per outcome, every outcome named (0 when none)."""
    counts = dict.fromkeys(OUTCOMES, 0)
    for outcome, count in lines.group_by("outcome").len().iter_rows():
        counts[str(outcome)] = int(count)
    return counts
