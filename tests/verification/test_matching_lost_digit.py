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
from lindung.verification.matching.evidence import MatchSettings
from lindung.verification.matching.nik_edits import lost_digit_pairs, neighbour_pairs
from lindung.verification.matching.side import known_links
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
    # NIK rounds that is two edits (the 3 moved two places left), no neighbour; the last
    # round's fifteen-digit variants see a slip plus the lost digit: -13 + 6 + 7 (name) + 1
    # (sex) = 1 bit. Birth date and district blank.
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


def test_neighbours_among_the_rows_themselves_are_one_edit_apart_never_the_same_nik():
    # Looking for duplicates the rows are their own other side: the same NIK (a row itself,
    # or its exact twin) is no neighbour, nor is a digit moved two places (two edits).
    niks = [
        "3504071304820003",  # SLAMET (row 100)
        "3504071304820003",  # his exact twin row (101): no neighbour of him
        "3504071304820008",  # a digit substituted (102)
        "3504071304820030",  # the last two digits swapped (103)
        "3504071348200003",  # "48" moved two places to the left: two edits (104)
        "350407130482003",  # a digit missing (15) (105)
        "35040713048200039",  # a digit extra (17) (106)
        "3578010101900001",  # far from everyone (107)
    ]
    frame = prepare(rows(*(as_row(SLAMET, nik=nik) for nik in niks)), "row_id")
    wanted = frame.filter(pl.col("id") != 101)  # some of the rows: a round's unsettled ones
    pairs = neighbour_pairs(wanted, frame)
    assert sorted(pairs.filter(pl.col("row") == 100).rows()) == [
        (100, 102, "nik_substituted"),
        (100, 103, "nik_transposed"),
    ]
    # A row's NIK against the other side's 16 digits: fifteen digits are one short of
    # SLAMET's (and of 103's, a 0 put in last), seventeen one too many; each meets both twins.
    # Fifteen digits also meet the same fifteen digits: here the row itself, which the
    # caller drops as it drops every pair of a row with itself.
    assert sorted(pairs.filter(pl.col("row").is_in([105, 106])).rows()) == [
        (105, 100, "nik_missing_digit"),
        (105, 101, "nik_missing_digit"),
        (105, 103, "nik_missing_digit"),
        (105, 105, "nik_missing_digit"),
        (106, 100, "nik_extra_digit"),
        (106, 101, "nik_extra_digit"),
    ]
    apart = [104, 107]  # the digit moved, the far NIK
    assert pairs.filter(pl.col("row").is_in(apart) | pl.col("rec").is_in(apart)).is_empty()
    assert pairs.filter(pl.col("row") == pl.col("rec")).height == 1


def test_a_link_to_people_known_does_not_stop_at_a_pair_it_could_never_keep():
    # SLAMET's NIK with a slip and the lost digit (as above), and a namesake whose NIK is
    # that NIK with two digits swapped, born on another day: -13 + 8.5 - 5 + 1 + 1.5 = -7
    # bits before the name, 0 with the same name (0,5: a link for review, which settles the
    # row in a plain link) and at most 3 with any name (0,889). The people known keep only
    # links of `link_accept` (0,99): that pair is not scored, and the last round's lost-digit
    # variants find SLAMET: -13 + 6 + 7 + 7 + 1 + 1.5 = 9,5 bits.
    namesake = SLAMET | {
        "record_id": 7,
        "nik": "3055071304820000",
        "birth_date": dt.date(1975, 9, 21),
    }
    row = rows(as_row(SLAMET, nik="3505071304820000"))
    plain = matching.link(row, register(SLAMET, namesake))
    assert plain.select("record_id", "score").rows() == [(7, 0.5)]
    known = known_links(row, register(SLAMET, namesake), MatchSettings())
    assert known.select("record_id", "reasons").rows() == [
        (2, ["nik_slip_lost_digit", "name_same", "date_same", "sex_same", "district_same"])
    ]
    assert known.get_column("score").item() == pytest.approx(probability(9.5))
