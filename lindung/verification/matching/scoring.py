"""The evidence and score of each candidate pair (weights in `evidence.WEIGHTS`; the names'
evidence in `names`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Final

import polars as pl

from lindung.verification.matching.blocks import name_counts, with_name_counts
from lindung.verification.matching.evidence import WEIGHTS
from lindung.verification.matching.names import (
    BEST_NAME,
    name_evidence,
    name_scores,
    rare_limit,
)

_NIK_RELATIONS_RANK: Final = {
    "nik_exact": 0,
    "nik_transposed": 1,
    "nik_day_plus_40": 2,  # 28 for 68 is also one digit substituted: the +40 says more
    "nik_substituted": 3,
    "nik_missing_digit": 4,
    "nik_extra_digit": 5,
    "nik_slip_lost_digit": 6,
    "nik_is_kk": 7,
    "nik_of_relative": 8,
    "same_kk": 9,
    "nik_prefix": 10,
    "demographic": 11,
    "name_block": 12,
    "person_block": 13,
}


# NIK relations one slip apart. A NIK has dozens of such neighbours in a regency, most of them
# born a digit's difference away: beside one of them, a birth date a digit off (or in the
# same year) is another person's, not a slip (the row's date was written apart from its NIK).
_ONE_EDIT: Final = (
    "nik_substituted",
    "nik_transposed",
    "nik_missing_digit",
    "nik_extra_digit",
    "nik_day_plus_40",
    "nik_slip_lost_digit",
)


# Every level of evidence but the name's, as a small integer code (cheap to compute, compare
# and weigh; its label is looked up once, at the end): the NIK relations first, at their rank
# (a pair met by several blocks keeps the strongest), then the levels computed here.
_LEVELS: Final = (
    *sorted(_NIK_RELATIONS_RANK, key=_NIK_RELATIONS_RANK.__getitem__),
    *("nik_near", "nik_cut_short", "nik_unknown", "nik_different"),
    *("date_unknown", "date_year_only", "date_year_only_near", "date_different", "date_same"),
    *("date_day_month_swapped", "date_year_typo", "date_one_digit", "date_year_off_by_one"),
    *("date_same_year", "sex_unknown", "sex_same", "sex_different"),
    *("district_unknown", "district_same", "district_different"),
)
_CODE: Final = {level: code for code, level in enumerate(_LEVELS)}
# Levels with no weight of their own (the blocks that are no NIK relation) weigh nothing.
_LEVEL_WEIGHTS: Final = {code: WEIGHTS.get(level, 0.0) for code, level in enumerate(_LEVELS)}
_LEVEL_LABELS: Final = dict(enumerate(_LEVELS))


def _code(level: str) -> pl.Expr:
    return pl.lit(_CODE[level], dtype=pl.UInt8)


def _codes(levels: Iterable[str]) -> list[int]:
    return [_CODE[level] for level in levels]


def _weight(code: pl.Expr) -> pl.Expr:
    return code.replace_strict(_LEVEL_WEIGHTS, return_dtype=pl.Float64)


def _label(code: pl.Expr) -> pl.Expr:
    return code.replace_strict(_LEVEL_LABELS, return_dtype=pl.String)


def _digit(number: pl.Expr, index: int, width: int) -> pl.Expr:
    """Digit `index` (0 = leftmost) of a `width`-digit number."""
    digit: pl.Expr = (number // (10 ** (width - 1 - index))) % 10
    return digit


def _date_relation() -> pl.Expr:
    """How the birth dates relate (a code of `_LEVELS`; `relation` is the NIK relation's).
    A row's date that intake took from the NIK is no evidence beside that NIK (unless the
    NIK itself is the register's): it says only what the NIK says. Beside a one-slip NIK,
    a date one digit off counts as different (see `_ONE_EDIT`)."""
    a, b = pl.col("ddmmyy"), pl.col("ddmmyy_rec")
    differing = pl.sum_horizontal(
        [(_digit(a, i, 6) != _digit(b, i, 6)).cast(pl.Int8) for i in range(6)]
    )
    swapped = ((a // 10_000) == (b // 100) % 100) & ((a // 100) % 100 == (b // 10_000))
    # The same day and month, the year's last two digits one slip apart (one differs, or the
    # two are swapped: 1978/1987).
    yy, yy_rec = a % 100, b % 100
    year_slip = (a // 100 == b // 100) & (
        ((yy // 10 == yy_rec // 10) != (yy % 10 == yy_rec % 10))
        | ((yy // 10 == yy_rec % 10) & (yy % 10 == yy_rec // 10))
    )
    # The prepared birth years: each a birth date's own year where there is a date (the
    # branches below that read them), and far cheaper than taking it from every pair's dates.
    year, year_rec = pl.col("birth_year"), pl.col("birth_year_rec")
    year_gap = (year - year_rec).abs()
    one_edit = pl.col("relation").is_in(_codes(_ONE_EDIT))
    return (
        pl.when(pl.col("birth_date_rec").is_null())
        .then(_code("date_unknown"))
        .when(pl.col("birth_date").is_null() & year.is_not_null())
        # Only the year was written: graded on the year alone.
        .then(
            pl.when(year_gap == 0)
            .then(_code("date_year_only"))
            .when(year_gap == 1)
            .then(_code("date_year_only_near"))
            .otherwise(_code("date_different"))
        )
        .when(pl.col("birth_date").is_null())
        .then(_code("date_unknown"))
        .when(
            (pl.col("from_nik") | pl.col("from_nik_rec"))
            & (pl.col("relation") != _CODE["nik_exact"])
        )
        .then(_code("date_unknown"))
        .when(pl.col("birth_date") == pl.col("birth_date_rec"))
        .then(_code("date_same"))
        .when(swapped & (a % 100 == b % 100))
        .then(_code("date_day_month_swapped"))
        # Beside a NIK one slip away, only where the row's NIK says another date than its
        # own: a NIK and a date that agree with each other and are both a slip from the
        # register's are another person's (born in another year, the serial the same).
        .when(year_slip & (((differing != 1) & ~one_edit) | (one_edit & ~pl.col("as_nik"))))
        .then(_code("date_year_typo"))
        .when(one_edit)
        .then(_code("date_different"))
        .when(differing == 1)
        .then(_code("date_one_digit"))
        .when((a // 100 == b // 100) & (year_gap == 1))
        .then(_code("date_year_off_by_one"))
        .when(year == year_rec)
        .then(_code("date_same_year"))
        .otherwise(_code("date_different"))
    )


def _field_relation(field: str) -> pl.Expr:
    return (
        pl.when((pl.col(field) == "") | (pl.col(f"{field}_rec") == ""))
        .then(_code(f"{field}_unknown"))
        .when(pl.col(field) == pl.col(f"{field}_rec"))
        .then(_code(f"{field}_same"))
        .otherwise(_code(f"{field}_different"))
    )


_OTHER_BLOCKS: Final = ("demographic", "name_block", "nik_prefix", "person_block")


def _nik_evidence() -> pl.Expr:
    """The NIK relation as evidence (a code of `_LEVELS`). For a pair from a block that is
    not a NIK relation: NIKs (15 or 16 digits) differing in at most two of their first 15
    digits and their 16th are near; further apart they count against the pair."""
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
        pl.when(pl.col("relation").is_in(_codes(_OTHER_BLOCKS)))
        .then(
            # A NIK cut short (12-14 digits) that begins the other: the district of issue,
            # the birth date and sex as coded, and the first serial digits.
            pl.when(
                (len_a.is_between(12, 14) & (len_b == 16) & b.str.starts_with(a))
                | (len_b.is_between(12, 14) & (len_a == 16) & a.str.starts_with(b))
            )
            .then(_code("nik_cut_short"))
            .when(~comparable)
            .then(_code("nik_unknown"))
            # Two people born the same day in one district have NIKs a serial digit apart:
            # "near" counts only where the NIK says more than the birth date and district.
            .when((differing <= 2) & (pl.col("district") == pl.col("district_rec")))
            .then(_code("nik_near"))
            .otherwise(_code("nik_different"))
        )
        .otherwise(pl.col("relation"))
    )


# The most bits a pair met by person evidence alone (no NIK relation) may score: just under
# the default `link_accept` (0,99), so such a link always goes to a verifier.
PERSON_ROUTE_CAP: Final = 6.5
_BEST_OTHER_NIK: Final = max(WEIGHTS["nik_near"], WEIGHTS["nik_cut_short"])

_SCORED_SCHEMA: Final[dict[str, pl.DataType]] = {
    "row": pl.Int64(),
    "rec": pl.Int64(),
    "score": pl.Float64(),
    "reasons": pl.List(pl.String()),
    "nik_evidence": pl.String(),
    "name_sim": pl.Float64(),
}
_DATES: Final = ("birth_date", "ddmmyy")  # both sides' fields the light screen needs


def score_pairs(
    pairs: pl.DataFrame,
    rows: pl.DataFrame,
    reg: pl.DataFrame,
    *,
    floor: float = 0.0,
    counts: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Evidence and score of each (row, rec, relation) pair; one line per (row, rec), the
    strongest NIK relation kept. Pairs that could not reach `floor` even with the same name
    are dropped before names are compared (a NIK has dozens of one-digit neighbours in a
    regency's register: nearly all of them other people). `counts`: `blocks.name_counts` of
    `reg` (made here when not given)."""
    if pairs.height == 0:
        return pl.DataFrame(schema=_SCORED_SCHEMA)
    if counts is None:
        counts = name_counts(reg)
    if "name_count_reg" not in rows.columns:
        rows = with_name_counts(rows, counts)
    rare = rare_limit(reg.height)
    floor_bits = -math.inf
    if floor > 0.0:
        floor_bits = math.log2(floor / (1.0 - floor)) if floor < 1.0 else math.inf
    known = _evidence_but_name(_dated(pairs, rows, reg, floor_bits, rare), rows, reg)
    if floor_bits > -math.inf:
        # The same name at best, a rare one only where the row's name is rare: the cheap
        # part of the screen below, before the names are taken.
        known = known.filter(pl.col("partial") + _best_name(rare) >= floor_bits)
    best_name = (
        pl.when((pl.col("name_count_rec") <= rare) & (pl.col("name_count_reg") <= rare))
        .then(pl.lit(BEST_NAME))
        .otherwise(pl.lit(WEIGHTS["name_same"]))
    )
    screened = (
        _taken(known, rows, reg, ["name", "simple"])
        .lazy()
        .join(
            counts.lazy().rename({"simple": "simple_rec", "name_count": "name_count_rec"}),
            on="simple_rec",
            how="left",
        )
        .filter(pl.col("partial") + best_name >= floor_bits)
        .with_columns(need=floor_bits - pl.col("partial"))
        .collect(engine="in-memory")
    )
    named = name_evidence(name_scores(screened), rare)
    bits = pl.col("partial") + pl.col("name_evidence").replace_strict(
        WEIGHTS, return_dtype=pl.Float64
    )
    # Person evidence alone (no NIK relation) never settles a link without review.
    bits = (
        pl.when(pl.col("relation").is_in(_codes(_OTHER_BLOCKS)))
        .then(pl.min_horizontal(bits, pl.lit(PERSON_ROUTE_CAP)))
        .otherwise(bits)
    )
    nik = _label(pl.col("nik_evidence"))
    return named.select(
        "row",
        "rec",
        (1.0 / (1.0 + (pl.lit(2.0) ** (-bits)))).alias("score"),
        # `concat_arr` then a list: several times cheaper than `concat_list` of strings.
        pl.concat_arr(
            nik,
            "name_evidence",
            *[_label(pl.col(e)) for e in ["date_evidence", "sex_evidence", "district_evidence"]],
        )
        .arr.to_list()
        .alias("reasons"),
        nik.alias("nik_evidence"),
        "name_sim",
    )


def best_bits(relations: Iterable[str]) -> float:
    """The most bits a pair found by blocks of these relations can score with the hand
    weights: its NIK relation at its best (NIKs near, for a block that is no NIK relation),
    and the same name, birth date, sex and district."""

    def most(relation: str) -> float:
        same = ("date_same", "sex_same", "district_same")
        bits = WEIGHTS["prior"] + BEST_NAME + sum(WEIGHTS[evidence] for evidence in same)
        if relation in _OTHER_BLOCKS:
            return min(bits + _BEST_OTHER_NIK, PERSON_ROUTE_CAP)
        return bits + WEIGHTS[relation]

    return max(most(relation) for relation in relations)


def _strongest(pairs: pl.DataFrame) -> pl.LazyFrame:
    """One line per (row, rec) of `pairs`, its `relation` the code of its strongest NIK
    relation (the lowest rank)."""
    # The relations' codes follow their rank (see `_LEVELS`).
    codes = {relation: _CODE[relation] for relation in _NIK_RELATIONS_RANK}
    relation = pl.col("relation").replace_strict(codes, return_dtype=pl.UInt8)
    # The least code per pair: a grouping, not a sort of every pair (40 % less CPU).
    return (
        pairs.lazy()
        .select("row", "rec", relation)
        .group_by("row", "rec")
        .agg(pl.col("relation").min())
    )


def _best_name(rare: int) -> pl.Expr:
    """The most bits the names can give a pair where only the row's name count is known."""
    return (
        pl.when(pl.col("name_count_reg") <= rare)
        .then(pl.lit(BEST_NAME))
        .otherwise(pl.lit(WEIGHTS["name_same"]))
    )


def _light_screen(floor_bits: float, rare: int) -> pl.Expr:
    """True for the pairs that could reach `floor_bits` on their NIK relation and birth
    dates alone, with the best case for everything else: most one-slip neighbours are born
    on another day, so this cheap screen drops most pairs before the rest is compared."""
    best_case = (
        pl.when(pl.col("relation").is_in(_codes(_OTHER_BLOCKS)))
        .then(pl.lit(_BEST_OTHER_NIK))
        .otherwise(_weight(pl.col("relation")))
        + _weight(pl.col("date_evidence"))
        + (WEIGHTS["prior"] + WEIGHTS["sex_same"] + WEIGHTS["district_same"])
        + _best_name(rare)
    )
    return best_case >= floor_bits


def _dated(
    pairs: pl.DataFrame, rows: pl.DataFrame, reg: pl.DataFrame, floor_bits: float, rare: int
) -> pl.DataFrame:
    """Each pair (its strongest relation) with both sides' birth dates and their relation
    (`date_evidence`), behind the light screen (see `_light_screen`) where there is a floor;
    `row_at` and `rec_at`, where each side's line is in `rows` and `reg`."""
    # Only what the screen needs is joined: the other fields follow for the pairs it keeps.
    dated = _strongest(pairs).join(
        rows.lazy().select(
            pl.col("id").alias("row"),
            *_DATES,
            "birth_year",
            "from_nik",
            "as_nik",
            "name_count_reg",
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("row_at"),
        ),
        on="row",
    )
    fields = [pl.col(f).alias(f"{f}_rec") for f in [*_DATES, "birth_year", "from_nik"]]
    first = _first_of_consecutive(reg.get_column("id"))
    if first is None:
        dated = dated.join(
            reg.lazy().select(
                pl.col("id").alias("rec"),
                *fields,
                pl.int_range(pl.len(), dtype=pl.UInt32).alias("rec_at"),
            ),
            on="rec",
        )
    else:
        # A register snapshot's records have consecutive ids (written at once): a record's
        # line is its id's distance from the first, and its fields are taken there. Joined
        # on the id, a million records cost a full run's second process 0,15–0,2 s more.
        near = (
            dated.filter(pl.col("rec").is_between(first, first + reg.height - 1))
            .with_columns(rec_at=(pl.col("rec") - first).cast(pl.UInt32))
            .sort("rec_at")
            .collect(engine="in-memory")
        )
        taken = reg.select(fields).rechunk()[near.get_column("rec_at")]
        dated = pl.concat([near, taken], how="horizontal").lazy()
    dated = dated.with_columns(date_evidence=_date_relation())
    if floor_bits > -math.inf:
        dated = dated.filter(_light_screen(floor_bits, rare))
    return dated.collect(engine="in-memory")


def _first_of_consecutive(ids: pl.Series) -> int | None:
    """The first of ``ids`` when they are consecutive integers in order (each one more than
    the one before), else None."""
    if ids.len() == 0 or not (ids.diff(null_behavior="drop") == 1).all():
        return None
    first: int = ids[0]
    return first


def _taken(
    pairs: pl.DataFrame, rows: pl.DataFrame, reg: pl.DataFrame, fields: list[str]
) -> pl.DataFrame:
    """`pairs` with `fields` of both sides, taken by position (`row_at`, `rec_at`), each
    side's fields in one piece first: a register read from Parquet comes in several, and
    taking lines from one piece is several times cheaper."""
    of_rows = rows.select(fields).rechunk()
    of_reg = reg.select(pl.col(f).alias(f"{f}_rec") for f in fields).rechunk()
    return pl.concat(
        [pairs, of_rows[pairs.get_column("row_at")], of_reg[pairs.get_column("rec_at")]],
        how="horizontal",
    )


def _evidence_but_name(dated: pl.DataFrame, rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """`_dated` pairs with the NIK, sex and district evidence (codes of `_LEVELS`) and
    `partial`, the bits of all their evidence but the name's."""
    others = dated.get_column("relation").is_in(_codes(_OTHER_BLOCKS)).any()
    near = (pl.col("nik_evidence") == _CODE["nik_near"]) & pl.col("date_evidence").is_in(
        _codes(["date_one_digit", "date_year_typo"])
    )
    known = ["nik_evidence", "date_evidence", "sex_evidence", "district_evidence"]
    return (
        _taken(dated, rows, reg, ["nik", "sex", "district"])
        .lazy()
        # Only pairs of blocks that are no NIK relation need the NIKs compared.
        .with_columns(nik_evidence=_nik_evidence() if others else pl.col("relation"))
        .with_columns(
            # A NIK near the register's already says "born a digit apart": a date a digit
            # off beside it is the same fact counted twice, and more often another person's.
            date_evidence=pl.when(near)
            .then(_code("date_different"))
            .otherwise(pl.col("date_evidence")),
            sex_evidence=_field_relation("sex"),
            district_evidence=_field_relation("district"),
        )
        .select(
            "row",
            "rec",
            "relation",
            *known,
            # What the names' screen and evidence need.
            *["name_count_reg", "row_at", "rec_at"],
            partial=pl.sum_horizontal([_weight(pl.col(e)) for e in known])
            + pl.lit(WEIGHTS["prior"]),
        )
        .collect(engine="in-memory")
    )


def evidence_columns(scored: pl.DataFrame) -> pl.DataFrame:
    """The evidence levels of scored pairs, one column per comparison (`learn.COMPARISONS`),
    read back from their `reasons`."""
    names = ["nik_evidence", "name_evidence", "date_evidence", "sex_evidence", "district_evidence"]
    return scored.select(pl.col("reasons").list.get(i).alias(name) for i, name in enumerate(names))


def rescored(scored: pl.DataFrame, weights: Mapping[str, float]) -> pl.DataFrame:
    """Scored pairs with their score recomputed from their evidence levels with `weights`
    (the same keys as `WEIGHTS`); the evidence and reasons stay as they are."""
    if scored.height == 0:
        return scored
    bits = pl.lit(weights["prior"]) + pl.sum_horizontal(
        pl.col("reasons").list.get(i).replace_strict(dict(weights), return_dtype=pl.Float64)
        for i in range(5)
    )
    return scored.with_columns(score=1.0 / (1.0 + (pl.lit(2.0) ** (-bits))))
