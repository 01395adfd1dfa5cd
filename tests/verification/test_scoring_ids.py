"""`score_pairs` takes each side's fields by position, after a join on the ids (or, where the
register's ids are consecutive, at each id's distance from the first): the scores do not
depend on the ids (large ones, gaps between them, rows in any order)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from lindung.verification.matching.blocks import prepare
from lindung.verification.matching.scoring import _first_of_consecutive, score_pairs
from tests.verification.test_matching import PAINEM, SLAMET, SUWARNI, as_row, register, rows

RELATIONS = ["name_block", "nik_substituted", "person_block", "demographic"]


def scored(row_ids: list[int], rec_ids: list[int], floor: float) -> pl.DataFrame:
    """The scores of every row against every register person under every relation, with the
    rows' and the register's ids replaced by these; read back with the first ids."""
    frame = rows(
        as_row(SLAMET),
        as_row(SUWARNI, nik="3504096804874843", birth_date=dt.date(1987, 4, 29)),
        as_row(PAINEM, nik=None, name="Painem Painem"),
    ).with_columns(row_id=pl.Series(row_ids))
    people = register(SUWARNI, SLAMET, PAINEM).with_columns(record_id=pl.Series(rec_ids))
    pairs = pl.DataFrame(
        [(r, c, relation) for r in row_ids for c in rec_ids for relation in RELATIONS],
        schema={"row": pl.Int64, "rec": pl.Int64, "relation": pl.String},
        orient="row",
    )
    out = score_pairs(pairs, prepare(frame, "row_id"), prepare(people, "record_id"), floor=floor)
    back = {
        **dict(zip(row_ids, range(3), strict=True)),
        **dict(zip(rec_ids, range(3), strict=True)),
    }
    return out.with_columns(pl.col("row", "rec").replace_strict(back)).sort("row", "rec")


@pytest.mark.parametrize("floor", [0.0, 0.5])
def test_the_same_scores_whatever_the_ids(floor):
    plain = scored([100, 101, 102], [1, 2, 3], floor)
    assert plain.height > 0
    huge = 1 << 40
    assert scored(
        [huge + 100, huge + 101, huge + 102], [huge + 1, huge + 2, huge + 3], floor
    ).equals(plain)
    # A register with gaps between its ids, rows in another order.
    assert scored([102, 100, 101], [7, 3, 40], floor).equals(plain)
    # Consecutive ids out of order: joined on the ids, as with gaps.
    assert scored([100, 101, 102], [3, 2, 1], floor).equals(plain)


def test_only_consecutive_ids_in_order_are_taken_by_their_distance():
    assert _first_of_consecutive(pl.Series([5, 6, 7])) == 5
    assert _first_of_consecutive(pl.Series([1 << 40])) == 1 << 40
    for ids in ([], [1, 3, 4], [2, 1, 3], [1, 2, 2, 3], [3, 2, 1]):
        assert _first_of_consecutive(pl.Series(ids, dtype=pl.Int64)) is None


def test_a_pair_met_by_several_blocks_keeps_its_strongest_nik_relation():
    plain = scored([100, 101, 102], [1, 2, 3], 0.0)
    assert plain.height == 9
    assert set(plain.get_column("nik_evidence")) == {"nik_substituted"}
