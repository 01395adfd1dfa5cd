"""NIKs one edit apart: a digit substituted, two swapped, one moved, missing or extra, and
a slip in a NIK that also lost its 16th digit to a spreadsheet. Found by deletion keys (each
NIK with one digit taken out), never by comparing NIKs pairwise (see the package's
docstring)."""

from __future__ import annotations

import polars as pl

from lindung.verification.matching.blocks import PAIR_SCHEMA, as_pairs


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
        # Streamed: a register's sixteen million keys are never all held at once (a third
        # less CPU, a fifth of the page faults; docs/benchmarks.md, issue 10 session 6).
        return keys.collect(engine="streaming")
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
        found.append(as_pairs(missing, "nik_missing_digit"))
    reg15 = _full(reg, 15).rename({"id": "rec"})
    if row15.height and reg15.height:
        found.append(as_pairs(row15.join(reg15, on="key"), "nik_missing_digit"))
    row17 = _deletions(rows, 17).rename({"id": "row"}).drop("pos", "n")
    reg_full = _full(reg, 16).rename({"id": "rec"})
    if row17.height and reg_full.height:
        found.append(as_pairs(row17.join(reg_full, on="key"), "nik_extra_digit"))
    if not found:
        return pl.DataFrame(schema=PAIR_SCHEMA)
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
        return pl.DataFrame(schema=PAIR_SCHEMA)
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
    return as_pairs(found.unique(subset=["row", "rec"]), "nik_slip_lost_digit")
