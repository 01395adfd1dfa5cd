"""JKM and JKK cash benefits for a BPU, hand-worked at a declared income of Rp 1 juta."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from lindung.domain.benefits import (
    jkk_death,
    jkk_partial_disability,
    jkk_permanent_total_disability,
    jkk_stmb,
    jkk_transport,
    jkm_death,
    jkm_scholarship_eligible,
)
from lindung.domain.rulebook import (
    DEFAULT_BENEFIT_TABLE,
    DEFAULT_RULEBOOK,
    RuleBook,
    RuleError,
    RuleNotFound,
)

ON = date(2026, 3, 10)
JUTA = 1_000_000


# ---------------------------------------------------------------------------------------
# JKM


@pytest.mark.parametrize(
    ("paid", "arrears", "parts", "total"),
    [
        # PP 82/2019 Pasal 34 ayat (1): 20 juta + 12 juta + 10 juta = Rp 42 juta.
        (3, 0, {"lump_sum": 20 * JUTA, "periodic": 12 * JUTA, "funeral": 10 * JUTA}, 42 * JUTA),
        (36, 0, {"lump_sum": 20 * JUTA, "periodic": 12 * JUTA, "funeral": 10 * JUTA}, 42 * JUTA),
        # BPJSTK operational rule (Medium): fewer than 3 consecutive paid months → Rp 10 juta.
        (2, 0, {"short_membership": 10 * JUTA}, 10 * JUTA),
        (0, 0, {"short_membership": 10 * JUTA}, 10 * JUTA),
        # PP 44/2015 Pasal 42 ayat (1): arrears up to 3 months still entitled (paid after
        # settlement).
        (12, 3, {"lump_sum": 20 * JUTA, "periodic": 12 * JUTA, "funeral": 10 * JUTA}, 42 * JUTA),
        # PP 44/2015 Pasal 42 ayat (2): more than 3 months of arrears → not entitled.
        (12, 4, {}, 0),
        (1, 4, {}, 0),
    ],
    ids=[
        "exactly-3-months-42-juta",
        "long-member-42-juta",
        "2-months-10-juta",
        "no-paid-month-10-juta",
        "3-months-arrears-still-entitled",
        "4-months-arrears-nothing",
        "short-and-4-months-arrears-nothing",
    ],
)
def test_jkm_death(paid, arrears, parts, total):
    result = jkm_death(on=ON, paid_consecutive_months=paid, arrears_months=arrears)
    assert result.parts == parts
    assert result.total == total
    assert result.legal_basis == DEFAULT_BENEFIT_TABLE.legal_basis


def test_jkm_death_without_entitlement_explains_why():
    result = jkm_death(on=ON, paid_consecutive_months=12, arrears_months=4)
    assert result.notes == (
        "Ahli waris tidak berhak JKM: tunggakan iuran 4 bulan, lebih dari 3 bulan "
        "(PP 44/2015 Pasal 42 ayat (2)).",
    )


def test_jkm_death_with_arrears_says_the_rest_waits_for_settlement():
    result = jkm_death(on=ON, paid_consecutive_months=12, arrears_months=2)
    assert any("setelah ahli waris melunasi tunggakan" in note for note in result.notes)


def test_jkm_short_membership_is_flagged_as_an_operational_rule():
    result = jkm_death(on=ON, paid_consecutive_months=2)
    assert "aturan operasional BPJSTK" in result.notes[0]
    assert "keyakinan sedang" in result.notes[0]


@pytest.mark.parametrize(
    ("contribution_months", "eligible"),
    [
        # PP 82/2019 Pasal 34 ayat (1) huruf d: scholarship after at least 3 years of masa iur.
        (35, False),
        (36, True),
        (120, True),
    ],
    ids=["35-months", "36-months", "10-years"],
)
def test_jkm_scholarship_needs_three_years(contribution_months, eligible):
    assert jkm_scholarship_eligible(contribution_months=contribution_months, on=ON) is eligible
    result = jkm_death(on=ON, paid_consecutive_months=12, contribution_months=contribution_months)
    note = "Berhak beasiswa (maks. Rp 174.000.000 untuk 2 anak)"
    assert any(note in n for n in result.notes) is eligible
    assert result.total == 42 * JUTA  # the scholarship is paid yearly, outside the total


def test_amounts_follow_the_table_in_force_on_the_day_of_death():
    # Hypothetical increase of the JKM lump sum from 2028: deaths before keep 42 juta.
    raised = dataclasses.replace(
        DEFAULT_BENEFIT_TABLE,
        version="HYPOTHETICAL-2028",
        effective_from=date(2028, 1, 1),
        legal_basis="PP (hipotetis) 2028",
        jkm_lump_sum=30 * JUTA,
    )
    book = DEFAULT_RULEBOOK.with_versions(raised)
    before = jkm_death(on=date(2027, 12, 31), paid_consecutive_months=12, rulebook=book)
    after = jkm_death(on=date(2028, 1, 1), paid_consecutive_months=12, rulebook=book)
    assert before.total == 42 * JUTA
    assert after.total == 52 * JUTA
    assert after.legal_basis == "PP (hipotetis) 2028"


def test_benefits_before_pp_82_2019_are_not_in_the_default_book():
    with pytest.raises(RuleNotFound):
        jkm_death(on=date(2019, 11, 30), paid_consecutive_months=12)
    with pytest.raises(RuleNotFound):
        jkk_death(income=JUTA, on=date(2019, 1, 1), rulebook=RuleBook())


# ---------------------------------------------------------------------------------------
# JKK


@pytest.mark.parametrize(
    ("income", "parts", "total"),
    [
        # PP 82/2019 Lampiran III: 48 × 1 juta = 48 juta (≥ 20 juta) + 12 + 10 = Rp 70 juta.
        (JUTA, {"lump_sum": 48 * JUTA, "periodic": 12 * JUTA, "funeral": 10 * JUTA}, 70 * JUTA),
        # 48 × 2 juta = 96 juta + 12 + 10 = Rp 118 juta.
        (
            2 * JUTA,
            {"lump_sum": 96 * JUTA, "periodic": 12 * JUTA, "funeral": 10 * JUTA},
            118 * JUTA,
        ),
    ],
    ids=["1-juta-70-juta", "2-juta-118-juta"],
)
def test_jkk_death(income, parts, total):
    result = jkk_death(income=income, on=ON)
    assert result.parts == parts
    assert result.total == total
    assert any("Tanpa masa iur minimum" in note for note in result.notes)


def test_jkk_death_lump_sum_never_below_the_floor():
    # PP 82/2019 Lampiran III: at least the JKM lump sum (Rp 20 juta). 48 × 400.000 =
    # 19,2 juta → 20 juta (income below the contribution band, tested for the floor only).
    result = jkk_death(income=400_000, on=ON)
    assert result.parts["lump_sum"] == 20 * JUTA


def test_jkk_permanent_total_disability():
    # PP 82/2019 Lampiran III: 56 × 1 juta + 12 juta periodic = Rp 68 juta.
    result = jkk_permanent_total_disability(income=JUTA, on=ON)
    assert result.parts == {"lump_sum": 56 * JUTA, "periodic": 12 * JUTA}
    assert result.total == 68 * JUTA


@pytest.mark.parametrize(
    ("income", "months", "parts", "total"),
    [
        # PP 82/2019 Lampiran III: 100 % for 12 months, then 50 %.
        # 14 months at 1 juta: 12 × 1 juta + 2 × 500.000 = Rp 13 juta.
        (JUTA, 14, {"full_phase": 12 * JUTA, "reduced_phase": JUTA}, 13 * JUTA),
        (JUTA, 12, {"full_phase": 12 * JUTA, "reduced_phase": 0}, 12 * JUTA),
        (JUTA, 3, {"full_phase": 3 * JUTA, "reduced_phase": 0}, 3 * JUTA),
        (JUTA, 0, {"full_phase": 0, "reduced_phase": 0}, 0),
        # Fractional months: 0,5 × 1 juta = 500.000; 12,5 months → 12 juta + 250.000.
        (JUTA, Decimal("0.5"), {"full_phase": 500_000, "reduced_phase": 0}, 500_000),
        (
            JUTA,
            Decimal("12.5"),
            {"full_phase": 12 * JUTA, "reduced_phase": 250_000},
            12_250_000,
        ),
        # Half-up: 1/3 month × 1.000.001 = 333.333,67 → 333.334.
        (1_000_001, Decimal(1) / Decimal(3), {"full_phase": 333_334, "reduced_phase": 0}, 333_334),
    ],
    ids=[
        "14-months-13-juta",
        "12-months",
        "3-months",
        "zero",
        "half-month",
        "twelve-and-a-half",
        "rounding-half-up",
    ],
)
def test_jkk_stmb(income, months, parts, total):
    result = jkk_stmb(income=income, months_off_work=months, on=ON)
    assert result.parts == parts
    assert result.total == total


@pytest.mark.parametrize(
    ("percent", "function_loss", "total"),
    [
        # PP 82/2019 Lampiran III: table % × 80 × income.
        # A table percentage of 40 %: 40 % × 80 × 1 juta = Rp 32 juta.
        (Decimal(40), Decimal(100), 32 * JUTA),
        # 15 % × 80 × 1 juta = Rp 12 juta.
        (Decimal(15), Decimal(100), 12 * JUTA),
        # Functional: 50 % loss of function × 40 % × 80 × 1 juta = Rp 16 juta.
        (Decimal(40), Decimal(50), 16 * JUTA),
        # Half-up: 0,5 % × 80 × 1 juta = 400.000; 0,0001 % × 80 × 1 juta = 80.
        (Decimal("0.5"), Decimal(100), 400_000),
        (Decimal("0.0001"), Decimal(100), 80),
    ],
    ids=["40-percent", "15-percent", "functional-50-of-40", "half-percent", "tiny-percent"],
)
def test_jkk_partial_disability(percent, function_loss, total):
    result = jkk_partial_disability(
        income=JUTA, percent=percent, function_loss_percent=function_loss, on=ON
    )
    assert result.parts == {"lump_sum": total}
    assert result.total == total


@pytest.mark.parametrize(
    ("claimed", "parts", "total"),
    [
        # PP 82/2019 Lampiran III: land ≤ 5 juta, sea ≤ 2 juta, air ≤ 10 juta, each mode.
        ({"land": 750_000}, {"land": 750_000, "sea": 0, "air": 0}, 750_000),
        (
            {"land": 6 * JUTA, "sea": 3 * JUTA, "air": 12 * JUTA},
            {"land": 5 * JUTA, "sea": 2 * JUTA, "air": 10 * JUTA},
            17 * JUTA,
        ),
        (
            {"land": 5 * JUTA, "sea": 1 * JUTA, "air": 0},
            {"land": 5 * JUTA, "sea": JUTA, "air": 0},
            6 * JUTA,
        ),
    ],
    ids=["land-under-cap", "every-mode-capped", "at-the-cap"],
)
def test_jkk_transport(claimed, parts, total):
    result = jkk_transport(on=ON, **claimed)
    assert result.parts == parts
    assert result.total == total


def test_jkk_transport_notes_what_was_capped():
    result = jkk_transport(on=ON, land=6 * JUTA)
    assert result.notes == (
        "Biaya transportasi darat Rp 6.000.000 melebihi batas; diganti Rp 5.000.000.",
    )


JKK_CALLS = {
    "death": lambda arrears: jkk_death(income=JUTA, on=ON, arrears_months=arrears),
    "ctt": lambda arrears: jkk_permanent_total_disability(
        income=JUTA, on=ON, arrears_months=arrears
    ),
    "stmb": lambda arrears: jkk_stmb(
        income=JUTA, months_off_work=14, on=ON, arrears_months=arrears
    ),
    "partial": lambda arrears: jkk_partial_disability(
        income=JUTA, percent=Decimal(40), on=ON, arrears_months=arrears
    ),
    "transport": lambda arrears: jkk_transport(on=ON, land=JUTA, arrears_months=arrears),
}


@pytest.mark.parametrize("call", JKK_CALLS.values(), ids=JKK_CALLS.keys())
def test_jkk_is_lost_after_more_than_3_months_of_arrears(call):
    # PP 44/2015 Pasal 39 ayat (2).
    result = call(4)
    assert result.total == 0
    assert result.parts == {}
    assert "Tidak berhak manfaat JKK" in result.notes[0]


@pytest.mark.parametrize("call", JKK_CALLS.values(), ids=JKK_CALLS.keys())
def test_jkk_with_up_to_3_months_of_arrears_is_paid_after_settlement(call):
    # PP 44/2015 Pasal 39 ayat (1).
    result = call(3)
    assert result.total == call(0).total > 0
    assert "tunggakan dilunasi" in result.notes[0]


@pytest.mark.parametrize(
    "call",
    [
        lambda: jkk_death(income=0, on=ON),
        lambda: jkk_death(income=JUTA, on=ON, arrears_months=-1),
        lambda: jkk_stmb(income=JUTA, months_off_work=-1, on=ON),
        lambda: jkk_stmb(income=JUTA, months_off_work=1.5, on=ON),
        lambda: jkk_partial_disability(income=JUTA, percent=Decimal(0), on=ON),
        lambda: jkk_partial_disability(income=JUTA, percent=Decimal(101), on=ON),
        lambda: jkk_partial_disability(
            income=JUTA, percent=Decimal(40), function_loss_percent=Decimal(0), on=ON
        ),
        lambda: jkk_transport(on=ON, land=-1),
        lambda: jkm_death(on=ON, paid_consecutive_months=-1),
        lambda: jkm_death(on=ON, paid_consecutive_months=3, contribution_months=-1),
    ],
    ids=[
        "zero-income",
        "negative-arrears",
        "negative-months",
        "float-months",
        "zero-percent",
        "above-100-percent",
        "zero-function-loss",
        "negative-transport",
        "negative-paid-months",
        "negative-contribution-months",
    ],
)
def test_it_rejects_invalid_inputs(call):
    with pytest.raises(RuleError):
        call()


def test_to_dict_has_the_documented_keys():
    result = jkk_permanent_total_disability(income=JUTA, on=ON)
    assert result.to_dict() == {
        "total": 68 * JUTA,
        "parts": {"lump_sum": 56 * JUTA, "periodic": 12 * JUTA},
        "legal_basis": DEFAULT_BENEFIT_TABLE.legal_basis,
        "notes": [
            "Berhak beasiswa (maks. Rp 174.000.000 untuk 2 anak), dibayar per tahun sesuai "
            "jenjang sekolah. Tanpa masa iur minimum."
        ],
    }
