"""Preparing the frames and finding candidate pairs: the blocks a pair of (row, register
record) must share to be compared at all (see the package's docstring)."""

from __future__ import annotations

from typing import Final, Protocol

import polars as pl

# -- preparation --------------------------------------------------------------------------


# The columns `prepare` reads of a frame besides its id (the last three optional).
PREPARED_FROM: Final = (
    "nik", "kk", "name", "birth_date", "sex", "district",
    "nik_damaged", "birth_date_from_nik", "birth_year",
)  # fmt: skip


def prepare(frame: pl.DataFrame, id_col: str) -> pl.DataFrame:
    """Digits-only NIK and KK, a simple name (upper-case letters and single spaces) and the
    birth date as the number ddmmyy, with the id renamed to `id`. A NIK a spreadsheet damaged
    (optional boolean column `nik_damaged`) keeps only its first 15 digits: the 16th is lost.
    Optional boolean column `birth_date_from_nik`: the row's birth date was not written by the
    agency but read from its NIK. Optional integer column `birth_year`: a year written without
    day and month (kept as `birth_year` when the birth date is blank)."""
    digits = pl.col("nik").fill_null("").str.replace_all(r"\D", "")
    damaged = pl.lit(value=False)
    if "nik_damaged" in frame.columns:
        damaged = pl.col("nik_damaged").fill_null(value=False)
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
    year = pl.col("birth_date").dt.year().cast(pl.Int32)
    if "birth_year" in frame.columns:
        year = pl.coalesce(year, pl.col("birth_year").cast(pl.Int32))
    kk = pl.col("kk").fill_null("").str.replace_all(r"\D", "")
    return frame.select(
        pl.col(id_col).alias("id"),
        digits.alias("nik"),
        kk.alias("kk"),
        _number16(digits).alias("n16"),
        _number16(kk).alias("kk16"),
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
        year.alias("birth_year"),
        from_nik,
        damaged.alias("damaged"),
        pl.col("sex").fill_null("").alias("sex"),
        pl.col("district").fill_null("").alias("district"),
    )


def _number16(digits: pl.Expr) -> pl.Expr:
    """A string of digits as a number when it has sixteen (a NIK or KK as the blocks join
    on it: numbers are several times cheaper to join and to vary than text, and two
    sixteen-digit strings are equal exactly when their numbers are), else null."""
    return pl.when(digits.str.len_chars() == 16).then(digits.cast(pl.Int64, strict=False))


def name_counts(prepared: pl.DataFrame) -> pl.DataFrame:
    """(simple, name_count): for each distinct simple name of a prepared frame, how many of
    the frame carry its key -- the simple form without one- and two-letter tokens (initials,
    "H", "ST") --, by which rare names are told (`names.rare_limit`). Each distinct name
    is worked on once."""
    names = (
        prepared.filter(pl.col("simple") != "")
        .group_by("simple")
        .len()
        .with_columns(
            key=pl.col("simple")
            .str.replace_all(r"\b[A-Z]{1,2}\b", "")
            .str.strip_chars()
            .str.replace_all(" +", " ")
        )
    )
    return names.select("simple", "len", name_count=pl.col("len").sum().over("key").cast(pl.Int64))


def with_name_counts(rows: pl.DataFrame, counts: pl.DataFrame) -> pl.DataFrame:
    """Prepared `rows` as the side of a pair being matched: with `name_count_reg`, how many
    of the frame `counts` was made of carry the row's name key (0 for none), and `as_nik`,
    the row's birth date is the one its NIK's digits 7-12 say (a woman's day less 40; a
    date intake read from the NIK checks nothing)."""
    digits = pl.col("nik")
    nik_date = (
        (digits.str.slice(6, 2).cast(pl.Int32, strict=False) % 40) * 10_000
        + digits.str.slice(8, 2).cast(pl.Int32, strict=False) * 100
        + digits.str.slice(10, 2).cast(pl.Int32, strict=False)
    )
    as_nik = (digits.str.len_chars() >= 12) & (nik_date == pl.col("ddmmyy")) & ~pl.col("from_nik")
    return rows.join(
        counts.select("simple", name_count_reg="name_count"), on="simple", how="left"
    ).with_columns(pl.col("name_count_reg").fill_null(0), as_nik=as_nik.fill_null(value=False))


# -- candidate pairs ----------------------------------------------------------------------

PAIR_SCHEMA: Final = {"row": pl.Int64, "rec": pl.Int64, "relation": pl.String}


def as_pairs(frame: pl.DataFrame, relation: str) -> pl.DataFrame:
    return frame.select(
        pl.col("row").cast(pl.Int64),
        pl.col("rec").cast(pl.Int64),
        pl.lit(relation, dtype=pl.String).alias("relation"),
    )


def _sixteen(frame: pl.DataFrame, id_as: str, column: str = "n16") -> pl.DataFrame:
    """(`id_as`, key): the people of a prepared frame whose NIK (or KK: `column` "kk16") has
    sixteen digits, with its number (`prepare`)."""
    return frame.filter(pl.col(column).is_not_null()).select(
        pl.col("id").alias(id_as), pl.col(column).alias("key")
    )


def exact_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    return as_pairs(_sixteen(rows, "row").join(_sixteen(reg, "rec"), on="key"), "nik_exact")


def day40_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """The birth-day digits (7-8) moved by 40 either way: a woman's NIK written without the
    +40, or a man's with it."""
    day = pl.col("key") // 10**8 % 100  # the NIK's 7th and 8th digits
    step = pl.lit(40 * 10**8, dtype=pl.Int64)
    shifted = _sixteen(rows, "row").with_columns(
        pl.when(day > 40).then(pl.col("key") - step).otherwise(pl.col("key") + step)
    )
    return as_pairs(shifted.join(_sixteen(reg, "rec"), on="key"), "nik_day_plus_40")


def kk_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    right = _sixteen(reg, "rec", "kk16")
    return pl.concat(
        [
            as_pairs(_sixteen(rows, "row").join(right, on="key"), "nik_is_kk"),
            as_pairs(_sixteen(rows, "row", "kk16").join(right, on="key"), "same_kk"),
        ]
    )


def prefix_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """The same first 12 NIK digits (district of issue and birth date as coded): catches two
    slips in the serial part, one slip in a NIK a spreadsheet also damaged, or a NIK cut
    short to 12-14 digits."""

    def prefix(frame: pl.DataFrame, id_as: str) -> pl.DataFrame:
        return frame.select(
            pl.col("id").alias(id_as), pl.col("nik").str.slice(0, 12).cast(pl.Int64).alias("key")
        )

    left = prefix(rows.filter(pl.col("nik").str.len_chars() >= 12), "row")
    # Sixteen digits by their number (nearly every register NIK), the other lengths by text.
    other = reg.filter(pl.col("n16").is_null())
    right = pl.concat(
        [
            _sixteen(reg, "rec").with_columns(pl.col("key") // 10_000),
            prefix(other.filter(pl.col("nik").str.len_chars() >= 15), "rec"),
        ]
    )
    return as_pairs(left.join(right, on="key"), "nik_prefix")


def demographic_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    keys = ["birth_date", "sex", "district"]
    left = rows.filter(
        pl.col("birth_date").is_not_null() & (pl.col("sex") != "") & (pl.col("district") != "")
    ).select(pl.col("id").alias("row"), *keys)
    right = reg.filter(pl.col("birth_date").is_not_null()).select(pl.col("id").alias("rec"), *keys)
    return as_pairs(left.join(right, on=keys), "demographic")


_LETTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def name_folds(prepared: pl.DataFrame) -> pl.DataFrame:
    """(id, fold, district) for each named person of a prepared frame: the name's spelling
    folded and its spaces dropped, the key of `name_pairs`."""
    fold = folded("simple").str.replace_all(" ", "").alias("fold")
    return prepared.filter(pl.col("simple") != "").select("id", fold, "district")


def name_pairs(
    rows: pl.DataFrame, reg: pl.DataFrame, reg_folds: pl.DataFrame | None = None
) -> pl.DataFrame:
    """The same name (spelling folded, spaces dropped) in the same district, unless more
    than `KEY_CAP` people of `reg` carry it there (as the person blocks leave such keys
    out: on both benchmark sets the pairs of those names were over half the block's, and
    the links they alone made were wrong). `reg_folds`: `name_folds(reg)`, when already at
    hand."""
    left = name_folds(rows).rename({"id": "row"})
    if left.height == 0:
        return pl.DataFrame(schema=PAIR_SCHEMA)
    right = (name_folds(reg) if reg_folds is None else reg_folds).rename({"id": "rec"})
    found = left.join(right, on=["fold", "district"])
    # All of a row's pairs are of its one key: as many as `reg` people carry it. Counted on
    # the pairs, not on the register's million folds as `_capped_join` counts (the same
    # pairs, four times the time).
    found = found.filter(pl.len().over("row") <= KEY_CAP)
    return as_pairs(found, "name_block")


def folded(column: str) -> pl.Expr:
    """A name's letters with old spelling and doubled letters folded, and a word's final "y"
    after a consonant read as "i" ("Hery"/"Heri", as `lindung.domain.names` keys them),
    spaces kept: the form the blocks join on and the quick screen compares."""
    return (
        pl.col(column)
        .str.replace_all("OE", "U")
        .str.replace_all("DJ", "J")
        .str.replace_all("TJ", "C")
        .str.replace_all("CH", "KH")
        .str.replace_many([c * 2 for c in _LETTERS], list(_LETTERS))
        .str.replace_all(r"\b([A-Z]+[B-DF-HJ-NP-TV-Z])Y\b", "${1}I")
    )


# -- the second route: person evidence ------------------------------------------------------

# A person-evidence key shared by more register people than this says too little to compare
# every pair it makes ("SITI" born in 1970): such keys are left out of the block.
KEY_CAP: Final = 40


def household_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """A row whose NIK is a register person's, paired with the other members of that
    person's family card: a relative's NIK written in the NIK column points to the
    household, and the person within it is found by name and birth date."""
    left = _sixteen(rows, "row")
    if left.height == 0:
        return pl.DataFrame(schema=PAIR_SCHEMA)
    holders = reg.filter(pl.col("n16").is_not_null() & pl.col("kk16").is_not_null()).select(
        pl.col("id").alias("holder"), pl.col("n16").alias("key"), "kk16"
    )
    found = (
        left.join(holders, on="key")
        .join(_sixteen(reg, "rec", "kk16").rename({"key": "kk16"}), on="kk16")
        .filter(pl.col("rec") != pl.col("holder"))
    )
    return as_pairs(found, "nik_of_relative")


def name_tokens(names: pl.DataFrame) -> pl.DataFrame:
    """(simple, token) for each distinct simple name of `names` and each of its tokens of
    three letters or more, spelling folded (each distinct token folded once)."""
    exploded = names.select("simple", written=pl.col("simple").str.split(" ")).explode("written")
    fold = (
        exploded.select("written")
        .unique()
        .with_columns(folded("written").alias("token"))
        .filter(pl.col("token").str.len_chars() >= 3)
    )
    return exploded.join(fold, on="written").select("simple", "token").unique()


def sorted_keys(names: pl.DataFrame) -> pl.DataFrame:
    """(simple, key) for each distinct simple name of `names`: its folded tokens in
    alphabetical order, so that two names with their tokens in another order share it."""
    return names.select("simple", key=folded("simple").str.split(" ").list.sort().list.join(" "))


def _names(frame: pl.DataFrame) -> pl.DataFrame:
    """(simple, len): each distinct non-blank simple name and how many carry it."""
    return frame.filter(pl.col("simple") != "").group_by("simple").len()


class NameTables(Protocol):
    """The register's name-level tables, made once (see `prepared.PreparedSide`)."""

    @property
    def tokens(self) -> pl.DataFrame: ...
    @property
    def keys(self) -> pl.DataFrame: ...
    @property
    def totals(self) -> pl.DataFrame: ...
    @property
    def members(self) -> pl.DataFrame: ...


def _capped_join(left: pl.DataFrame, right: pl.DataFrame, on: list[str]) -> pl.DataFrame:
    """`left` joined to `right` on `on`, leaving out keys more than `KEY_CAP` register
    people share."""
    counts = right.group_by(on).len()
    kept = right.join(counts.filter(pl.col("len") <= KEY_CAP).drop("len"), on=on, how="semi")
    return left.join(kept, on=on)


# A token more register people carry than this is over `KEY_CAP` in nearly every birth year
# and district: it is left out before the register is joined at all.
_TOKEN_CAP: Final = KEY_CAP * 50


def person_pairs(rows: pl.DataFrame, reg: pl.DataFrame, names: NameTables) -> pl.DataFrame:
    """The second route, for rows whose NIK cannot help (blank, broken, a relative's or the
    family card's): candidates by person evidence alone, each block a join on keys --

    - the same birth date and district (the sex may be written wrong);
    - a name token (folded spelling) and the birth year, so that a token dropped or added
      or a typo in another token still meets; without a birth year, a name token and the
      district;
    - the name's tokens in any order (folded spelling), anywhere in the regency.

    Keys many register people share are left out (`KEY_CAP`). `names`: the register's
    name-level tables."""
    keys = ["birth_date", "district"]
    left = rows.filter(pl.col("birth_date").is_not_null() & (pl.col("district") != ""))
    right = reg.filter(pl.col("birth_date").is_not_null())
    parts = [
        as_pairs(
            left.select(pl.col("id").alias("row"), *keys).join(
                right.select(pl.col("id").alias("rec"), *keys), on=keys
            ),
            "person_block",
        )
    ]
    fields = ["simple", "birth_year", "district"]
    row_names = _names(rows)
    row_tokens = rows.select(pl.col("id").alias("row"), *fields).join(
        name_tokens(row_names), on="simple"
    )
    # The register's tokens, only where a row has the token and few enough people carry it.
    rare = names.totals.filter(pl.col("len") <= _TOKEN_CAP).join(
        row_tokens.select("token").unique(), on="token", how="semi"
    )
    reg_names = names.tokens.join(rare.select("token"), on="token", how="semi")
    reg_tokens = (
        names.members.join(reg_names.select("simple").unique(), on="simple", how="semi")
        .explode("id", "birth_year", "district")
        .rename({"id": "rec"})
        .join(reg_names, on="simple")
    )
    parts.append(
        as_pairs(
            _capped_join(
                row_tokens.filter(pl.col("birth_year").is_not_null()).select(
                    "row", "token", "birth_year"
                ),
                reg_tokens.filter(pl.col("birth_year").is_not_null()).select(
                    "rec", "token", "birth_year"
                ),
                ["token", "birth_year"],
            ),
            "person_block",
        )
    )
    undated = row_tokens.filter(pl.col("birth_year").is_null() & (pl.col("district") != ""))
    if undated.height:
        parts.append(
            as_pairs(
                _capped_join(
                    undated.select("row", "token", "district"),
                    reg_tokens.select("rec", "token", "district"),
                    ["token", "district"],
                ),
                "person_block",
            )
        )
    parts.append(_any_order_pairs(rows, row_names, names))
    return pl.concat(parts).unique(subset=["row", "rec"])


def _any_order_pairs(
    rows: pl.DataFrame, row_names: pl.DataFrame, names: NameTables
) -> pl.DataFrame:
    """The name's tokens in any order (folded spelling), anywhere in the regency."""
    row_keys = rows.select(pl.col("id").alias("row"), "simple").join(
        sorted_keys(row_names), on="simple"
    )
    wanted = names.keys.join(row_keys.select("key").unique(), on="key", how="semi")
    reg_keyed = (
        names.members.select("simple", "id")
        .join(wanted, on="simple")
        .explode("id")
        .rename({"id": "rec"})
    )
    return as_pairs(
        _capped_join(row_keys.select("row", "key"), reg_keyed.select("rec", "key"), ["key"]),
        "person_block",
    )
