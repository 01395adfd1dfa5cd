"""Issue 10's graded evidence and second-route keys on hand-made frames: a slip in a NIK that
also lost its 16th digit, a year typo, a lone token left of a name, rare names, and the year
written alone reaching the engine."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from lindung.verification import matching, read
from lindung.verification.matching import probability
from lindung.verification.matching.blocks import prepare
from lindung.verification.matching.names import name_token, rare_limit
from lindung.verification.matching.scoring import score_pairs
from tests.intake.conftest import csv_bytes
from tests.verification.test_matching import PAINEM, SLAMET, SUWARNI, as_row, register, rows
from tests.verification.test_runs import HEADER

# NIK: district 35.04.09, day 01 + 40 (a woman), month 07, year 90, serial 0001.
SITI = {
    "record_id": 4, "nik": "3504094107900001", "kk": "3504090101900001",
    "name": "SITI MUKAROMAH", "birth_date": dt.date(1990, 7, 1),
    "sex": "P", "district": "35.04.09",
}  # fmt: skip


def link_of(row: dict, *people: dict) -> dict | None:
    found = matching.link(rows(row), register(*people))
    return found.row(0, named=True) if found.height else None


def test_a_slip_in_a_nik_that_also_lost_its_last_digit_is_found_by_fifteen_digit_keys():
    # 3504071304820003 with its 4th digit mistyped (4 -> 5), then Excel's lost 16th digit.
    link = link_of(as_row(SLAMET, nik="3505071304820000", nik_damaged=True), SLAMET, SUWARNI)
    assert link is not None
    assert link["record_id"] == 2
    assert link["reasons"][0] == "nik_slip_lost_digit"
    # -13 + 6 (slip, lost digit) + 7 (name) + 7 (birth date) + 1 (sex) + 1.5 (district).
    assert link["score"] == pytest.approx(probability(9.5))
    assert link["match"] == "probable"


def test_a_year_typo_beside_a_nik_slip_counts_where_the_row_nik_says_another_date():
    # The NIK's serial mistyped (3 -> 8); the year written 1928 for 1982 (digits swapped),
    # while the row's own NIK still says 82: the slip is in the written date.
    row = as_row(SLAMET, nik="3504071304820008", birth_date=dt.date(1928, 4, 13))
    link = link_of(row, SLAMET)
    assert link is not None
    assert link["reasons"][:3] == ["nik_substituted", "name_same", "date_year_typo"]
    # -13 + 7.5 + 7 + 2 (year typo) + 1 + 1.5 = 6 bits.
    assert link["score"] == pytest.approx(probability(6.0))


def test_a_nik_and_date_that_agree_with_each_other_and_are_a_slip_away_are_another_person():
    # NIK and date both say 1992 (the register: 1982): another person, same serial.
    row = as_row(SLAMET, nik="3504071304920003", birth_date=dt.date(1992, 4, 13))
    assert link_of(row, SLAMET) is None  # -13 + 7.5 + 7 - 5 (date different) + 2.5 = -1


def test_a_year_typo_is_graded_on_person_evidence_too():
    row = as_row(SLAMET, nik="", birth_date=dt.date(1928, 4, 13))
    pairs = pl.DataFrame({"row": [100], "rec": [2], "relation": ["person_block"]})
    scored = score_pairs(
        pairs, prepare(rows(row), "row_id"), prepare(register(SLAMET), "record_id")
    )
    assert scored["reasons"][0].to_list()[2] == "date_year_typo"
    assert scored["score"][0] == pytest.approx(probability(-13 + 7 + 2 + 1 + 1.5))


def test_a_lone_token_left_of_a_name_is_enough_only_beside_the_same_nik_and_birth_date():
    assert name_token("SII", "SITI MUKAROMAH")  # one letter dropped
    assert not name_token("SI", "SITI MUKAROMAH")  # fewer than three letters
    assert not name_token("SITI", "SITI")  # nothing was dropped
    link = link_of(as_row(SITI, name="Sii"), SITI, SUWARNI)
    assert link is not None
    assert link["record_id"] == 4
    assert link["reasons"][:2] == ["nik_exact", "name_token"]
    # -13 + 13 - 4.5 (a lone token) + 7 + 1 + 1.5 = 5 bits.
    assert link["score"] == pytest.approx(probability(5.0))
    assert link_of(as_row(SITI, nik="", name="Sii"), SITI, SUWARNI) is None


def test_a_name_is_rare_only_in_a_register_large_enough_to_tell():
    assert rare_limit(3) == 0
    assert rare_limit(1023) == 0
    assert rare_limit(1024) == 1
    assert rare_limit(1_000_000) == 2


def test_a_birth_year_written_alone_reaches_the_engine_as_the_year(program, agency, hand_in):
    line = ["", "Suwarni", "1987", "P", "Nelayan", "Kendal", "Gondang"]
    hand_in(agency, csv_bytes([HEADER, line]))
    frame = read.read_rows(program)
    assert frame.select("birth_date", "birth_year").rows() == [(None, 1987)]


def test_a_birth_date_read_from_the_nik_is_no_evidence_on_either_side_of_a_duplicate_pair():
    # The second row carries the family card's number as its NIK, and intake read a birth
    # date (01-01-2011) from it: comparing the two rows, that date says nothing either way.
    kk_as_nik = as_row(SLAMET, nik="3504070101110001", birth_date=dt.date(2011, 1, 1))
    frame = rows(as_row(SLAMET), kk_as_nik).with_columns(
        birth_date_from_nik=pl.Series([False, True])
    )
    prepared = prepare(frame, "row_id")
    pairs = pl.DataFrame(
        {"row": [100, 101], "rec": [101, 100], "relation": ["person_block", "person_block"]}
    )
    scored = score_pairs(pairs, prepared, prepared).sort("row")
    assert [reasons[2] for reasons in scored["reasons"].to_list()] == [
        "date_unknown",
        "date_unknown",
    ]


# A name that fills a form's field: 23 letters and spaces.
ENDANG = {
    "record_id": 5, "nik": "3504095507850002", "kk": "3504091001090003",
    "name": "ENDANG SRI WAHYUNINGSIH", "birth_date": dt.date(1985, 7, 15),
    "sex": "P", "district": "35.04.09",
}  # fmt: skip
HERI = {
    "record_id": 6, "nik": "3504072203790001", "kk": "3504070101110009",
    "name": "HERI SUSANTO", "birth_date": dt.date(1979, 3, 22),
    "sex": "L", "district": "35.04.07",
}  # fmt: skip


def test_a_name_cut_short_without_a_nik_is_found_by_person_evidence():
    # "Endang Sri Wahyu": the field had room for 16 characters.
    link = link_of(as_row(ENDANG, nik="", name="Endang Sri Wahyu"), ENDANG, SUWARNI, PAINEM)
    assert link is not None
    assert link["record_id"] == 5
    assert link["reasons"][:2] == ["nik_unknown", "name_close"]
    # -13 + 0 (no NIK) + 5 (name close, as with an initial) + 7 + 1 + 1.5 = 1.5 bits.
    assert link["score"] == pytest.approx(probability(1.5))
    assert link["match"] == "probable"


def test_a_final_y_for_an_i_is_the_same_name():
    link = link_of(as_row(HERI, nik="", name="Hery Susanto"), HERI, SLAMET)
    assert link is not None
    assert link["reasons"][:2] == ["nik_unknown", "name_same"]
    # -13 + 7 (the same name) + 7 + 1 + 1.5 = 3.5 bits.
    assert link["score"] == pytest.approx(probability(3.5))
