"""Monthly BPU contributions, with hand-worked figures and the regulation they come from."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from lindung.domain.contributions import monthly_premium
from lindung.domain.rulebook import (
    DEFAULT_CONTRIBUTION_TABLE,
    DEFAULT_RELIEF_RULE,
    DEFAULT_RULEBOOK,
    Benefit,
    Payer,
    RuleError,
    RuleNotFound,
    Sector,
)

BASE = ("JKK", "JKM")
WITH_JHT = ("JKK", "JKM", "JHT")
FEB_2026 = date(2026, 2, 1)


# fmt: off
PREMIUM_CASES = [
    # PP 44/2015 Pasal 20 & Lampiran II: JKK 1 % × Rp 1 juta + JKM Rp 6.800 = Rp 16.800.
    pytest.param(1_000_000, BASE, date(2025, 6, 1), Payer.APBD, Sector.OTHER,
                 {"JKK": 10_000, "JKM": 6_800}, 16_800, id="jkk-jkm-16800"),
    # + JHT 2 % × Rp 1 juta = Rp 20.000 → Rp 36.800 for three programmes.
    pytest.param(1_000_000, WITH_JHT, date(2025, 6, 1), Payer.APBD, Sector.OTHER,
                 {"JKK": 10_000, "JKM": 6_800, "JHT": 20_000}, 36_800, id="with-jht-36800"),
    # Top of the band: JKK 1 % × Rp 20,7 juta = Rp 207.000.
    pytest.param(20_700_000, BASE, date(2025, 6, 1), Payer.APBD, Sector.OTHER,
                 {"JKK": 207_000, "JKM": 6_800}, 213_800, id="jkk-max-207000"),
    # PP 50/2025 Pasal 3-7: self-paying transport BPU, Feb 2026 → 50 %: Rp 8.400.
    pytest.param(1_000_000, BASE, FEB_2026, Payer.SELF, Sector.TRANSPORT,
                 {"JKK": 5_000, "JKM": 3_400}, 8_400, id="self-transport-feb-2026-8400"),
    # PP 50/2025 Pasal 3 ayat (5): paid through APBD → excluded, full Rp 16.800.
    pytest.param(1_000_000, BASE, FEB_2026, Payer.APBD, Sector.TRANSPORT,
                 {"JKK": 10_000, "JKM": 6_800}, 16_800, id="apbd-transport-feb-2026-16800"),
    # PP 50/2025 Pasal 7: other sectors only Apr-Dec 2026.
    pytest.param(1_000_000, BASE, FEB_2026, Payer.SELF, Sector.OTHER,
                 {"JKK": 10_000, "JKM": 6_800}, 16_800, id="self-other-feb-2026-16800"),
    pytest.param(1_000_000, BASE, date(2026, 5, 1), Payer.SELF, Sector.OTHER,
                 {"JKK": 5_000, "JKM": 3_400}, 8_400, id="self-other-may-2026-8400"),
    pytest.param(1_000_000, BASE, date(2027, 1, 1), Payer.SELF, Sector.OTHER,
                 {"JKK": 10_000, "JKM": 6_800}, 16_800, id="self-other-jan-2027-16800"),
    # PP 50/2025 Pasal 7: transport Jan 2026 - Mar 2027.
    pytest.param(1_000_000, BASE, date(2027, 3, 1), Payer.SELF, Sector.TRANSPORT,
                 {"JKK": 5_000, "JKM": 3_400}, 8_400, id="self-transport-mar-2027-8400"),
    pytest.param(1_000_000, BASE, date(2027, 4, 1), Payer.SELF, Sector.TRANSPORT,
                 {"JKK": 10_000, "JKM": 6_800}, 16_800, id="self-transport-apr-2027-16800"),
    # PP 50/2025 discounts JKK + JKM only: JHT stays Rp 20.000 → 8.400 + 20.000 = 28.400.
    pytest.param(1_000_000, WITH_JHT, FEB_2026, Payer.SELF, Sector.TRANSPORT,
                 {"JKK": 5_000, "JKM": 3_400, "JHT": 20_000}, 28_400, id="jht-not-discounted"),
    # PP 50/2025 Pasal 3 ayat (5) names APBN/APBD only: village funds get the relief
    # by default (an open question).
    pytest.param(1_000_000, BASE, date(2026, 5, 1), Payer.APBDES, Sector.OTHER,
                 {"JKK": 5_000, "JKM": 3_400}, 8_400, id="apbdes-default-relief"),
    # CSR is not APBN/APBD either.
    pytest.param(1_000_000, BASE, date(2026, 5, 1), Payer.CSR, Sector.OTHER,
                 {"JKK": 5_000, "JKM": 3_400}, 8_400, id="csr-relief"),
    # Half-up per component: JKK 1 % × 1.234.550 = 12.345,5 → 12.346; discounted
    # 6.172,75 → 6.173 (PP 50/2025; rounding by round_rupiah).
    pytest.param(1_234_550, BASE, date(2025, 6, 1), Payer.APBD, Sector.OTHER,
                 {"JKK": 12_346, "JKM": 6_800}, 19_146, id="rounding-half-up-full"),
    pytest.param(1_234_550, BASE, FEB_2026, Payer.SELF, Sector.TRANSPORT,
                 {"JKK": 6_173, "JKM": 3_400}, 9_573, id="rounding-half-up-discounted"),
]
# fmt: on


@pytest.mark.parametrize(
    ("income", "benefits", "month", "payer", "sector", "parts", "total"), PREMIUM_CASES
)
def test_monthly_premium(income, benefits, month, payer, sector, parts, total):
    premium = monthly_premium(
        income=income, benefits=benefits, month=month, payer=payer, sector=sector
    )
    assert premium.parts == parts
    assert premium.monthly_total == total


def test_the_default_payer_is_apbd_and_the_default_sector_other():
    # A Pemda program pays from APBD: no PP 50/2025 relief even in May 2026.
    premium = monthly_premium(income=1_000_000, benefits=BASE, month=date(2026, 5, 1))
    assert premium.monthly_total == 16_800
    assert premium.relief_applied is False


@pytest.mark.parametrize(
    ("payer", "payer_excluded", "total"),
    [
        # The APBDes question is unsettled (PP 50/2025 Pasal 3 ayat (5)): configurable.
        (Payer.APBDES, None, 8_400),
        (Payer.APBDES, True, 16_800),
        (Payer.APBDES, False, 8_400),
        (Payer.APBD, False, 8_400),
        (Payer.SELF, True, 16_800),
    ],
    ids=[
        "apbdes-default",
        "apbdes-excluded-by-funding-source",
        "apbdes-explicitly-included",
        "apbd-override",
        "self-override",
    ],
)
def test_payer_excluded_overrides_the_payer_based_default(payer, payer_excluded, total):
    premium = monthly_premium(
        income=1_000_000,
        benefits=BASE,
        month=date(2026, 5, 1),
        payer=payer,
        payer_excluded=payer_excluded,
    )
    assert premium.monthly_total == total
    assert premium.relief_applied is (total == 8_400)


def test_legal_basis_adds_the_relief_only_when_applied():
    full = monthly_premium(income=1_000_000, benefits=BASE, month=FEB_2026)
    cut = monthly_premium(
        income=1_000_000, benefits=BASE, month=FEB_2026, payer="self", sector="transport"
    )
    assert full.legal_basis == DEFAULT_CONTRIBUTION_TABLE.legal_basis
    assert cut.legal_basis == (
        f"{DEFAULT_CONTRIBUTION_TABLE.legal_basis}; {DEFAULT_RELIEF_RULE.legal_basis}"
    )


def test_any_day_of_the_month_gives_the_same_premium():
    first = monthly_premium(income=1_000_000, benefits=BASE, month=date(2026, 4, 1), payer="self")
    last = monthly_premium(income=1_000_000, benefits=BASE, month=date(2026, 4, 30), payer="self")
    assert first == last


def test_it_accepts_enum_members_and_case_insensitive_strings():
    premium = monthly_premium(
        income=1_000_000,
        benefits=[Benefit.JKK, "JKM", "Jht"],
        month=FEB_2026,
        payer="SELF",
        sector="Transport",
    )
    assert premium.monthly_total == 28_400


def test_to_dict_has_the_documented_keys():
    premium = monthly_premium(income=1_000_000, benefits=BASE, month=FEB_2026)
    assert premium.to_dict() == {
        "monthly_total": 16_800,
        "parts": {"JKK": 10_000, "JKM": 6_800},
        "legal_basis": "PP 44/2015 Pasal 20 & Lampiran II; PP 82/2019",
        "relief_applied": False,
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        # Band of PP 44/2015 Lampiran II as modelled: Rp 1 juta to Rp 20,7 juta.
        ({"income": 999_999}, "di luar rentang Rp 1.000.000–Rp 20.700.000"),
        ({"income": 20_700_001}, "di luar rentang"),
        ({"income": 1_000_000.0}, "bilangan bulat"),
        # JKK + JKM are the BPU base; JHT is optional (PP 44/2015 Pasal 20).
        ({"benefits": ["JKK"]}, "wajib mengikuti JKK dan JKM; program JKM"),
        ({"benefits": ["JKM", "JHT"]}, "program JKK belum dipilih"),
        ({"benefits": []}, "JKK dan JKM belum dipilih"),
        ({"benefits": "JKK"}, "program JKM"),
        # JP and JKP are for wage earners only (Perpres 109/2013 Pasal 6; PP 49/2023).
        ({"benefits": ["JKK", "JKM", "jp"]}, "JP \\(Jaminan Pensiun\\) tidak berlaku"),
        ({"benefits": ["JKK", "JKM", "JKP"]}, "JKP .* tidak berlaku"),
        ({"benefits": ["JKK", "JKM", "jkn"]}, "Program 'jkn' tidak dikenal"),
        ({"payer": "pemda"}, "Sumber dana 'pemda' tidak dikenal"),
        ({"sector": "fisheries"}, "Sektor 'fisheries' tidak dikenal"),
    ],
    ids=[
        "income-below-band",
        "income-above-band",
        "income-float",
        "jkk-alone",
        "without-jkk",
        "no-programme",
        "bare-string",
        "jp-not-for-bpu",
        "jkp-not-for-bpu",
        "unknown-programme",
        "unknown-payer",
        "unknown-sector",
    ],
)
def test_it_rejects_rule_violations_in_indonesian(kwargs, message):
    args = {"income": 1_000_000, "benefits": BASE, "month": FEB_2026} | kwargs
    with pytest.raises(RuleError, match=message):
        monthly_premium(**args)


def test_it_raises_rule_not_found_before_the_first_table():
    with pytest.raises(RuleNotFound):
        monthly_premium(income=1_000_000, benefits=BASE, month=date(2019, 11, 1))


def test_a_new_version_changes_results_only_from_its_effective_date():
    # A hypothetical regulation raising JKM to Rp 8.000 from July 2027.
    raised = dataclasses.replace(
        DEFAULT_CONTRIBUTION_TABLE,
        version="HYPOTHETICAL-2027",
        effective_from=date(2027, 7, 1),
        legal_basis="PP (hipotetis) 2027",
        jkm_flat=8_000,
    )
    book = DEFAULT_RULEBOOK.with_versions(raised)

    def total(month):
        return monthly_premium(
            income=1_000_000, benefits=BASE, month=month, rulebook=book
        ).monthly_total

    assert total(date(2027, 6, 1)) == 16_800
    assert total(date(2027, 7, 1)) == 18_000
    assert (
        monthly_premium(
            income=1_000_000, benefits=BASE, month=date(2027, 7, 1), rulebook=book
        ).legal_basis
        == "PP (hipotetis) 2027"
    )


def test_a_new_relief_version_applies_only_to_its_months():
    # A hypothetical extension of the PP 50/2025 relief for other sectors into 2027,
    # enacted in December 2026: the latest applicable relief wins.
    extension = dataclasses.replace(
        DEFAULT_RELIEF_RULE,
        version="HYPOTHETICAL-EXT",
        effective_from=date(2026, 12, 15),
        legal_basis="PP (hipotetis) perpanjangan",
        factor=Decimal("0.25"),
        periods=(
            dataclasses.replace(
                DEFAULT_RELIEF_RULE.periods[1],
                first_month=date(2027, 1, 1),
                last_month=date(2027, 6, 1),
            ),
        ),
    )
    book = DEFAULT_RULEBOOK.with_versions(extension)

    def premium(month):
        return monthly_premium(
            income=1_000_000, benefits=BASE, month=month, payer="self", rulebook=book
        )

    assert premium(date(2026, 12, 1)).monthly_total == 8_400  # still PP 50/2025
    # 25 % × 10.000 = 2.500; 25 % × 6.800 = 1.700.
    assert premium(date(2027, 1, 1)).parts == {"JKK": 2_500, "JKM": 1_700}
    assert premium(date(2027, 7, 1)).monthly_total == 16_800
