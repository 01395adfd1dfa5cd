"""`lindung rules`: premiums, budgets and benefits from the rule tables, printed exactly
(issue acceptance: "The CLI prints the figures above exactly"). The national tables come from
migration rules/0002, so these tests need the database."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from lindung.common.commands import UsageError
from lindung.domain.rulebook import DEFAULT_CONTRIBUTION_TABLE
from lindung.rules.services import rule_version_add

pytestmark = pytest.mark.django_db


def _rules(*args: str) -> dict:
    out = StringIO()
    call_command("rules", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("args", "total", "parts", "relief"),
    [
        # PP 44/2015 Pasal 20 & Lampiran II; PP 82/2019: JKK 1 % × Rp 1.000.000 = Rp 10.000,
        # JKM flat Rp 6.800.
        (["--month", "2025-06"], 16_800, {"JKK": 10_000, "JKM": 6_800}, False),
        # JHT (optional for BPU) 2 % × Rp 1.000.000 = Rp 20.000: Rp 36.800.
        (
            ["--benefits", "JKK,JKM,JHT", "--month", "2025-06"],
            36_800,
            {"JKK": 10_000, "JKM": 6_800, "JHT": 20_000},
            False,
        ),
        # PP 50/2025 Pasal 7: transport workers, January 2026 onwards, paying themselves:
        # half of each, Rp 5.000 + Rp 3.400.
        (
            ["--month", "2026-02", "--payer", "self", "--sector", "transport"],
            8_400,
            {"JKK": 5_000, "JKM": 3_400},
            True,
        ),
        # Same month and sector, but paid from the APBD: excluded (Pasal 3 ayat (5)).
        (
            ["--month", "2026-02", "--payer", "apbd", "--sector", "transport"],
            16_800,
            {"JKK": 10_000, "JKM": 6_800},
            False,
        ),
        # JKK at the top of the band: 1 % × Rp 20.700.000 = Rp 207.000.
        (
            ["--income", "20700000", "--month", "2025-06"],
            213_800,
            {"JKK": 207_000, "JKM": 6_800},
            False,
        ),
    ],
)
def test_the_premium_is_printed_exactly(args, total, parts, relief):
    income = [] if "--income" in args else ["--income", "1000000"]

    result = _rules("premium", *income, *args)

    assert result["monthly_total"] == total
    assert result["parts"] == parts
    assert result["relief_applied"] is relief
    assert "PP 44/2015" in result["legal_basis"]
    assert ("PP 50/2025" in result["legal_basis"]) is relief


def test_the_text_premium_names_its_parts_and_legal_basis():
    out = StringIO()

    call_command("rules", "premium", "--income", "1000000", "--month", "2025-06", stdout=out)

    assert out.getvalue().strip() == (
        "Iuran Rp 16.800 per bulan (JKK Rp 10.000, JKM Rp 6.800). "
        "Dasar: PP 44/2015 Pasal 20 & Lampiran II; PP 82/2019"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # 21.000 × Rp 16.800 = Rp 352.800.000 a month; Rp 1.700.000.000 pays 4 months
        # (Rp 1.411.200.000) and leaves Rp 288.800.000.
        (
            ["--budget", "1700000000", "--participants", "21000"],
            {"months_fundable": 4, "remainder": 288_800_000, "monthly_cost": 352_800_000},
        ),
        # 4.500 people × 12 months × Rp 16.800 = Rp 907.200.000.
        (
            ["--budget", "907200000", "--participants", "4500", "--months", "12"],
            {"cost": 907_200_000, "months_fundable": 12, "remainder": 0},
        ),
        # Lumajang: 5.606 people × 7 months × Rp 16.800 = Rp 659.265.600.
        (
            ["--budget", "659265600", "--participants", "5606", "--months", "7"],
            {"cost": 659_265_600, "participants_fundable": 5_606, "participants_remainder": 0},
        ),
        # How many people Rp 1.700.000.000 covers for 12 months: 12 × Rp 16.800 = Rp 201.600
        # each, 8.432 people (Rp 1.699.891.200), Rp 108.800 left.
        (
            ["--budget", "1700000000", "--months", "12"],
            {"participants_fundable": 8_432, "participants_remainder": 108_800},
        ),
    ],
)
def test_the_budget_is_printed_exactly(args, expected):
    result = _rules("budget", *args, "--monthly-premium", "16800")

    assert {key: result[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("args", "total"),
    [
        # PP 82/2019 Pasal 34: Rp 20 juta lump sum + Rp 12 juta periodic + Rp 10 juta funeral.
        (["JKM"], 42_000_000),
        # Fewer than 3 consecutive paid months: Rp 10 juta only (BPJSTK operational rule).
        (["JKM", "--paid-months", "2"], 10_000_000),
        # PP 82/2019 Lampiran III: 48 × Rp 1.000.000 + Rp 12 juta periodic + Rp 10 juta funeral.
        (["JKK-DEATH"], 70_000_000),
        # Cacat total tetap: 56 × Rp 1.000.000 + Rp 12 juta periodic.
        (["JKK-CTT"], 68_000_000),
        # STMB: 12 months at 100 % (Rp 12 juta) + 2 months at 50 % (Rp 1 juta).
        (["JKK-STMB", "--months-off-work", "14"], 13_000_000),
    ],
)
def test_the_benefit_is_printed_exactly(args, total):
    result = _rules("benefit", *args, "--date", "2026-11-22")

    assert result["total"] == total
    assert sum(result["parts"].values()) == total
    assert "PP 82/2019" in result["legal_basis"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # Below the Rp 1.000.000 floor of PP 44/2015 Lampiran II.
        (["premium", "--income", "500000", "--month", "2025-06"], "di luar rentang"),
        (["premium", "--income", "1000000", "--benefits", "JKK"], "wajib mengikuti JKK dan JKM"),
        (["premium", "--income", "1000000", "--month", "06-2025"], "--month harus berformat"),
        (["budget", "--budget", "1000"], "isi --participants dan/atau --months"),
        (["premium", "--income", "1000000", "--pemda", "tidak-ada"], "tidak ditemukan"),
    ],
)
def test_a_wrong_request_is_a_usage_error_in_indonesian(args, message):
    with pytest.raises(UsageError, match=message):
        call_command("rules", *args, stdout=StringIO())


def test_a_pemdas_own_version_is_used_with_pemda(admin, pemda):
    payload = DEFAULT_CONTRIBUTION_TABLE.to_dict() | {
        "version": "uji-2027",
        "effective_from": "2027-01-01",
        "jkm_flat": 7_000,
    }
    rule_version_add(actor=admin, pemda=pemda, kind="contribution", payload=payload)

    national = _rules("premium", "--income", "1000000", "--month", "2027-01")
    own = _rules("premium", "--income", "1000000", "--month", "2027-01", "--pemda", pemda.code)

    # Rp 10.000 JKK + the Pemda's JKM Rp 7.000 from January 2027.
    assert (national["monthly_total"], own["monthly_total"]) == (16_800, 17_000)
