"""The matching engine on hand-made frames: every NIK neighbourhood, the fallback blocks, the
evidence a link rests on, its score from the weights, and duplicate groups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from rapidfuzz import fuzz, process

from lindung.domain.names import name_similarity, normalize_name
from lindung.verification import matching
from lindung.verification.findings import REASON_LABELS
from lindung.verification.matching import WEIGHTS, MatchSettings, names, probability
from lindung.verification.matching.blocks import (
    KEY_CAP,
    day40_pairs,
    demographic_pairs,
    exact_pairs,
    folded,
    kk_pairs,
    name_pairs,
    person_pairs,
    prefix_pairs,
    prepare,
)
from lindung.verification.matching.groups import duplicate_candidates, register_confirmed
from lindung.verification.matching.names import name_part
from lindung.verification.matching.prepared import PreparedSide
from lindung.verification.matching.scoring import best_bits

NAMES = Path(__file__).resolve().parents[1] / "data" / "names" / "satpolpp_becak_pairs.csv"

# Register people of Tulungagung; NIK = district, day (+40 for women), month, year, serial.
SUWARNI = {
    "record_id": 1, "nik": "3504096804874842", "kk": "3504091202100007", "name": "SUWARNI",
    "birth_date": dt.date(1987, 4, 28), "sex": "P", "district": "35.04.09",
}  # fmt: skip
SLAMET = {
    "record_id": 2, "nik": "3504071304820003", "kk": "3504070101110001", "name": "SLAMET",
    "birth_date": dt.date(1982, 4, 13), "sex": "L", "district": "35.04.07",
}  # fmt: skip
PAINEM = {
    "record_id": 3, "nik": "3504096804874843", "kk": "3504090505050005", "name": "PAINEM",
    "birth_date": dt.date(1987, 4, 28), "sex": "P", "district": "35.04.09",
}  # fmt: skip


def register(*people: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(people), schema=matching.REGISTER_SCHEMA)


def rows(*items: dict[str, Any]) -> pl.DataFrame:
    base = dict.fromkeys(matching.ROW_SCHEMA)
    data = [{**base, "row_id": i + 100, "agency_id": 1, **item} for i, item in enumerate(items)]
    schema = {**matching.ROW_SCHEMA, "nik_damaged": pl.Boolean()}
    return pl.DataFrame([{"nik_damaged": False, **d} for d in data], schema=schema)


def as_row(person: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {k: v for k, v in person.items() if k not in ("record_id", "kk")} | changes


def one_link(row: dict[str, Any], *people: dict[str, Any]) -> dict[str, Any] | None:
    found = matching.link(rows(row), register(*people))
    assert found.height <= 1
    return found.row(0, named=True) if found.height else None


def test_the_same_nik_and_the_same_person_is_an_exact_link():
    link = one_link(as_row(SUWARNI), SUWARNI, SLAMET)
    assert link is not None
    assert (link["record_id"], link["match"]) == (1, "exact")
    assert link["reasons"] == ["nik_exact", "name_same", "date_same", "sex_same", "district_same"]
    # -13 + 13 + 7 + 7 + 1 + 1.5 = 16.5 bits
    assert link["score"] == pytest.approx(1 / (1 + 2**-16.5))
    assert link["score"] == pytest.approx(
        probability(sum(WEIGHTS[r] for r in link["reasons"]) + WEIGHTS["prior"])
    )


@pytest.mark.parametrize(
    ("nik", "relation"),
    [
        ("3504096804874849", "nik_substituted"),  # last digit wrong
        ("3504096804878442", "nik_transposed"),  # 48 -> 84
        ("350409680487442", "nik_missing_digit"),  # one 4 left out
        ("35040968048748422", "nik_extra_digit"),  # a 2 typed twice
        ("3504092804874842", "nik_day_plus_40"),  # 28 written for 68
        ("3504091202100007", "nik_is_kk"),  # her family card number
    ],
)
def test_a_nik_one_slip_away_is_a_probable_link(nik, relation):
    link = one_link(as_row(SUWARNI, nik=nik), SUWARNI, SLAMET)
    assert link is not None
    assert (link["record_id"], link["match"]) == (1, "probable")
    assert link["reasons"][0] == relation
    assert link["score"] >= MatchSettings().link_review


def test_a_nik_a_spreadsheet_damaged_keeps_its_first_fifteen_digits():
    damaged = as_row(SLAMET, nik="3504071304820000", nik_damaged=True)
    link = one_link(damaged, SUWARNI, SLAMET)
    assert link is not None
    assert (link["record_id"], link["match"], link["reasons"][0]) == (
        2,
        "probable",
        "nik_missing_digit",
    )


def test_someone_elses_nik_does_not_make_the_link():
    # Suwarni's row carries Painem's NIK (one digit off her own): Painem shares the NIK but
    # not the name; Suwarni shares the name, the birth date and all but one digit.
    link = one_link(as_row(SUWARNI, nik=PAINEM["nik"]), SUWARNI, PAINEM)
    assert link is not None
    assert (link["record_id"], link["match"], link["reasons"][0]) == (
        1,
        "probable",
        "nik_substituted",
    )


def test_without_a_nik_the_birth_date_sex_and_district_find_the_person():
    link = one_link(as_row(SLAMET, nik=None, name="Slamet"), SUWARNI, SLAMET)
    assert link is not None
    assert (link["record_id"], link["match"]) == (2, "probable")
    assert link["reasons"][:2] == ["nik_unknown", "name_same"]
    # -13 + 0 + 7 + 7 + 1 + 1.5 = 3.5 bits
    assert link["score"] == pytest.approx(1 / (1 + 2**-3.5))


def test_a_name_alone_is_not_enough_for_a_link():
    # Without NIK and birth date, "Slamet" in Sendang is one of many: the pair is found
    # (name block) but scores -13 + 0 + 7 + 0 + 1 + 1.5 = -3.5 bits, below review.
    assert one_link(as_row(SLAMET, nik="", birth_date=None, name="Slamet"), SUWARNI, SLAMET) is None
    prepared_rows = prepare(rows(as_row(SLAMET, nik="", birth_date=None)), "row_id")
    prepared_reg = prepare(register(SUWARNI, SLAMET), "record_id")
    pairs = name_pairs(prepared_rows, prepared_reg)
    assert pairs.rows() == [(100, 2, "name_block")]
    scored = matching.score_pairs(pairs, prepared_rows, prepared_reg)
    assert scored.get_column("score").to_list() == pytest.approx([1 / (1 + 2**3.5)])
    assert matching.score_pairs(pairs, prepared_rows, prepared_reg, floor=0.5).height == 0


def test_nik_blocks_join_sixteen_digits_by_number_and_other_lengths_alike():
    def side(niks: list[str], first: int, kks: list[str] | None = None) -> pl.DataFrame:
        people = [
            {**SLAMET, "record_id": first + i, "nik": nik, "kk": (kks or niks)[i]}
            for i, nik in enumerate(niks)
        ]
        return prepare(register(*people), "record_id")

    # Leading zeros, a NIK cut to twelve digits, fifteen and seventeen digits.
    rows = side(["0104071304820003", "010407130482", "3504071304820003"], 1)
    reg = side(["0104071304820003", "010407130482999", "01040713048299991"], 10)
    assert exact_pairs(rows, reg).select("row", "rec").rows() == [(1, 10)]
    assert sorted(prefix_pairs(rows, reg).select("row", "rec").rows()) == [
        (1, 10), (1, 11), (1, 12), (2, 10), (2, 11), (2, 12),
    ]  # fmt: skip
    # A NIK that is another's family card, by number too; and the +40 of a woman's day.
    reg = side(["3504075304820003", "3504071304820009"], 20, ["3504071304820003", ""])
    assert kk_pairs(rows, reg).select("row", "rec", "relation").rows() == [
        (3, 20, "nik_is_kk"),
        (3, 20, "same_kk"),
    ]
    assert day40_pairs(rows, reg).select("row", "rec").rows() == [(3, 20)]


def test_a_name_many_in_the_district_carry_makes_no_name_block():
    # "Slamet" in Sendang carried by KEY_CAP register people: each is a pair of the name
    # block; carried by one more, the name says too little to compare them all (a person
    # among them is met by the NIK or the birth date, as the person blocks meet them).
    def namesakes(count: int) -> pl.DataFrame:
        people = [
            {**SLAMET, "record_id": 10 + i, "nik": f"35040713048{i:05d}", "name": "Slamet"}
            for i in range(count)
        ]
        return prepare(register(*people), "record_id")

    prepared_rows = prepare(rows(as_row(SLAMET, nik="", birth_date=None)), "row_id")
    assert name_pairs(prepared_rows, namesakes(KEY_CAP)).height == KEY_CAP
    assert name_pairs(prepared_rows, namesakes(KEY_CAP + 1)).height == 0


def test_old_spelling_and_titles_still_match():
    toemini = {**SUWARNI, "name": "TUMINI"}
    link = one_link(as_row(toemini, name="Hj. Toemini"), toemini)
    assert link is not None
    assert "name_same" in link["reasons"]


def test_a_different_person_is_not_linked():
    stranger = as_row(
        SLAMET, nik="3504150101900001", name="Bambang Sutrisno", birth_date=dt.date(1990, 1, 1)
    )
    assert one_link(stranger, SUWARNI, SLAMET) is None


def test_two_equally_good_candidates_make_the_link_ambiguous():
    twin = {**SUWARNI, "record_id": 9, "nik": "3504096804874844", "kk": SUWARNI["kk"]}
    link = one_link(as_row(SUWARNI, nik="3504096804874840"), SUWARNI, twin)
    assert link is not None
    assert "ambiguous" in link["reasons"]


def test_rows_linked_to_one_record_form_a_duplicate_group():
    frame = rows(
        as_row(SUWARNI, agency_id=1),
        as_row(SUWARNI, agency_id=2, nik="3504096804874849", name="Suwarni"),
        as_row(SLAMET, agency_id=2),
    )
    links = matching.link(frame, register(SUWARNI, SLAMET))
    groups = matching.duplicate_groups(frame, links).sort("row_id")
    assert groups.select("row_id", "group_id", "duplicate_of").rows() == [
        (100, 100, 101),
        (101, 100, 100),
    ]


def test_people_absent_from_the_register_are_grouped_by_their_own_evidence():
    absent = {
        "nik": "3504150101900001", "name": "Bambang Sutrisno",
        "birth_date": dt.date(1990, 1, 1), "sex": "L", "district": "35.04.15",
    }  # fmt: skip
    frame = rows(
        {**absent, "agency_id": 1},
        {**absent, "agency_id": 2, "nik": "3504151001900001", "name": "BAMBANG SUTRISNO"},
        {**absent, "agency_id": 3, "nik": "", "name": "Bambang S."},
        as_row(SLAMET, agency_id=3),
    )
    groups = matching.duplicate_groups(frame, matching.empty_links())
    assert sorted(groups.get_column("row_id").to_list()) == [100, 101, 102]
    assert set(groups.get_column("group_id").to_list()) == {100}


def test_nothing_in_nothing_out():
    assert matching.link(rows(), register(SUWARNI)).height == 0
    assert matching.link(rows(as_row(SUWARNI)), register()).height == 0
    assert matching.duplicate_groups(rows(as_row(SUWARNI)), matching.empty_links()).height == 0


def _quick(a: list[str], b: list[str]) -> list[float]:
    frame = pl.DataFrame({"simple": a, "simple_rec": b}).with_columns(
        pl.col("simple").str.to_uppercase().str.replace_all(r"[^A-Z]+", " ").str.strip_chars(),
        pl.col("simple_rec").str.to_uppercase().str.replace_all(r"[^A-Z]+", " ").str.strip_chars(),
    )
    forms = frame.select(folded("simple").alias("fa"), folded("simple_rec").alias("fb"))
    fa, fb = forms.get_column("fa").to_list(), forms.get_column("fb").to_list()
    token_set = process.cpdist(fa, fb, scorer=fuzz.token_set_ratio)
    squeezed = process.cpdist(
        [x.replace(" ", "") for x in fa], [x.replace(" ", "") for x in fb], scorer=fuzz.ratio
    )
    return [max(x, y) / 100 for x, y in zip(token_set, squeezed, strict=True)]


def test_the_quick_name_screen_never_drops_names_the_domain_finds_alike():
    # Agency spellings of register names (Satpol PP's list) and written variants.
    pairs = [
        (row["agency_name"], row["register_name"])
        for row in pl.read_csv(NAMES, infer_schema=False).iter_rows(named=True)
    ] + [
        ("Hj. Toemini", "TUMINI"), ("Moch. Soebagio, S.Pd.", "MUHAMMAD SUBAGIO"),
        ("Sittiv Ictoria", "SITI VICTORIA"), ("sir wahyuni", "SRI WAHYUNI"),
        ("St. Aminah binti Kasmuri", "SITI AMINAH"), ("Nurhayati", "NUR HAYATI"),
        ("Achmad Rochim", "AHMAD ROHIM"), ("Slamte", "SLAMET"),
        ("Hery Susanto", "HERI SUSANTO"), ("Dwy Puspitasari", "DWI PUSPITASARI"), ("Try", "TRI"),
        ("Siti Badriyah Kart", "SITI BADRIYAH KARTIKASARI"), ("Nor Hasanah", "NUR HASANAH"),
        ("Suhartini binti Su", "SUHARTINI BINTI SUWARNO"),
        ("Mochammadhabib Syahputra", "MOCHAMMAD HABIB SYAHPUTRA"),
    ]  # fmt: skip
    quick = _quick([a for a, _ in pairs], [b for _, b in pairs])
    for (a, b), q in zip(pairs, quick, strict=True):
        similarity = name_similarity(a, b)
        if similarity >= 0.85:
            assert q >= 0.62, (a, b, similarity, q)
        elif similarity >= 0.75:
            assert q >= 0.45, (a, b, similarity, q)


def _name_pairs(pairs: list[tuple[str, str]]) -> pl.DataFrame:
    """Pairs of names as `names.name_scores` takes them, lacking no bits (none screened out)."""
    return pl.DataFrame(
        {
            "name": [a for a, _ in pairs],
            "name_rec": [b for _, b in pairs],
            "simple": [normalize_name(a) for a, _ in pairs],
            "simple_rec": [normalize_name(b) for _, b in pairs],
            "need": [-100.0] * len(pairs),
        }
    )


def test_names_are_scored_once_per_pair_in_either_order_case_or_spacing_as_the_domain_does():
    # Satpol PP's spellings against the register's; then each pair the other way round, and
    # the agency's spelling shouted with its spaces doubled ("SITI  AMINAH").
    written = [
        (row["agency_name"], row["register_name"])
        for row in pl.read_csv(NAMES, infer_schema=False).iter_rows(named=True)
    ]
    names._similarity.cache_clear()
    names.name_scores(_name_pairs(written))
    computed = names._similarity.cache_info().misses
    again = [(b, a) for a, b in written] + [(a.upper().replace(" ", "  "), b) for a, b in written]
    scored = names.name_scores(_name_pairs(again))
    assert names._similarity.cache_info().misses == computed
    for (a, b), sim in zip(again, scored.get_column("name_sim"), strict=True):
        expected = name_similarity(a, b) if normalize_name(a) != normalize_name(b) else 1.0
        assert sim == expected, (a, b)
    assert computed > 0


def test_rows_the_register_tells_apart_are_not_duplicates():
    # Two women of the same name and birth date, each on her own register NIK.
    wasini_a = {**SUWARNI, "name": "WASINI", "nik": "3504096804870013", "record_id": 11}
    wasini_b = {**SUWARNI, "name": "WASINI", "nik": "3504096804870007", "record_id": 12}
    frame = rows(
        as_row(wasini_a, agency_id=1, name="Hj. Wasini"),
        as_row(wasini_b, agency_id=2, name="Hj. Wasini"),
    )
    links = matching.link(frame, register(wasini_a, wasini_b))
    assert sorted(links.get_column("record_id").to_list()) == [11, 12]
    assert matching.duplicate_groups(frame, links).height == 0
    # Without the register, their likeness alone groups them.
    assert matching.duplicate_groups(frame, matching.empty_links()).height == 2


def confirmed(frame: pl.DataFrame, *people: dict[str, Any]) -> pl.Series:
    return register_confirmed(prepare(frame, "row_id"), prepare(register(*people), "record_id"))


def test_the_register_confirms_a_row_whose_nik_it_gives_one_person_of_that_name_and_birth():
    slamet_too = {**SLAMET, "record_id": 7, "name": "SLAMET RIYADI"}  # his NIK, twice
    nameless = {**PAINEM, "record_id": 8, "nik": "3504096804874844", "name": ""}
    frame = rows(
        as_row(SUWARNI, name="Suwarni"),  # confirmed: the same simple name
        as_row(PAINEM, birth_date=dt.date(1987, 4, 29)),  # born another day
        as_row(SLAMET),  # two register people carry his NIK
        as_row(SUWARNI, nik="350409680487484"),  # 15 digits
        as_row(PAINEM, name="Painem S"),  # another name
        as_row(nameless),  # no name on either side
    )
    assert confirmed(frame, SUWARNI, SLAMET, PAINEM, slamet_too, nameless).to_list() == [100]


def test_a_row_the_register_confirms_is_still_met_by_its_look_alikes():
    # Suwarni as the register knows her, then with a NIK one digit off, then with none.
    frame = rows(
        as_row(SUWARNI, agency_id=1),
        as_row(SUWARNI, agency_id=2, nik="3504096804874849"),
        as_row(SUWARNI, agency_id=3, nik=""),
    )

    def pairs(scored: pl.DataFrame) -> set[tuple[int, int]]:
        ends = pl.min_horizontal("row", "rec").alias("a"), pl.max_horizontal("row", "rec")
        return set(scored.select(*ends).rows())

    alone = duplicate_candidates(frame, MatchSettings())
    confirming = duplicate_candidates(frame, MatchSettings(), confirmed(frame, SUWARNI, SLAMET))
    assert pairs(confirming) == pairs(alone) == {(100, 101), (100, 102), (101, 102)}
    # The confirmed row sought nothing itself (no row shares its NIK or family card): its
    # look-alikes met it from their side.
    assert alone.filter(pl.col("row") == 100).height == 1  # the NIK one digit off
    assert confirming.filter(pl.col("row") == 100).height == 0


# -- the second route and partial evidence ---------------------------------------------------

# Suwarni's father, on her family card.
KARTO = {
    "record_id": 4, "nik": "3504091005600001", "kk": SUWARNI["kk"], "name": "KARTO",
    "birth_date": dt.date(1960, 5, 10), "sex": "L", "district": "35.04.09",
}  # fmt: skip
BUDI = {
    "record_id": 5, "nik": "3504100501800002", "kk": "3504100202020002", "name": "BUDI",
    "birth_date": dt.date(1980, 1, 5), "sex": "L", "district": "35.04.10",
}  # fmt: skip
RIZKI = {
    "record_id": 6, "nik": "3504101203950001", "kk": "3504100303030003",
    "name": "MUHAMMAD RIZKI PRATAMA", "birth_date": dt.date(1995, 3, 12), "sex": "L",
    "district": "35.04.10",
}  # fmt: skip


def bits(*reasons: str) -> float:
    return probability(WEIGHTS["prior"] + sum(WEIGHTS[r] for r in reasons))


def test_a_relatives_nik_leads_to_the_household_and_the_person_within_it():
    # Suwarni's row carries her father's NIK: his family card holds her, found by her name
    # and birth date; the NIK itself (Karto's) is his and not hers.
    link = one_link(as_row(SUWARNI, nik=KARTO["nik"]), SUWARNI, KARTO, PAINEM, SLAMET)
    assert link is not None
    assert (link["record_id"], link["match"]) == (1, "probable")
    reasons = ["nik_of_relative", "name_same", "date_same", "sex_same", "district_same"]
    assert link["reasons"] == reasons
    # -13 + 5 + 7 + 7 + 1 + 1.5 = 8.5 bits
    assert link["score"] == pytest.approx(1 / (1 + 2**-8.5))
    assert link["score"] == pytest.approx(bits(*reasons))


def test_the_second_route_finds_a_blank_nik_by_a_name_token_and_the_birth_year():
    # No NIK, no sex, an address in another district and a token added: no birth date +
    # sex + district, no name in the district; "SLAMET" born in 1982 still meets.
    row = as_row(SLAMET, nik="", sex="", district="35.04.01", name="Slamet Riyadi")
    prepared_rows = prepare(rows(row), "row_id")
    prepared_reg = prepare(register(SUWARNI, SLAMET, PAINEM), "record_id")
    assert demographic_pairs(prepared_rows, prepared_reg).height == 0
    assert name_pairs(prepared_rows, prepared_reg).height == 0
    found = person_pairs(prepared_rows, prepared_reg, PreparedSide(prepared_reg))
    assert found.rows() == [(100, 2, "person_block")]


def test_the_second_route_links_a_broken_nik_by_birth_date_district_and_name():
    # The NIK as Excel wrote it ("3,50409E+15"), no sex, a title before the name: found
    # by birth date and district (Painem shares both, but not the name).
    row = as_row(SUWARNI, nik="3,50409E+15", sex="", name="Hj. Suwarni")
    link = one_link(row, SUWARNI, PAINEM, SLAMET)
    assert link is not None
    assert (link["record_id"], link["match"]) == (1, "probable")
    reasons = ["nik_unknown", "name_same", "date_same", "sex_unknown", "district_same"]
    assert link["reasons"] == reasons
    # -13 + 0 + 7 + 7 + 0 + 1,5 = 2,5 bits
    assert link["score"] == pytest.approx(1 / (1 + 2**-2.5))
    assert link["score"] == pytest.approx(bits(*reasons))


def test_a_birth_year_one_apart_is_partial_evidence():
    link = one_link(as_row(BUDI, birth_date=dt.date(1979, 1, 5)), BUDI, SLAMET)
    assert link is not None
    assert link["reasons"][2] == "date_year_off_by_one"
    # -13 + 13 + 7 + 3 + 1 + 1.5 = 12.5 bits
    assert link["score"] == pytest.approx(1 / (1 + 2**-12.5))


def test_a_birth_year_alone_is_graded_on_the_year():
    frame = rows(
        as_row(BUDI, birth_date=None),
        as_row(BUDI, birth_date=None, row_id=201),
        as_row(BUDI, birth_date=None, row_id=202),
    ).with_columns(birth_year=pl.Series([1980, 1981, 1990], dtype=pl.Int32))
    links = matching.link(frame, register(BUDI, SLAMET)).sort("row_id")
    assert [r[2] for r in links.get_column("reasons")] == [
        "date_year_only",
        "date_year_only_near",
        "date_different",
    ]
    # -13 + 13 + 7 + (3 | 1 | -5) + 1 + 1.5
    assert links.get_column("score").to_list() == pytest.approx(
        [1 / (1 + 2**-12.5), 1 / (1 + 2**-10.5), 1 / (1 + 2**-4.5)]
    )


def test_a_name_with_a_token_dropped_and_a_typo_is_partial_evidence():
    assert name_part("MUHAMAD RIZKY", "MUHAMAD RIZKI PRATAMA")
    assert name_part("SITI AMNAH", "SITI NUR AMINAH")
    assert not name_part("SITI", "SITI AMINAH")  # a lone short token says too little
    assert not name_part("BUDI SANTOSO", "AGUS SANTOSO WIBOWO")
    # The domain similarity rates "Muhamad Rikzi" (two letters swapped) against the full
    # name weak (< 0,85); the dropped token is worth the `name_part` bits instead of none.
    # ("Rizky" is no typo: a final "y" is an "i", `names.name_key`.)
    assert name_similarity("Muhamad Rikzi", "MUHAMMAD RIZKI PRATAMA") < 0.85
    link = one_link(as_row(RIZKI, name="Muhamad Rikzi", nik="350410120395001"), RIZKI, BUDI)
    assert link is not None
    assert link["reasons"][:2] == ["nik_missing_digit", "name_part"]
    # -13 + 7,5 + 3 + 7 + 1 + 1,5 = 7 bits
    assert link["score"] == pytest.approx(1 / (1 + 2**-7))


def test_one_person_sent_by_two_agencies_with_two_broken_niks_is_one_group():
    # One list leaves the NIK and the sex blank, the other cuts the NIK short and writes
    # the name the other way round; neither is in the register.
    absent = {
        "name": "Bambang Sutrisno", "birth_date": dt.date(1990, 1, 1), "sex": "L",
        "district": "35.04.15",
    }  # fmt: skip
    frame = rows(
        {**absent, "agency_id": 1, "nik": "", "sex": ""},
        {**absent, "agency_id": 2, "nik": "35041501019", "name": "Sutrisno Bambang"},
        as_row(SLAMET, agency_id=3),
    )
    links = matching.link(frame, register(SUWARNI, SLAMET))
    groups = matching.duplicate_groups(frame, links).sort("row_id")
    assert groups.select("row_id", "group_id").rows() == [(100, 100), (101, 100)]
    # 0 + 7 + 7 + 0 + 1,5 - 13 = 2,5 bits
    assert groups.get_column("score").to_list() == pytest.approx([1 / (1 + 2**-2.5)] * 2)


def test_every_piece_of_evidence_has_words_for_the_verifier():
    assert {code for code in WEIGHTS if code != "prior"} <= set(REASON_LABELS)
    assert REASON_LABELS["nik_of_relative"].startswith("NIK anggota keluarga lain")


def test_a_pair_met_only_by_person_evidence_cannot_reach_the_accept_threshold():
    # -13 + 6 (a NIK cut short) + 10 (a rare name) + 7 (birth date) + 1 (sex) + 1.5 (district)
    # = 12.5 bits, capped at 6.5 bits, a score of 0,989: below link_accept 0,99, so such a
    # pair is never accepted on its own.
    bits = best_bits(["nik_prefix", "demographic", "name_block", "person_block"])
    assert bits == 6.5
    assert probability(bits) < MatchSettings().link_accept
    # A relative's NIK is a NIK relation of 5 bits, not capped: -13 + 5 + 10 + 7 + 1 + 1.5.
    assert best_bits(["person_block", "nik_of_relative"]) == 11.5


def test_person_evidence_is_capped_below_the_accept_threshold_however_strong():
    # A blank NIK; the rare name (one in a register of 1024 or more), the birth date, sex
    # and district all the same: -13 + 0 + 10 + 7 + 1 + 1.5 = 6.5 bits; a NIK cut short to
    # 14 digits that begins the register's would add 6, but the cap stays at 6.5 bits.
    others = [
        {**SLAMET, "record_id": 10 + i, "nik": f"35040713048{i:05d}", "name": f"ORANG {i:04d}"}
        for i in range(1024)
    ]
    frame = rows(as_row(SUWARNI, nik="35040968048748"))
    link = matching.link(frame, register(SUWARNI, *others)).row(0, named=True)
    assert link["reasons"][:2] == ["nik_cut_short", "name_same_rare"]
    assert link["score"] == pytest.approx(probability(6.5))
    assert link["match"] == "probable"


def test_links_wanted_only_when_accepted_are_the_accepted_links_of_a_full_search():
    settings = MatchSettings()
    frame = rows(
        as_row(SUWARNI),  # exact
        as_row(SLAMET, nik="3504071304820008"),  # one digit off
        as_row(PAINEM, nik=""),  # blank NIK: person evidence only, 0,989
        as_row(SLAMET, nik="3504071304820003", name="SLAMET RIYADI"),
    )
    people = register(SUWARNI, SLAMET, PAINEM)

    def accepted(links: pl.DataFrame) -> list[tuple[int, int]]:
        kept = links.filter(
            (pl.col("score") >= settings.link_accept)
            & ~pl.col("reasons").list.contains("ambiguous")
        )
        return sorted(kept.select("row_id", "record_id").iter_rows())

    full = matching.link(frame, people, settings)
    assert full.filter(pl.col("row_id") == 102).height == 1  # found, but not accepted
    assert accepted(matching.link(frame, people, settings, accepted_only=True)) == accepted(full)
    assert accepted(full) == [(100, 1), (101, 2), (103, 2)]


def test_a_pair_found_from_both_sides_with_one_score_keeps_the_same_reasons_in_any_order():
    # Row 1's KK column meets row 2's NIK, and row 2's NIK column holds row 1's KK: one
    # pair, found twice with the same score and two different reasons.
    rows = pl.DataFrame({"row_id": [1, 2]})
    reasons = {
        "same_kk": ["same_kk", "name_same", "date_same", "sex_same", "district_same"],
        "nik_is_kk": ["nik_is_kk", "name_same", "date_same", "sex_same", "district_same"],
    }
    scored = pl.DataFrame(
        {
            "row": [1, 2],
            "rec": [2, 1],
            "score": [0.999, 0.999],
            "reasons": [reasons["same_kk"], reasons["nik_is_kk"]],
            "nik_evidence": ["same_kk", "nik_is_kk"],
            "name_sim": [1.0, 1.0],
        }
    )
    groups = [
        matching.duplicate_groups(rows, matching.empty_links(), scored=frame)
        for frame in (scored, scored.reverse())
    ]
    assert groups[0].equals(groups[1])
    # The first of the reasons in their fixed order ("nik_is_kk …" before "same_kk …").
    assert groups[0].get_column("reasons").to_list() == [reasons["nik_is_kk"]] * 2
