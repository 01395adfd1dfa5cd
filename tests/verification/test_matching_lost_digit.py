"""A NIK that lost its 16th digit to Excel, in any file type: a numeric cell is flagged
damaged, but a sheet saved as CSV (or copied into another file) brings the same damage as
plain 16-digit text ending in 0. Rows left unsettled with such a NIK are compared on their
first fifteen digits, exactly and one slip away, without outvoting a different person."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from lindung.verification import matching
from lindung.verification.matching import probability
from lindung.verification.matching.blocks import prepare
from lindung.verification.matching.nik_edits import lost_digit_pairs, neighbour_pairs
from tests.verification.test_matching import SLAMET, SUWARNI, as_row, register, rows

# A real NIK ending in 0: another man born the same day in SLAMET's district, serial 0010.
BAMBANG = {
    "record_id": 5, "nik": "3504071304820010", "kk": "3504070202120002", "name": "BAMBANG",
    "birth_date": dt.date(1982, 4, 13), "sex": "L", "district": "35.04.07",
}  # fmt: skip


def link_of(row: dict, *people: dict) -> dict | None:
    found = matching.link(rows(row), register(*people))
    assert found.height <= 1
    return found.row(0, named=True) if found.height else None


def test_only_sixteen_digits_ending_in_0_or_a_damaged_cell_get_fifteen_digit_slip_keys():
    # SLAMET's 3504071304820003 with its 4th digit mistyped (4 -> 5), three ways written.
    frame = rows(
        as_row(SLAMET, nik="3505071304820000"),  # text ending in 0: saved as CSV from Excel
        as_row(SLAMET, nik="3505071304820003"),  # the slip alone: its 16th digit is there
        as_row(SLAMET, nik="3505071304820000", nik_damaged=True),  # a numeric cell
    )
    pairs = lost_digit_pairs(prepare(frame, "row_id"), prepare(register(SLAMET), "record_id"))
    assert sorted(pairs.select("row", "rec", "relation").rows()) == [
        (100, 2, "nik_slip_lost_digit"),
        (102, 2, "nik_slip_lost_digit"),
    ]


def test_a_slip_and_excel_s_lost_digit_written_as_text_is_found_like_a_damaged_cell():
    link = link_of(as_row(SLAMET, nik="3505071304820000"), SLAMET, SUWARNI)
    assert link is not None
    assert link["record_id"] == 2
    assert link["reasons"][0] == "nik_slip_lost_digit"
    # -13 + 6 (slip, lost digit) + 7 (name) + 7 (birth date) + 1 (sex) + 1.5 (district).
    assert link["score"] == pytest.approx(probability(9.5))
    assert link["match"] == "probable"


def test_the_lost_digit_alone_as_text_is_the_16th_digit_substituted():
    # SLAMET's NIK with its last digit zeroed, written as text; BAMBANG holds that very NIK
    # but his name differs: -13 + 13 - 11 + 7 + 1 + 1.5 = -1.5 bits, no link to him.
    link = link_of(as_row(SLAMET, nik="3504071304820000"), SLAMET, BAMBANG)
    assert link is not None
    assert link["record_id"] == 2
    assert link["reasons"][0] == "nik_substituted"
    # -13 + 7.5 + 7 + 7 + 1 + 1.5 = 11 bits.
    assert link["score"] == pytest.approx(probability(11.0))


def test_a_slip_and_a_lost_digit_landing_on_someone_else_s_nik_still_finds_the_person():
    # 3504071304820003 typed with the year 92, then zeroed: 3504071304920000, the own NIK of
    # another BAMBANG, born 1992. He disagrees on name and birth date, so the row stays
    # unsettled and its first fifteen digits, one slip from SLAMET's, find SLAMET.
    other = BAMBANG | {
        "record_id": 6,
        "nik": "3504071304920000",
        "birth_date": dt.date(1992, 4, 13),
    }
    link = link_of(as_row(SLAMET, nik="3504071304920000"), SLAMET, other)
    assert link is not None
    assert link["record_id"] == 2
    assert link["reasons"][0] == "nik_slip_lost_digit"
    assert link["score"] == pytest.approx(probability(9.5))


def test_a_slip_in_the_serial_that_looks_like_a_moved_digit_meets_as_a_lost_digit():
    # 3504071304820003 with its 15th digit typed 1, then zeroed: 3504071304820010. To the
    # NIK rounds that is a digit moved (the 1 out of one, the 3 out of the other: 4 bits),
    # -13 + 4 + 7 (name) + 1 (sex) = -1 bit, below link_review; the last round's
    # fifteen-digit keys see a slip plus the lost digit: -13 + 6 + 7 + 1 = 1 bit. Birth date
    # and district blank.
    row = as_row(SLAMET, nik="3504071304820010", birth_date=None, district="")
    link = link_of(row, SLAMET)
    assert link is not None
    assert link["reasons"][0] == "nik_slip_lost_digit"
    assert link["score"] == pytest.approx(probability(1.0))


def test_a_nik_ending_in_0_that_is_the_person_s_own_stays_an_exact_link():
    link = link_of(as_row(BAMBANG), SLAMET, BAMBANG)
    assert link is not None
    assert (link["record_id"], link["match"]) == (5, "exact")
    # -13 + 13 + 7 + 7 + 1 + 1.5 = 16.5 bits.
    assert link["score"] == pytest.approx(probability(16.5))


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"name": "BAMBANG"}, id="another-name"),  # -13+6-11+7+1+1,5 = -8,5
        pytest.param({"birth_date": dt.date(1985, 7, 2)}, id="another-birth-date"),  # -2,5
    ],
)
def test_a_fifteen_digit_near_miss_alone_never_outvotes_another_name_or_birth_date(changes):
    # A person absent from the register, whose real NIK ends in 0, one slip from SLAMET's
    # first fifteen digits: the candidate is met, but scores below link_review.
    row = as_row(SLAMET, nik="3505071304820000", **changes)
    assert link_of(row, SLAMET) is None


def test_a_row_handed_in_twice_with_a_slip_and_a_lost_digit_as_text_is_a_duplicate():
    frame = rows(as_row(SLAMET), as_row(SLAMET, nik="3505071304820000"))
    groups = matching.duplicate_groups(frame, matching.empty_links())
    assert groups.sort("row_id").select("row_id", "group_id").rows() == [(100, 100), (101, 100)]
    assert groups.filter(pl.col("row_id") == 101)["reasons"][0][0] == "nik_slip_lost_digit"


def test_neighbours_among_the_rows_themselves_are_those_of_rows_against_a_copy():
    # Looking for duplicates, the rows' own NIK keys are joined only where two different
    # NIKs share them: the same pairs as against any other frame holding those people.
    niks = [
        "3504071304820003",  # SLAMET
        "3504071304820003",  # his exact twin row: no neighbour of him
        "3504071304820008",  # a digit substituted
        "3504071304820030",  # the last two digits swapped
        "3504071348200003",  # a digit moved
        "350407130482003",  # a digit missing (15)
        "35040713048200039",  # a digit extra (17)
        "3578010101900001",  # far from everyone
    ]
    frame = prepare(rows(*(as_row(SLAMET, nik=nik) for nik in niks)), "row_id")
    wanted = frame.filter(pl.col("id") != 101)  # some of the rows: a round's unsettled ones
    apart = neighbour_pairs(wanted, frame.clone())
    together = neighbour_pairs(wanted, frame, itself=True)
    assert sorted(together.rows()) == sorted(apart.rows())
    assert set(together.get_column("relation")) == {
        "nik_substituted", "nik_transposed", "nik_moved_digit", "nik_missing_digit",
        "nik_extra_digit",
    }  # fmt: skip
