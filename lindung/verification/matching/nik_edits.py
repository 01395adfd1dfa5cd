"""NIKs one edit apart: a digit substituted, two neighbouring digits swapped, one digit
missing or one extra; and a slip (a digit substituted or two swapped) in a NIK that also lost
its 16th digit to a spreadsheet. Found by each row's variants -- every NIK one such edit
from the row's, made arithmetically -- joined to the other side's NIKs: never by comparing
NIKs pairwise (see the package's docstring), and never by keys of the other side, which is
the register's million people.

A digit moved further than its neighbour's place (taken out, put in two places or more away)
is two edits, not one: no neighbour. Within a regency's sequential serials such pairs are
mostly chance (more than half the pairs a NIK's deletion keys met, and 22 of the 47 links
they made on the benchmark were wrong); a person behind such a NIK is still met by the name
and birth-date blocks of the last round (docs/benchmarks.md, issue 10 session 14)."""

from __future__ import annotations

import polars as pl

from lindung.verification.matching.blocks import PAIR_SCHEMA


def _numbers(frame: pl.DataFrame, length: int, id_as: str) -> pl.LazyFrame:
    """(`id_as`, n): the NIKs of `length` digits as numbers (sixteen digits: the number
    `prepare` made). All NIKs of one length have the same number of digits (leading zeros
    included), so equal numbers are equal digit strings; a NIK is below 10^17, within a
    signed 64-bit integer."""
    if length == 16 and "n16" in frame.columns:
        return (
            frame.lazy()
            .filter(pl.col("n16").is_not_null())
            .select(pl.col("id").alias(id_as), pl.col("n16").alias("n"))
        )
    return (
        frame.lazy()
        .filter(pl.col("nik").str.len_chars() == length)
        .select(pl.col("id").alias(id_as), pl.col("nik").cast(pl.Int64).alias("n"))
    )


def _slips(numbers: pl.LazyFrame, length: int, relations: tuple[str, str]) -> pl.LazyFrame:
    """(row, key, relation): each of `numbers` (`length` digits) with one digit substituted
    (nine other digits at each place, `relations[0]`) or two neighbouring different digits
    swapped (`relations[1]`): every variant once."""
    n = pl.col("n")
    weights = [10 ** (length - place - 1) for place in range(length)]
    # Each place's digit worked out once, not once for each of its ten variants: half the
    # variants' cost.
    digits = numbers.with_columns(
        (n // weight % 10).alias(f"d{place}") for place, weight in enumerate(weights)
    ).collect()
    parts = []
    for place, weight in enumerate(weights):
        digit = pl.col(f"d{place}")
        without = n - digit * weight
        parts += [
            digits.lazy().select(
                "row",
                (without + (digit + step) % 10 * weight).alias("key"),
                pl.lit(relations[0]).alias("relation"),
            )
            for step in range(1, 10)
        ]
        if place + 1 < length:
            after = pl.col(f"d{place + 1}")
            # The two digits swapped: the number moves by their difference times 9 at the
            # lower place.
            swapped = n + (after - digit) * (weight - weight // 10)
            parts.append(
                digits.lazy()
                .filter(digit != after)
                .select("row", swapped.alias("key"), pl.lit(relations[1]).alias("relation"))
            )
    return pl.concat(parts)


def _insertions(numbers: pl.LazyFrame, length: int) -> pl.LazyFrame:
    """(row, key, relation): each of `numbers` (`length` digits) with a digit put in at each
    place, ten digits each: the NIKs it is one digit short of (each once)."""
    n = pl.col("n")
    parts = []
    for place in range(length + 1):
        low = 10 ** (length - place)  # the digits after the place
        head = (n // low) * low * 10 + n % low
        parts += [numbers.select("row", (head + digit * low).alias("key")) for digit in range(10)]
    return pl.concat(parts).unique().with_columns(relation=pl.lit("nik_missing_digit"))


def _deletions(numbers: pl.LazyFrame, length: int) -> pl.LazyFrame:
    """(row, key, relation): each of `numbers` (`length` digits) with one digit taken out:
    the NIKs it has one digit too many for (each once)."""
    n = pl.col("n")
    parts = []
    for place in range(length):
        right = 10 ** (length - place - 1)  # the digits after `place`
        parts.append(numbers.select("row", ((n // (right * 10)) * right + n % right).alias("key")))
    return pl.concat(parts).unique().with_columns(relation=pl.lit("nik_extra_digit"))


def neighbour_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """Pairs whose NIKs are one edit apart, by the rows' variants: a 16-digit NIK with one
    digit substituted (`nik_substituted`) or two neighbouring digits swapped
    (`nik_transposed`); fifteen digits with one put in (`nik_missing_digit`), or equal to a
    fifteen-digit NIK of `reg`; seventeen with one taken out (`nik_extra_digit`). `rows`
    may be some of `reg`'s own (looking for duplicates): a NIK is never its own variant (a
    fifteen-digit row meets itself among the equal fifteen digits: the caller drops a row's
    pair with itself)."""
    rows16 = _numbers(rows, 16, "row")
    rows15 = _numbers(rows, 15, "row")
    variants = pl.concat(
        [
            _slips(rows16, 16, ("nik_substituted", "nik_transposed")),
            _insertions(rows15, 15),
            _deletions(_numbers(rows, 17, "row"), 17),
        ]
    )
    reg16 = _numbers(reg, 16, "rec").rename({"n": "key"})
    same15 = rows15.join(_numbers(reg, 15, "rec"), on="n").select(
        "row", "rec", pl.lit("nik_missing_digit").alias("relation")
    )
    # Streamed: the variants (159 of each 16-digit NIK) are never all held at once.
    found = pl.concat([variants.join(reg16, on="key").select("row", "rec", "relation"), same15])
    return found.collect(engine="streaming").cast(PAIR_SCHEMA)  # type: ignore[arg-type]


def may_have_lost_digit() -> pl.Expr:
    """A prepared row's NIK may have lost its 16th digit to a spreadsheet: flagged damaged
    (a numeric cell; its first fifteen digits kept), or sixteen digits ending in 0 -- the
    same damage arrives as text once the sheet is saved as CSV or copied into another file.
    A real NIK ends in 0 one time in ten: the caller asks only for rows left unsettled."""
    zeroed = (pl.col("nik").str.len_chars() == 16) & pl.col("nik").str.ends_with("0")
    return pl.col("damaged") | zeroed


def lost_digit_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """A NIK that may have lost its 16th digit (`may_have_lost_digit`), one slip (a digit
    substituted or two neighbouring ones swapped) from the first fifteen digits of a
    register NIK: two faults. (The same fifteen digits, the lost digit alone, is a neighbour
    of the NIK rounds: a digit missing for a damaged NIK, the 16th substituted for one
    written as text.)"""
    lost = rows.filter(may_have_lost_digit()).select("id", pl.col("nik").str.slice(0, 15))
    first15 = _numbers(reg, 16, "rec").select("rec", key=pl.col("n") // 10)
    relation = "nik_slip_lost_digit"
    found = _slips(_numbers(lost, 15, "row"), 15, (relation, relation)).join(first15, on="key")
    pairs = found.select("row", "rec", "relation").collect(engine="streaming")
    return pairs.cast(PAIR_SCHEMA)  # type: ignore[arg-type]
