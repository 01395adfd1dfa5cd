"""The matching engine: who in a list of submitted rows is which person of the welfare
register, and which rows are one person handed in twice.

Pure and columnar: polars frames in, polars frames out, no database and no Django, so the
same code serves the verification run, the benchmark and the tests. Work is done on whole
columns; the only per-item Python is the name similarity of the domain core, called once per
distinct pair of names that needs it.

How a pair of (row, register record) becomes a candidate -- the blocks:

- the same 16-digit NIK;
- NIK neighbourhoods, found with deletion keys (every NIK with one digit taken out): one digit
  substituted, two adjacent digits swapped, a digit missing (15 digits) or extra (17), which
  also covers a NIK whose last digit a spreadsheet turned into 0;
- a woman's NIK written with her birth day without the +40 (or a man's with it);
- the family-card (KK) number written in the NIK column, and the same KK number;
- for rows whose NIK found nobody: the same birth date, sex and district; and for rows without
  a birth date, the same name (folded spelling) in the same district.

How a candidate is scored: evidence weights in bits (`WEIGHTS`), summed over the NIK relation,
the name similarity (`lindung.domain.names.name_similarity`), the birth date, the sex and the
district, then turned into a probability in [0, 1]. The weights are set by hand from what each
piece of evidence is worth in a regency's register (a shared birth date is worth about 14
bits among 20.000 birth dates; a shared NIK more than any other field); every link lists the
evidence it rests on in `reasons`, in words a verifier can check.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from lindung.domain.names import name_similarity

ROW_SCHEMA: Final[Mapping[str, pl.DataType]] = {
    "row_id": pl.Int64(),
    "agency_id": pl.Int64(),
    "nik": pl.String(),
    "kk": pl.String(),
    "name": pl.String(),
    "birth_date": pl.Date(),
    "sex": pl.String(),
    "district": pl.String(),
}
REGISTER_SCHEMA: Final[Mapping[str, pl.DataType]] = {
    "record_id": pl.Int64(),
    "nik": pl.String(),
    "kk": pl.String(),
    "name": pl.String(),
    "birth_date": pl.Date(),
    "sex": pl.String(),
    "district": pl.String(),
}
LINK_SCHEMA: Final[Mapping[str, pl.DataType]] = {
    "row_id": pl.Int64(),
    "record_id": pl.Int64(),
    "match": pl.String(),
    "score": pl.Float64(),
    "reasons": pl.List(pl.String()),
}
GROUP_SCHEMA: Final[Mapping[str, pl.DataType]] = {
    "row_id": pl.Int64(),
    "group_id": pl.Int64(),
    "duplicate_of": pl.Int64(),
    "score": pl.Float64(),
    "reasons": pl.List(pl.String()),
}


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds on the score in [0, 1]. A link on the same NIK scoring `link_accept` or
    more is decided without review; any other link scoring `link_review` or more is probable
    and goes to the review queue. Duplicates likewise with the `duplicate_*` pair."""

    link_accept: float = 0.99
    link_review: float = 0.5
    duplicate_accept: float = 0.99
    duplicate_review: float = 0.5
    ambiguity: float = 0.05  # a runner-up this close to the best makes the link a question


# Evidence weights in bits (log2 of how much likelier the observation is for the same person
# than for two people who landed in the same block). `prior` is the starting point of a pair.
WEIGHTS: Final[Mapping[str, float]] = {
    "prior": -13.0,
    # How the NIKs relate.
    "nik_exact": 13.0,
    "nik_substituted": 7.5,
    "nik_transposed": 8.5,
    "nik_missing_digit": 7.5,
    "nik_extra_digit": 7.5,
    "nik_moved_digit": 4.0,
    "nik_day_plus_40": 8.5,
    "nik_is_kk": 3.0,
    "same_kk": 3.0,
    "nik_near": 3.0,  # at most two digits apart, found by another block
    "nik_different": -3.0,  # both have a NIK and they are further apart
    "nik_unknown": 0.0,
    # Names: similarity bands, lower bound inclusive.
    "name_same": 7.0,  # >= 0.97
    "name_close": 5.0,  # >= 0.92
    "name_similar": 3.0,  # >= 0.85
    "name_weak": 0.0,  # >= 0.75
    "name_unlike": -5.0,  # >= 0.6
    "name_different": -11.0,  # < 0.6
    # Birth dates.
    "date_same": 7.0,
    "date_one_digit": 3.0,  # one digit of dd-mm-yy differs
    "date_day_month_swapped": 3.0,
    "date_same_year": 0.0,
    "date_different": -5.0,
    "date_unknown": 0.0,
    # Sex.
    "sex_same": 1.0,
    "sex_different": -4.0,
    "sex_unknown": 0.0,
    # District of the address.
    "district_same": 1.5,
    "district_different": -3.0,  # one person's address rarely differs between two lists
    "district_unknown": 0.0,
}

_NAME_BANDS: Final = (
    (0.97, "name_same"),
    (0.92, "name_close"),
    (0.85, "name_similar"),
    (0.75, "name_weak"),
    (0.6, "name_unlike"),
)

_NIK_RELATIONS_RANK: Final = {
    "nik_exact": 0,
    "nik_transposed": 1,
    "nik_day_plus_40": 2,  # 28 for 68 is also one digit substituted: the +40 says more
    "nik_substituted": 3,
    "nik_moved_digit": 6,
    "nik_missing_digit": 4,
    "nik_extra_digit": 5,
    "nik_is_kk": 7,
    "same_kk": 8,
    "nik_prefix": 9,
    "demographic": 10,
    "name_block": 11,
}


def empty_links() -> pl.DataFrame:
    return pl.DataFrame(schema=LINK_SCHEMA)


def empty_groups() -> pl.DataFrame:
    return pl.DataFrame(schema=GROUP_SCHEMA)


# -- preparation --------------------------------------------------------------------------


def _prepare(frame: pl.DataFrame, id_col: str) -> pl.DataFrame:
    """Digits-only NIK and KK, a simple name (upper-case letters and single spaces) and the
    birth date as the number ddmmyy, with the id renamed to `id`. A NIK a spreadsheet damaged
    (optional boolean column `nik_damaged`) keeps only its first 15 digits: the 16th is lost.
    Optional boolean column `birth_date_from_nik`: the row's birth date was not written by the
    agency but read from its NIK."""
    digits = pl.col("nik").fill_null("").str.replace_all(r"\D", "")
    if "nik_damaged" in frame.columns:
        digits = (
            pl.when(pl.col("nik_damaged").fill_null(value=False))
            .then(digits.str.slice(0, 15))
            .otherwise(digits)
        )
    from_nik = (
        pl.col("birth_date_from_nik").fill_null(value=False)
        if "birth_date_from_nik" in frame.columns
        else pl.lit(value=False)
    ).alias("from_nik")
    return frame.select(
        pl.col(id_col).alias("id"),
        digits.alias("nik"),
        pl.col("kk").fill_null("").str.replace_all(r"\D", "").alias("kk"),
        pl.col("name").fill_null("").alias("name"),
        pl.col("name")
        .fill_null("")
        .str.to_uppercase()
        .str.replace_all(r"[^A-Z]+", " ")
        .str.strip_chars()
        .alias("simple"),
        pl.col("birth_date"),
        (
            pl.col("birth_date").dt.day().cast(pl.Int32) * 10_000
            + pl.col("birth_date").dt.month().cast(pl.Int32) * 100
            + pl.col("birth_date").dt.year().cast(pl.Int32) % 100
        ).alias("ddmmyy"),
        from_nik,
        pl.col("sex").fill_null("").alias("sex"),
        pl.col("district").fill_null("").alias("district"),
    )


def _deletions(frame: pl.DataFrame, length: int) -> pl.DataFrame:
    """(id, key, pos) for each NIK of `length` digits with the digit at `pos` taken out.
    Keys are integers computed arithmetically (all keys of one table have the same number of
    digits, so equal integers are equal digit strings)."""
    subset = frame.filter(pl.col("nik").str.len_chars() == length).select(
        "id", pl.col("nik").cast(pl.UInt64).alias("n")
    )
    if subset.height == 0:
        return pl.DataFrame(schema={"id": pl.Int64, "key": pl.UInt64, "pos": pl.Int8})
    parts = []
    for pos in range(length):
        right = 10 ** (length - pos - 1)  # the digits after `pos`
        key = (pl.col("n") // (right * 10)) * right + pl.col("n") % right
        parts.append(subset.select("id", key.alias("key"), pl.lit(pos, dtype=pl.Int8).alias("pos")))
    return pl.concat(parts)


def _full(frame: pl.DataFrame, length: int) -> pl.DataFrame:
    return frame.filter(pl.col("nik").str.len_chars() == length).select(
        "id", pl.col("nik").cast(pl.UInt64).alias("key")
    )


# -- candidate pairs ----------------------------------------------------------------------

_PAIR_SCHEMA: Final = {"row": pl.Int64, "rec": pl.Int64, "relation": pl.String}


def _pairs(frame: pl.DataFrame, relation: str) -> pl.DataFrame:
    return frame.select(
        pl.col("row").cast(pl.Int64),
        pl.col("rec").cast(pl.Int64),
        pl.lit(relation, dtype=pl.String).alias("relation"),
    )


def _exact_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    left = rows.filter(pl.col("nik").str.len_chars() == 16).select(pl.col("id").alias("row"), "nik")
    right = reg.filter(pl.col("nik").str.len_chars() == 16).select(pl.col("id").alias("rec"), "nik")
    return _pairs(left.join(right, on="nik"), "nik_exact")


def _neighbour_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """Pairs whose NIKs are one edit apart, by deletion keys. Two 16-digit NIKs sharing a key
    with the same digit taken out differ in that digit (substituted); sharing keys with
    neighbouring digits taken out both ways round, they have those two digits swapped
    (transposed); otherwise a digit moved. Fifteen digits against a 16-digit NIK with one
    digit out: one missing; seventeen with one out against sixteen: one extra."""
    found: list[pl.DataFrame] = []
    reg_del = _deletions(reg, 16).rename({"id": "rec", "pos": "rec_pos"})
    row16 = _deletions(rows, 16).rename({"id": "row", "pos": "row_pos"})
    if row16.height and reg_del.height:
        shift = pl.col("row_pos").cast(pl.Int16) - pl.col("rec_pos").cast(pl.Int16)
        edits = (
            row16.join(reg_del, on="key")
            .group_by("row", "rec")
            .agg(
                (shift == 0).any().alias("same"),
                (shift == 1).any().alias("after"),
                (shift == -1).any().alias("before"),
            )
        )
        found.append(
            edits.select(
                "row",
                "rec",
                pl.when(pl.col("same"))
                .then(pl.lit("nik_substituted"))
                .when(pl.col("after") & pl.col("before"))
                .then(pl.lit("nik_transposed"))
                .otherwise(pl.lit("nik_moved_digit"))
                .alias("relation"),
            )
        )
    row15 = _full(rows, 15).rename({"id": "row"})
    reg_del = reg_del.drop("rec_pos")
    if row15.height and reg_del.height:
        found.append(_pairs(row15.join(reg_del, on="key"), "nik_missing_digit"))
    reg15 = _full(reg, 15).rename({"id": "rec"})
    if row15.height and reg15.height:
        found.append(_pairs(row15.join(reg15, on="key"), "nik_missing_digit"))
    row17 = _deletions(rows, 17).rename({"id": "row"}).drop("pos")
    reg_full = _full(reg, 16).rename({"id": "rec"})
    if row17.height and reg_full.height:
        found.append(_pairs(row17.join(reg_full, on="key"), "nik_extra_digit"))
    if not found:
        return pl.DataFrame(schema=_PAIR_SCHEMA)
    # An exact pair shares every deletion key too ("substituted" here); `score_pairs` keeps
    # the exact relation, which ranks first.
    return pl.concat(found)


def _day40_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """The birth-day digits (7-8) moved by 40 either way: a woman's NIK written without the
    +40, or a man's with it."""
    nik16 = rows.filter(pl.col("nik").str.len_chars() == 16)
    day = nik16.get_column("nik").str.slice(6, 2).cast(pl.Int32, strict=False)
    shifted = nik16.with_columns(day=day).filter(pl.col("day").is_not_null())
    shifted = shifted.select(
        pl.col("id").alias("row"),
        (
            pl.col("nik").str.slice(0, 6)
            + pl.when(pl.col("day") > 40)
            .then(pl.col("day") - 40)
            .otherwise(pl.col("day") + 40)
            .cast(pl.String)
            .str.zfill(2)
            + pl.col("nik").str.slice(8)
        ).alias("nik"),
    )
    right = reg.filter(pl.col("nik").str.len_chars() == 16).select(pl.col("id").alias("rec"), "nik")
    return _pairs(shifted.join(right, on="nik"), "nik_day_plus_40")


def _kk_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    right = reg.filter(pl.col("kk").str.len_chars() == 16).select(pl.col("id").alias("rec"), "kk")
    in_nik = rows.filter(pl.col("nik").str.len_chars() == 16).select(
        pl.col("id").alias("row"), pl.col("nik").alias("kk")
    )
    own = rows.filter(pl.col("kk").str.len_chars() == 16).select(pl.col("id").alias("row"), "kk")
    return pl.concat(
        [
            _pairs(in_nik.join(right, on="kk"), "nik_is_kk"),
            _pairs(own.join(right, on="kk"), "same_kk"),
        ]
    )


def _prefix_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """The same first 12 NIK digits (district of issue and birth date as coded): catches two
    slips in the serial part, or one slip in a NIK a spreadsheet also damaged."""
    left = rows.filter(pl.col("nik").str.len_chars() >= 15).select(
        pl.col("id").alias("row"), pl.col("nik").str.slice(0, 12).alias("prefix")
    )
    right = reg.filter(pl.col("nik").str.len_chars() >= 15).select(
        pl.col("id").alias("rec"), pl.col("nik").str.slice(0, 12).alias("prefix")
    )
    return _pairs(left.join(right, on="prefix"), "nik_prefix")


def _demographic_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    keys = ["birth_date", "sex", "district"]
    left = rows.filter(
        pl.col("birth_date").is_not_null() & (pl.col("sex") != "") & (pl.col("district") != "")
    ).select(pl.col("id").alias("row"), *keys)
    right = reg.filter(pl.col("birth_date").is_not_null()).select(pl.col("id").alias("rec"), *keys)
    return _pairs(left.join(right, on=keys), "demographic")


_LETTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _name_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """The same name (spelling folded, spaces dropped) in the same district."""
    fold = _folded("simple").str.replace_all(" ", "").alias("fold")
    left = rows.filter(pl.col("simple") != "").select(pl.col("id").alias("row"), fold, "district")
    if left.height == 0:
        return pl.DataFrame(schema=_PAIR_SCHEMA)
    right = reg.filter(pl.col("simple") != "").select(pl.col("id").alias("rec"), fold, "district")
    return _pairs(left.join(right, on=["fold", "district"]), "name_block")


# -- scoring ------------------------------------------------------------------------------


def _folded(column: str) -> pl.Expr:
    """A name's letters with old spelling and doubled letters folded and spaces kept: the
    form the quick screen compares."""
    return (
        pl.col(column)
        .str.replace_all("OE", "U")
        .str.replace_all("DJ", "J")
        .str.replace_all("TJ", "C")
        .str.replace_all("CH", "KH")
        .str.replace_many([c * 2 for c in _LETTERS], list(_LETTERS))
    )


def _screen_floor(need: pl.Expr) -> pl.Expr:
    """The quick-screen figure below which a pair's names cannot be alike enough to give
    the `need` bits the pair still lacks. The screen is the better of the token-set ratio
    and the ratio of the names without spaces (rapidfuzz, on the folded forms); on the
    sample register, every pair the domain similarity rates 0,85 or more screens at 0,70 or
    more, every pair it rates 0,75 or more at 0,50 or more (tests/verification checks a
    sample of pairs). The floors below keep a margin under those figures."""
    return (
        pl.when(need > WEIGHTS["name_weak"])
        .then(0.62)  # needs "similar" (>= 0,85) or better
        .when(need > WEIGHTS["name_unlike"])
        .then(0.45)  # needs "weak" (>= 0,75)
        .when(need > WEIGHTS["name_different"])
        .then(0.40)  # needs "unlike" (>= 0,6)
        .otherwise(0.0)
    )


def _name_scores(pairs: pl.DataFrame) -> pl.DataFrame:
    """`name_sim` for each pair: 1.0 when the simple forms are equal; else, for names that
    pass a quick vectorised screen (see `_screen_floor`; `pairs` carries `need`, the bits
    the pair lacks to reach the floor with no name evidence), the domain's similarity,
    computed once per distinct pair of names; else the screen's own (low) figure."""
    differ = (pl.col("simple") != pl.col("simple_rec")) & (pl.col("simple") != "")
    todo = pairs.filter(differ).select(
        "name",
        "name_rec",
        _folded("simple").alias("fa"),
        _folded("simple_rec").alias("fb"),
        _screen_floor(pl.col("need")).alias("screen"),
    )
    todo = todo.group_by("name", "name_rec").agg(
        pl.col("fa").first(), pl.col("fb").first(), pl.col("screen").min()
    )
    fa, fb = todo.get_column("fa").to_list(), todo.get_column("fb").to_list()
    token_set = process.cpdist(fa, fb, scorer=fuzz.token_set_ratio, workers=-1)
    squeezed = process.cpdist(
        [x.replace(" ", "") for x in fa],
        [x.replace(" ", "") for x in fb],
        scorer=fuzz.ratio,
        workers=-1,
    )
    quick = np.maximum(token_set, squeezed) / 100.0
    todo = todo.with_columns(quick=pl.Series("quick", quick, dtype=pl.Float64))
    worth = todo.filter(pl.col("quick") >= pl.col("screen"))
    sims = [
        name_similarity(a, b)
        for a, b in zip(worth.get_column("name"), worth.get_column("name_rec"), strict=True)
    ]
    table = pl.concat(
        [
            worth.select("name", "name_rec", pl.Series("sim", sims, dtype=pl.Float64)),
            todo.filter(pl.col("quick") < pl.col("screen")).select(
                "name", "name_rec", pl.col("quick").alias("sim")
            ),
        ]
    )
    scored = pairs.join(table, on=["name", "name_rec"], how="left", nulls_equal=True)
    return scored.with_columns(
        name_sim=pl.when(pl.col("simple") == pl.col("simple_rec"))
        .then(pl.when(pl.col("simple") == "").then(0.0).otherwise(1.0))
        .otherwise(pl.col("sim").fill_null(0.0))
    ).drop("sim")


def _band(sim: pl.Expr) -> pl.Expr:
    expr: Any = pl.when(sim >= _NAME_BANDS[0][0]).then(pl.lit(_NAME_BANDS[0][1]))
    for bound, label in _NAME_BANDS[1:]:
        expr = expr.when(sim >= bound).then(pl.lit(label))
    band: pl.Expr = expr.otherwise(pl.lit("name_different"))
    return band


# NIK relations one slip apart. A NIK has dozens of such neighbours in a regency, most of them
# born a digit's difference away: beside one of them, a birth date a digit off (or in the
# same year) is another person's, not a slip (the row's date was written apart from its NIK).
_ONE_EDIT: Final = (
    "nik_substituted",
    "nik_transposed",
    "nik_moved_digit",
    "nik_missing_digit",
    "nik_extra_digit",
    "nik_day_plus_40",
)


def _digit(number: pl.Expr, index: int, width: int) -> pl.Expr:
    """Digit `index` (0 = leftmost) of a `width`-digit number."""
    digit: pl.Expr = (number // (10 ** (width - 1 - index))) % 10
    return digit


def _date_relation() -> pl.Expr:
    """How the birth dates relate. A row's date that intake took from the NIK is no evidence
    beside that NIK (unless the NIK itself is the register's): it says only what the NIK
    says. Beside a one-slip NIK, a date one digit off counts as different (see `_ONE_EDIT`)."""
    a, b = pl.col("ddmmyy"), pl.col("ddmmyy_rec")
    differing = pl.sum_horizontal(
        [(_digit(a, i, 6) != _digit(b, i, 6)).cast(pl.Int8) for i in range(6)]
    )
    swapped = ((a // 10_000) == (b // 100) % 100) & ((a // 100) % 100 == (b // 10_000))
    return (
        pl.when(pl.col("birth_date").is_null() | pl.col("birth_date_rec").is_null())
        .then(pl.lit("date_unknown"))
        .when(pl.col("from_nik") & (pl.col("relation") != "nik_exact"))
        .then(pl.lit("date_unknown"))
        .when(pl.col("birth_date") == pl.col("birth_date_rec"))
        .then(pl.lit("date_same"))
        .when(swapped & (a % 100 == b % 100))
        .then(pl.lit("date_day_month_swapped"))
        .when(pl.col("relation").is_in(_ONE_EDIT))
        .then(pl.lit("date_different"))
        .when(differing == 1)
        .then(pl.lit("date_one_digit"))
        .when(pl.col("birth_date").dt.year() == pl.col("birth_date_rec").dt.year())
        .then(pl.lit("date_same_year"))
        .otherwise(pl.lit("date_different"))
    )


def _field_relation(field: str) -> pl.Expr:
    return (
        pl.when((pl.col(field) == "") | (pl.col(f"{field}_rec") == ""))
        .then(pl.lit(f"{field}_unknown"))
        .when(pl.col(field) == pl.col(f"{field}_rec"))
        .then(pl.lit(f"{field}_same"))
        .otherwise(pl.lit(f"{field}_different"))
    )


_OTHER_BLOCKS: Final = ("demographic", "name_block", "nik_prefix")


def _nik_evidence() -> pl.Expr:
    """The NIK relation as evidence. For a pair from a block that is not a NIK relation:
    NIKs (15 or 16 digits) differing in at most two of their first 15 digits and their 16th
    are near; further apart they count against the pair. Computed only where needed."""
    a, b = pl.col("nik"), pl.col("nik_rec")
    len_a, len_b = a.str.len_chars(), b.str.len_chars()
    comparable = (len_a >= 15) & (len_a <= 16) & (len_b >= 15) & (len_b <= 16)
    # The first 15 digits as a number (a damaged NIK has no 16th), then the 16th.
    a15 = a.str.slice(0, 15).cast(pl.UInt64, strict=False)
    b15 = b.str.slice(0, 15).cast(pl.UInt64, strict=False)
    a16 = pl.when(len_a == 16).then(a.cast(pl.UInt64, strict=False))
    b16 = pl.when(len_b == 16).then(b.cast(pl.UInt64, strict=False))
    differing = pl.sum_horizontal(
        [(_digit(a15, i, 15) != _digit(b15, i, 15)).cast(pl.Int8) for i in range(15)]
    ) + ((a16 % 10) != (b16 % 10)).fill_null(value=False).cast(pl.Int8)
    return (
        pl.when(pl.col("relation").is_in(_OTHER_BLOCKS))
        .then(
            pl.when(~comparable)
            .then(pl.lit("nik_unknown"))
            .when(differing <= 2)
            .then(pl.lit("nik_near"))
            .otherwise(pl.lit("nik_different"))
        )
        .otherwise(pl.col("relation"))
    )


_SCORED_SCHEMA: Final[dict[str, pl.DataType]] = {
    "row": pl.Int64(),
    "rec": pl.Int64(),
    "score": pl.Float64(),
    "reasons": pl.List(pl.String()),
    "nik_evidence": pl.String(),
    "name_sim": pl.Float64(),
}


def score_pairs(
    pairs: pl.DataFrame, rows: pl.DataFrame, reg: pl.DataFrame, *, floor: float = 0.0
) -> pl.DataFrame:
    """Evidence and score of each (row, rec, relation) pair; one line per (row, rec), the
    strongest NIK relation kept. Pairs that could not reach `floor` even with the same name
    are dropped before names are compared (a NIK has dozens of one-digit neighbours in a
    regency's register: nearly all of them other people)."""
    if pairs.height == 0:
        return pl.DataFrame(schema=_SCORED_SCHEMA)
    ranked = (
        pairs.with_columns(
            rank=pl.col("relation").replace_strict(_NIK_RELATIONS_RANK, return_dtype=pl.Int8)
        )
        .sort("rank")
        .unique(subset=["row", "rec"], keep="first")
        .drop("rank")
    )
    floor_bits = -math.inf
    if floor > 0.0:
        floor_bits = math.log2(floor / (1.0 - floor)) if floor < 1.0 else math.inf
        # First a light screen on the NIK relation and the birth dates alone, with the best
        # case for everything else: most one-slip neighbours are born on another day.
        dates = ["birth_date", "ddmmyy"]
        light = (
            ranked.join(rows.select(pl.col("id").alias("row"), *dates, "from_nik"), on="row")
            .join(
                reg.select(
                    pl.col("id").alias("rec"), *[pl.col(f).alias(f"{f}_rec") for f in dates]
                ),
                on="rec",
            )
            .with_columns(date_evidence=_date_relation())
        )
        best_case = (
            pl.when(pl.col("relation").is_in(_OTHER_BLOCKS))
            .then(pl.lit(WEIGHTS["nik_near"]))
            .otherwise(
                pl.col("relation").replace_strict(WEIGHTS, default=0.0, return_dtype=pl.Float64)
            )
            + pl.col("date_evidence").replace_strict(WEIGHTS, return_dtype=pl.Float64)
            + (
                WEIGHTS["prior"]
                + WEIGHTS["sex_same"]
                + WEIGHTS["district_same"]
                + WEIGHTS["name_same"]
            )
        )
        ranked = light.filter(best_case >= floor_bits).select("row", "rec", "relation")
    fields = ["nik", "name", "simple", "birth_date", "ddmmyy", "sex", "district"]
    joined = ranked.join(
        rows.select(pl.col("id").alias("row"), *fields, "from_nik"), on="row"
    ).join(
        reg.select(pl.col("id").alias("rec"), *[pl.col(f).alias(f"{f}_rec") for f in fields]),
        on="rec",
    )
    other = pl.col("relation").is_in(_OTHER_BLOCKS)
    joined = (
        pl.concat(
            [
                joined.filter(~other).with_columns(nik_evidence=pl.col("relation")),
                joined.filter(other).with_columns(nik_evidence=_nik_evidence()),
            ]
        )
        .with_columns(date_evidence=_date_relation())
        .with_columns(
            # A NIK near the register's already says "born a digit apart": a date a digit off
            # beside it is the same fact counted twice, and more often another person's.
            date_evidence=pl.when(
                (pl.col("date_evidence") == "date_one_digit")
                & (pl.col("nik_evidence") == "nik_near")
            )
            .then(pl.lit("date_different"))
            .otherwise(pl.col("date_evidence")),
            sex_evidence=_field_relation("sex"),
            district_evidence=_field_relation("district"),
        )
    )
    known = ["nik_evidence", "date_evidence", "sex_evidence", "district_evidence"]
    partial = pl.sum_horizontal(
        [pl.col(e).replace_strict(WEIGHTS, return_dtype=pl.Float64) for e in known]
    ) + pl.lit(WEIGHTS["prior"])
    joined = joined.with_columns(partial=partial)
    joined = joined.filter(pl.col("partial") + WEIGHTS["name_same"] >= floor_bits).with_columns(
        need=floor_bits - pl.col("partial")
    )
    joined = _name_scores(joined).with_columns(name_evidence=_band(pl.col("name_sim")))
    bits = pl.col("partial") + pl.col("name_evidence").replace_strict(
        WEIGHTS, return_dtype=pl.Float64
    )
    evidence = ["nik_evidence", "name_evidence", "date_evidence", "sex_evidence"]
    return joined.select(
        "row",
        "rec",
        (1.0 / (1.0 + (pl.lit(2.0) ** (-bits)))).alias("score"),
        pl.concat_list([*evidence, "district_evidence"]).alias("reasons"),
        "nik_evidence",
        "name_sim",
    )


def _best(scored: pl.DataFrame, settings: MatchSettings) -> pl.DataFrame:
    """The best candidate of each row, marked ambiguous when a different record comes
    within `settings.ambiguity` of it."""
    ordered = scored.sort(["row", "score", "rec"], descending=[False, True, False])
    top = ordered.group_by("row", maintain_order=True).agg(
        pl.col("rec").first(),
        pl.col("score").first(),
        pl.col("reasons").first(),
        pl.col("nik_evidence").first(),
        pl.col("score").get(1, null_on_oob=True).alias("runner_up"),
    )
    ambiguous = pl.col("runner_up").is_not_null() & (
        pl.col("score") - pl.col("runner_up") < settings.ambiguity
    )
    return top.with_columns(
        reasons=pl.when(ambiguous)
        .then(pl.col("reasons").list.concat(pl.lit(["ambiguous"])))
        .otherwise(pl.col("reasons"))
    ).with_columns(ambiguous=ambiguous)


# -- public API ---------------------------------------------------------------------------


def candidates(
    rows: pl.DataFrame, reg: pl.DataFrame, *, settings: MatchSettings, itself: bool = False
) -> pl.DataFrame:
    """Scored candidate pairs of prepared `rows` and `reg` (see `_prepare`), in three rounds,
    each for the rows the rounds before left unsettled: the same NIK or KK; NIK
    neighbourhoods; then the same NIK prefix, birth date and sex, or name in the district.
    A row is settled by a pair on its very NIK that scores `link_accept` (first round), or by
    any pair that scores `link_review` (second round). `itself`: `reg` is `rows` (looking for
    duplicates), so a row is no candidate of its own."""
    floor = min(settings.link_review, settings.duplicate_review)

    def scored_pairs(blocks: list[pl.DataFrame], of: pl.DataFrame) -> pl.DataFrame:
        pairs = pl.concat(blocks)
        if itself:
            pairs = pairs.filter(pl.col("row") != pl.col("rec"))
        return score_pairs(pairs, of, reg, floor=floor)

    def unsettled(of: pl.DataFrame, by: pl.DataFrame) -> pl.DataFrame:
        return of.join(by.select(pl.col("row").alias("id")).unique(), on="id", how="anti")

    rounds = [scored_pairs([_exact_pairs(rows, reg), _kk_pairs(rows, reg)], rows)]
    settled = rounds[0].filter(
        (pl.col("nik_evidence") == "nik_exact") & (pl.col("score") >= settings.link_accept)
    )
    rest = unsettled(rows, settled)
    if rest.height:
        rounds.append(scored_pairs([_neighbour_pairs(rest, reg), _day40_pairs(rest, reg)], rest))
        found = pl.concat(rounds).filter(pl.col("score") >= settings.link_review)
        rest = unsettled(rest, found)
    if rest.height:
        rounds.append(
            scored_pairs(
                [_prefix_pairs(rest, reg), _demographic_pairs(rest, reg), _name_pairs(rest, reg)],
                rest,
            )
        )
    # A pair met in several rounds keeps its strongest NIK relation (the earliest round).
    return pl.concat(rounds).unique(subset=["row", "rec"], keep="first", maintain_order=True)


def link(
    rows: pl.DataFrame, register: pl.DataFrame, settings: MatchSettings | None = None
) -> pl.DataFrame:
    """Each row's link to the register, if any (`LINK_SCHEMA`): `match` is "exact" for a link
    on the same NIK, "probable" for any other link scoring at least `link_review`. Rows without
    a link are absent."""
    settings = settings or MatchSettings()
    if rows.height == 0 or register.height == 0:
        return empty_links()
    prepared_rows = _prepare(rows, "row_id")
    prepared_reg = _prepare(register, "record_id")
    scored = candidates(prepared_rows, prepared_reg, settings=settings)
    if scored.height == 0:
        return empty_links()
    best = _best(scored, settings).filter(pl.col("score") >= settings.link_review)
    return best.select(
        pl.col("row").alias("row_id"),
        pl.col("rec").alias("record_id"),
        pl.when(pl.col("nik_evidence") == "nik_exact")
        .then(pl.lit("exact"))
        .otherwise(pl.lit("probable"))
        .alias("match"),
        pl.col("score"),
        pl.col("reasons"),
    ).cast(pl.Schema(LINK_SCHEMA))


def needs_review(links: pl.DataFrame, settings: MatchSettings) -> pl.Expr:
    """True for a link a verifier must confirm: probable, ambiguous or a weak exact one."""
    del links
    return (
        (pl.col("match") != "exact")
        | (pl.col("score") < settings.link_accept)
        | pl.col("reasons").list.contains("ambiguous")
    )


def duplicate_groups(
    rows: pl.DataFrame, links: pl.DataFrame, settings: MatchSettings | None = None
) -> pl.DataFrame:
    """Rows that are one person (`GROUP_SCHEMA`): rows linked to the same register record,
    and rows matched to each other by the same blocks and scores as register links. Groups
    are closed transitively; `group_id` is the smallest row id of the group, `duplicate_of`
    the earliest other row of the group, `score` the strongest pair evidence of the row."""
    settings = settings or MatchSettings()
    if rows.height < 2:
        return empty_groups()
    prepared = _prepare(rows, "row_id")
    pair_frames: list[pl.DataFrame] = []
    if links.height:
        by_record = links.select("row_id", "record_id", "score")
        shared = by_record.join(by_record, on="record_id", suffix="_b").filter(
            pl.col("row_id") < pl.col("row_id_b")
        )
        pair_frames.append(
            shared.select(
                pl.col("row_id").alias("a"),
                pl.col("row_id_b").alias("b"),
                pl.min_horizontal("score", "score_b").alias("score"),
                pl.lit(["same_register_record"]).alias("reasons"),
            )
        )
    scored = candidates(prepared, prepared, settings=settings, itself=True)
    if links.height:
        # Two rows the register tells apart (linked to two different people) are not one
        # person, however alike they look.
        record = links.select(pl.col("row_id").alias("row"), pl.col("record_id").alias("ra"))
        scored = (
            scored.join(record, on="row", how="left")
            .join(record.rename({"row": "rec", "ra": "rb"}), on="rec", how="left")
            .filter(
                pl.col("ra").is_null() | pl.col("rb").is_null() | (pl.col("ra") == pl.col("rb"))
            )
            .drop("ra", "rb")
        )
    pair_frames.append(
        scored.filter(pl.col("score") >= settings.duplicate_review).select(
            pl.min_horizontal("row", "rec").alias("a"),
            pl.max_horizontal("row", "rec").alias("b"),
            "score",
            "reasons",
        )
    )
    pairs = (
        pl.concat([f.cast({"reasons": pl.List(pl.String)}) for f in pair_frames])
        .sort("score", descending=True)
        .unique(subset=["a", "b"], keep="first")
    )
    if pairs.height == 0:
        return empty_groups()
    group_of = _components(zip(pairs.get_column("a"), pairs.get_column("b"), strict=True))
    members = pl.DataFrame(
        {"row_id": list(group_of), "group_id": list(group_of.values())},
        schema={"row_id": pl.Int64, "group_id": pl.Int64},
    )
    # Each row's strongest pair.
    ends = pl.concat(
        [
            pairs.select(
                pl.col("a").alias("row_id"), pl.col("b").alias("other"), "score", "reasons"
            ),
            pairs.select(
                pl.col("b").alias("row_id"), pl.col("a").alias("other"), "score", "reasons"
            ),
        ]
    )
    strongest = (
        ends.sort(["row_id", "score"], descending=[False, True])
        .group_by("row_id", maintain_order=True)
        .agg(pl.col("score").first(), pl.col("reasons").first())
    )
    ordered = members.sort("row_id")
    firsts = ordered.group_by("group_id", maintain_order=True).agg(
        pl.col("row_id").get(0).alias("first"), pl.col("row_id").get(1).alias("second")
    )
    return (
        ordered.join(firsts, on="group_id")
        .with_columns(
            duplicate_of=pl.when(pl.col("row_id") == pl.col("first"))
            .then(pl.col("second"))
            .otherwise(pl.col("first"))
        )
        .join(strongest, on="row_id", how="left")
        .select(list(GROUP_SCHEMA))
        .cast(pl.Schema(GROUP_SCHEMA))
    )


def _components(edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Union-find: {node: smallest node of its component}."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in parent}


def probability(bits: float) -> float:
    """The score a sum of evidence bits gives (exposed for tests and the docs)."""
    return 1.0 / (1.0 + math.pow(2.0, -bits))
