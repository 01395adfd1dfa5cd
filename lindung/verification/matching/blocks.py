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
        year.alias("birth_year"),
        from_nik,
        damaged.alias("damaged"),
        pl.col("sex").fill_null("").alias("sex"),
        pl.col("district").fill_null("").alias("district"),
    )


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


def _deletions(frame: pl.DataFrame, length: int, among: pl.Series | None = None) -> pl.DataFrame:
    """(id, key, pos, n) for each NIK of `length` digits (`n`, as a number) with the digit at
    `pos` taken out; with `among`, only the keys in it (filtered as they are made: a
    register's million NIKs have sixteen million keys, few of them any row's). Keys are
    integers computed arithmetically (all keys of one table have the same number of
    digits, so equal integers are equal digit strings)."""
    subset = frame.filter(pl.col("nik").str.len_chars() == length).select(
        "id", pl.col("nik").cast(pl.UInt64).alias("n")
    )
    if subset.height == 0:
        return pl.DataFrame(
            schema={"id": pl.Int64, "key": pl.UInt64, "pos": pl.Int8, "n": pl.UInt64}
        )
    parts = []
    for pos in range(length):
        right = 10 ** (length - pos - 1)  # the digits after `pos`
        key = (pl.col("n") // (right * 10)) * right + pl.col("n") % right
        parts.append(
            subset.lazy().select(
                "id", key.alias("key"), pl.lit(pos, dtype=pl.Int8).alias("pos"), "n"
            )
        )
    keys = pl.concat(parts)
    if among is not None:
        # One semi-join of all the keys: one hash table of `among`, not one per position
        # (for a million register NIKs: less than half the CPU, and half the memory).
        keys = keys.join(among.to_frame("key").lazy(), on="key", how="semi")
    return keys.collect()


def _shared_deletions(rows: pl.DataFrame, keys: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Of the 16-digit deletion keys `keys` of a frame that `rows` are some of, the keys two
    different NIKs share: those of `rows` (`row`, `row_pos`, `key`, `n`), and all of them.
    (Each of the rows meets its own NIK on all sixteen keys: joined whole, the keys of a
    hundred thousand rows make a million and a half pairs of a row with itself or its exact
    twin, all to be dropped.)"""
    spread = keys.group_by("key").agg(lo=pl.col("n").min(), hi=pl.col("n").max())
    shared = keys.join(spread.filter(pl.col("lo") != pl.col("hi")), on="key", how="semi")
    own = shared.join(rows.select("id"), on="id", how="semi")
    return own.rename({"id": "row", "pos": "row_pos"}), shared


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


def exact_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    left = rows.filter(pl.col("nik").str.len_chars() == 16).select(pl.col("id").alias("row"), "nik")
    right = reg.filter(pl.col("nik").str.len_chars() == 16).select(pl.col("id").alias("rec"), "nik")
    return _pairs(left.join(right, on="nik"), "nik_exact")


def neighbour_pairs(rows: pl.DataFrame, reg: pl.DataFrame, *, itself: bool = False) -> pl.DataFrame:
    """Pairs whose NIKs are one edit apart, by deletion keys. Two 16-digit NIKs sharing a key
    with the same digit taken out differ in that digit (substituted); sharing keys with
    neighbouring digits taken out both ways round, they have those two digits swapped
    (transposed); otherwise a digit moved. Fifteen digits against a 16-digit NIK with one
    digit out: one missing; seventeen with one out against sixteen: one extra. `itself`:
    `rows` are some of `reg`'s own (looking for duplicates)."""
    found: list[pl.DataFrame] = []
    row15 = _full(rows, 15).rename({"id": "row"})
    if itself:
        every_key = _deletions(reg, 16)
        row16, reg_del = _shared_deletions(rows, every_key)
    else:
        row16 = _deletions(rows, 16).rename({"id": "row", "pos": "row_pos"})
        # The register's keys that some row's 16 or 15 digits can meet.
        wanted = pl.concat([row16.get_column("key"), row15.get_column("key")]).unique()
        reg_del = every_key = _deletions(reg, 16, wanted)
    reg_del = reg_del.rename({"id": "rec", "pos": "rec_pos", "n": "n_rec"})
    if row16.height and reg_del.height:
        shift = pl.col("row_pos").cast(pl.Int16) - pl.col("rec_pos").cast(pl.Int16)
        # The same NIK shares every key: the first round's exact pair, or a row itself
        # (duplicates); not a neighbour.
        edits = (
            row16.join(reg_del, on="key")
            .filter(pl.col("n") != pl.col("n_rec"))
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
    if row15.height and every_key.height:
        missing = row15.join(every_key.select("key", pl.col("id").alias("rec")), on="key")
        found.append(_pairs(missing, "nik_missing_digit"))
    reg15 = _full(reg, 15).rename({"id": "rec"})
    if row15.height and reg15.height:
        found.append(_pairs(row15.join(reg15, on="key"), "nik_missing_digit"))
    row17 = _deletions(rows, 17).rename({"id": "row"}).drop("pos", "n")
    reg_full = _full(reg, 16).rename({"id": "rec"})
    if row17.height and reg_full.height:
        found.append(_pairs(row17.join(reg_full, on="key"), "nik_extra_digit"))
    if not found:
        return pl.DataFrame(schema=_PAIR_SCHEMA)
    return pl.concat(found)


def may_have_lost_digit() -> pl.Expr:
    """A prepared row's NIK may have lost its 16th digit to a spreadsheet: flagged damaged
    (a numeric cell; its first fifteen digits kept), or sixteen digits ending in 0 -- the
    same damage arrives as text once the sheet is saved as CSV or copied into another file.
    A real NIK ends in 0 one time in ten: the caller asks only for rows left unsettled."""
    zeroed = (pl.col("nik").str.len_chars() == 16) & pl.col("nik").str.ends_with("0")
    return pl.col("damaged") | zeroed


def lost_digit_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """A NIK that may have lost its 16th digit (`may_have_lost_digit`), one edit from the
    first fifteen digits of a register NIK: a slip (a digit substituted or two swapped)
    besides the lost digit. Deletion keys on fifteen digits both sides: each side with one
    digit taken out; the register's keys made lazily, only those a row has. (The same
    fifteen digits, the lost digit alone, is a neighbour of the NIK rounds: a digit missing
    for a damaged NIK, the 16th substituted for one written as text.)"""
    lost = rows.filter(may_have_lost_digit()).select("id", pl.col("nik").str.slice(0, 15))
    row15 = _deletions(lost, 15).rename({"id": "row"})
    if row15.height == 0:
        return pl.DataFrame(schema=_PAIR_SCHEMA)
    first15 = reg.filter(pl.col("nik").str.len_chars() == 16).select(
        "id", pl.col("nik").str.slice(0, 15)
    )
    keys = row15.get_column("key").unique()
    reg15 = _deletions(first15, 15, keys).rename({"id": "rec", "n": "n_rec", "pos": "rec_pos"})
    # Equal fifteen digits share every key: the lost digit alone (`nik_missing_digit`). A
    # substitution shares the key with the same digit out, a swap with neighbouring ones;
    # keys further apart (a digit moved) meet too many serials.
    shift = (pl.col("pos").cast(pl.Int16) - pl.col("rec_pos").cast(pl.Int16)).abs()
    found = row15.join(reg15, on="key").filter((pl.col("n") != pl.col("n_rec")) & (shift <= 1))
    return _pairs(found.unique(subset=["row", "rec"]), "nik_slip_lost_digit")


def day40_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
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


def kk_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
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


def prefix_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """The same first 12 NIK digits (district of issue and birth date as coded): catches two
    slips in the serial part, one slip in a NIK a spreadsheet also damaged, or a NIK cut
    short to 12-14 digits."""
    left = rows.filter(pl.col("nik").str.len_chars() >= 12).select(
        pl.col("id").alias("row"), pl.col("nik").str.slice(0, 12).alias("prefix")
    )
    right = reg.filter(pl.col("nik").str.len_chars() >= 15).select(
        pl.col("id").alias("rec"), pl.col("nik").str.slice(0, 12).alias("prefix")
    )
    return _pairs(left.join(right, on="prefix"), "nik_prefix")


def demographic_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    keys = ["birth_date", "sex", "district"]
    left = rows.filter(
        pl.col("birth_date").is_not_null() & (pl.col("sex") != "") & (pl.col("district") != "")
    ).select(pl.col("id").alias("row"), *keys)
    right = reg.filter(pl.col("birth_date").is_not_null()).select(pl.col("id").alias("rec"), *keys)
    return _pairs(left.join(right, on=keys), "demographic")


_LETTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def name_folds(prepared: pl.DataFrame) -> pl.DataFrame:
    """(id, fold, district) for each named person of a prepared frame: the name's spelling
    folded and its spaces dropped, the key of `name_pairs`."""
    fold = folded("simple").str.replace_all(" ", "").alias("fold")
    return prepared.filter(pl.col("simple") != "").select("id", fold, "district")


def name_pairs(
    rows: pl.DataFrame, reg: pl.DataFrame, reg_folds: pl.DataFrame | None = None
) -> pl.DataFrame:
    """The same name (spelling folded, spaces dropped) in the same district. `reg_folds`:
    `name_folds(reg)`, when already at hand."""
    left = name_folds(rows).rename({"id": "row"})
    if left.height == 0:
        return pl.DataFrame(schema=_PAIR_SCHEMA)
    right = (name_folds(reg) if reg_folds is None else reg_folds).rename({"id": "rec"})
    return _pairs(left.join(right, on=["fold", "district"]), "name_block")


def folded(column: str) -> pl.Expr:
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


# -- the second route: person evidence ------------------------------------------------------

# A person-evidence key shared by more register people than this says too little to compare
# every pair it makes ("SITI" born in 1970): such keys are left out of the block.
KEY_CAP: Final = 40


def household_pairs(rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """A row whose NIK is a register person's, paired with the other members of that
    person's family card: a relative's NIK written in the NIK column points to the
    household, and the person within it is found by name and birth date."""
    left = rows.filter(pl.col("nik").str.len_chars() == 16).select(pl.col("id").alias("row"), "nik")
    if left.height == 0:
        return pl.DataFrame(schema=_PAIR_SCHEMA)
    with_kk = reg.filter(
        (pl.col("nik").str.len_chars() == 16) & (pl.col("kk").str.len_chars() == 16)
    )
    holders = with_kk.select(pl.col("id").alias("holder"), "nik", "kk")
    members = reg.filter(pl.col("kk").str.len_chars() == 16).select(pl.col("id").alias("rec"), "kk")
    found = (
        left.join(holders, on="nik")
        .join(members, on="kk")
        .filter(pl.col("rec") != pl.col("holder"))
    )
    return _pairs(found, "nik_of_relative")


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
        _pairs(
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
        _pairs(
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
            _pairs(
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
    return _pairs(
        _capped_join(row_keys.select("row", "key"), reg_keyed.select("rec", "key"), ["key"]),
        "person_block",
    )
