"""The NIK neighbours found by each row's variants (`nik_edits`), against every pair compared
digit by digit: the same pairs, no more, no fewer, on NIKs made to be near each other."""

from __future__ import annotations

import random

import polars as pl
import pytest

from lindung.verification.matching import probability
from lindung.verification.matching.nik_edits import lost_digit_pairs, neighbour_pairs
from tests.verification.test_matching import SLAMET, SUWARNI, as_row
from tests.verification.test_matching_lost_digit import link_of


def _edited(nik: str, rng: random.Random) -> str:
    """`nik` with one random fault: a digit substituted, two neighbours swapped, a digit
    moved further, taken out, put in, or two digits substituted."""
    at = rng.randrange(len(nik) - 1)
    digit = rng.choice("0123456789")
    kind = rng.randrange(6)
    if kind == 0:
        return nik[:at] + digit + nik[at + 1 :]
    if kind == 1:
        return nik[:at] + nik[at + 1] + nik[at] + nik[at + 2 :]
    if kind == 2:
        moved = nik[:at] + nik[at + 1 :]
        to = rng.randrange(len(moved) + 1)
        return moved[:to] + nik[at] + moved[to:]
    if kind == 3:
        return nik[:at] + nik[at + 1 :]
    if kind == 4:
        return nik[:at] + digit + nik[at:]
    other = rng.randrange(len(nik))
    twice = nik[:at] + digit + nik[at + 1 :]
    return twice[:other] + rng.choice("0123456789") + twice[other + 1 :]


def _niks(rng: random.Random, count: int) -> list[str]:
    """NIKs of one district and a few birth dates, serials with many zeros (neighbours
    abound), and faulty copies of them."""
    bases = [
        "350407" + rng.choice(["130482", "530482", "010170"]) + f"{rng.randrange(40):04d}"
        for _ in range(count)
    ]
    return bases + [_edited(rng.choice(bases), rng) for _ in range(count)]


def _frame(
    niks: list[str], first_id: int, rng: random.Random, *, numbered: bool = False
) -> pl.DataFrame:
    """`numbered`: with the numbers of the sixteen-digit NIKs, as `prepare` gives them."""
    frame = pl.DataFrame(
        {
            "id": range(first_id, first_id + len(niks)),
            "nik": niks,
            "damaged": [rng.random() < 0.2 for _ in niks],
        },
        schema={"id": pl.Int64, "nik": pl.String, "damaged": pl.Boolean},
    )
    if numbered:
        numbers = [int(nik) if len(nik) == 16 else None for nik in niks]
        frame = frame.with_columns(pl.Series("n16", numbers, dtype=pl.Int64))
    return frame


def _one_slip(a: str, b: str) -> str | None:
    """How two digit strings of one length are one slip apart, if they are."""
    apart = [i for i in range(len(a)) if a[i] != b[i]]
    if len(apart) == 1:
        return "substituted"
    if len(apart) == 2 and apart[1] == apart[0] + 1 and a[apart[0]] == b[apart[1]]:
        return "transposed" if a[apart[1]] == b[apart[0]] else None
    return None


def _missing_one(short: str, full: str) -> bool:
    return any(full[:i] + full[i + 1 :] == short for i in range(len(full)))


def _expected_neighbours(rows: pl.DataFrame, reg: pl.DataFrame) -> set[tuple[int, int, str]]:
    found = set()
    for row, a in rows.select("id", "nik").iter_rows():
        for rec, b in reg.select("id", "nik").iter_rows():
            relation = None
            if len(a) == len(b) == 16:
                slip = _one_slip(a, b)
                relation = slip and f"nik_{slip}"
            elif len(a) == 15 and (a == b or (len(b) == 16 and _missing_one(a, b))):
                relation = "nik_missing_digit"
            elif len(a) == 17 and len(b) == 16 and _missing_one(b, a):
                relation = "nik_extra_digit"
            if relation:
                found.add((row, rec, relation))
    return found


def _expected_lost(rows: pl.DataFrame, reg: pl.DataFrame) -> set[tuple[int, int, str]]:
    found = set()
    for row, a, damaged in rows.select("id", "nik", "damaged").iter_rows():
        if not (damaged or (len(a) == 16 and a.endswith("0"))) or len(a) < 15:
            continue
        for rec, b in reg.select("id", "nik").iter_rows():
            if len(b) == 16 and _one_slip(a[:15], b[:15]):
                found.add((row, rec, "nik_slip_lost_digit"))
    return found


@pytest.mark.parametrize("numbered", [False, True])
def test_the_variants_meet_every_nik_one_edit_away_and_nothing_else(numbered):
    rng = random.Random(14)
    for _ in range(3):
        rows = _frame(_niks(rng, 60), 1, rng, numbered=numbered)
        reg = _frame(_niks(rng, 120), 1000, rng, numbered=numbered)
        pairs = neighbour_pairs(rows, reg)
        assert set(pairs.rows()) == _expected_neighbours(rows, reg)
        assert pairs.height == len(set(pairs.rows()))  # each pair once
        lost = lost_digit_pairs(rows, reg)
        assert set(lost.rows()) == _expected_lost(rows, reg)
        assert lost.height == len(set(lost.rows()))


def test_the_rows_among_themselves_meet_as_against_a_copy():
    rng = random.Random(41)
    frame = _frame(_niks(rng, 80), 1, rng)
    some = frame.filter(pl.col("id") % 3 != 0)
    assert set(neighbour_pairs(some, frame).rows()) == _expected_neighbours(some, frame)


def test_a_digit_moved_two_places_is_two_edits_and_no_neighbour():
    rows = _frame(["3504071304820153"], 1, random.Random(0))
    reg = _frame(["3504071304821530", "3504071304820135"], 10, random.Random(0))
    # 1530 from 0153: the 0 moved three places; 0135 from 0153: the 5 and 3 swapped.
    assert neighbour_pairs(rows, reg).rows() == [(1, 11, "nik_transposed")]


def test_a_person_behind_a_nik_with_a_digit_moved_goes_to_a_verifier():
    # SLAMET's 3504071304820003 with its 7 moved two places right: 3504013704820003, three
    # digits apart, no neighbour. His name, birth date and district still meet him (the last
    # round's blocks): -13 - 3 (NIK different) + 7 + 7 + 1 + 1.5 = 0.5 bits, for review.
    link = link_of(as_row(SLAMET, nik="3504013704820003"), SLAMET, SUWARNI)
    assert link is not None
    assert (link["record_id"], link["match"]) == (2, "probable")
    assert link["reasons"][0] == "nik_different"
    assert link["score"] == pytest.approx(probability(0.5))
