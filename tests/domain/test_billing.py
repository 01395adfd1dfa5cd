"""Which months a participant is billed for and what a bill comes to, with hand-worked
figures (DESIGN §4; PP 44/2015 Pasal 20)."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.domain.billing import (
    apportion_payments,
    bill_total,
    billed_months,
    is_billed,
    program_month_list,
)
from lindung.domain.contributions import monthly_premium
from lindung.domain.rulebook import Payer, RuleError

JAN, DEC = date(2026, 1, 1), date(2026, 12, 1)


def _months(*numbers: int) -> list[date]:
    return [date(2026, n, 1) for n in numbers]


# fmt: off
BILLED_CASES = [
    # An entry in March (TMT 10 March) is billed from March, through the program's December.
    pytest.param(date(2026, 3, 10), None, _months(*range(3, 13)), id="entry-in-march"),
    # Leaving on 30 September: billed through September only.
    pytest.param(JAN, date(2026, 9, 30), _months(*range(1, 10)), id="leaves-30-september"),
    # Leaving on 1 October still pays October: the month the enrolment ends is billed.
    pytest.param(JAN, date(2026, 10, 1), _months(*range(1, 11)), id="leaves-1-october"),
    # A TMT from last year's renewal is billed only from the program's first month.
    pytest.param(date(2025, 11, 1), None, _months(*range(1, 13)), id="tmt-before-program"),
    # Entry and exit in the same month: one month.
    pytest.param(date(2026, 5, 3), date(2026, 5, 20), _months(5), id="one-month"),
    # No effective date (approved, sent, rejected): never billed.
    pytest.param(None, None, [], id="no-effective-date"),
    # Ended before the program began: nothing.
    pytest.param(date(2025, 6, 1), date(2025, 12, 31), [], id="ended-before-program"),
]
# fmt: on


@pytest.mark.parametrize(("started_on", "ended_on", "expected"), BILLED_CASES)
def test_it_bills_from_the_effective_month_through_the_end_month(started_on, ended_on, expected):
    months = billed_months(
        started_on=started_on, ended_on=ended_on, program_first=JAN, program_last=DEC
    )
    assert months == expected
    for month in program_month_list(JAN, 12):
        assert is_billed(
            month=month, started_on=started_on, ended_on=ended_on,
            program_first=JAN, program_last=DEC,
        ) == (month in expected)  # fmt: skip


def test_it_never_bills_outside_the_program_months():
    assert not is_billed(
        month=date(2027, 1, 1), started_on=JAN, ended_on=None, program_first=JAN, program_last=DEC
    )
    assert not is_billed(
        month=date(2025, 12, 1),
        started_on=date(2025, 1, 1),
        ended_on=None,
        program_first=JAN,
        program_last=DEC,
    )


def test_madiun_4500_participants_for_12_months_cost_907_200_000():
    # Kota Madiun "Siaga Kita": 4.500 × 12 × (JKK Rp 10.000 + JKM Rp 6.800) = Rp 907.200.000.
    total = 0
    for month in billed_months(started_on=JAN, ended_on=None, program_first=JAN, program_last=DEC):
        premium = monthly_premium(
            income=1_000_000, benefits=["jkk", "jkm"], month=month, payer=Payer.APBD
        )
        total += 4_500 * premium.monthly_total
    assert total == 907_200_000


def test_jkk_jkm_jht_at_the_1_juta_band_is_36_800_a_line():
    premium = monthly_premium(
        income=1_000_000, benefits=["jkk", "jkm", "jht"], month=JAN, payer=Payer.APBD
    )
    # JKK 1 % × Rp 1 juta = 10.000; JKM flat 6.800; JHT 2 % × Rp 1 juta = 20.000.
    totals = bill_total([premium.parts, premium.parts])
    assert premium.monthly_total == 36_800
    assert totals.participants == 2
    assert totals.total == 73_600
    assert totals.parts == {"JKK": 20_000, "JKM": 13_600, "JHT": 40_000}


def test_a_negative_part_is_refused():
    with pytest.raises(RuleError):
        bill_total([{"jkk": -1}])


def test_payments_fill_their_months_in_order_and_a_partial_payment_leaves_one_short():
    feb, mar, apr = _months(2, 3, 4)
    billed = {feb: 50_400, mar: 50_400, apr: 50_400}
    # One SP2D for February and March (Rp 84.000): February paid in full, March Rp 33.600;
    # a second for March and April (Rp 67.200): March's Rp 16.800 still owed, then April.
    paid = apportion_payments(billed, [(84_000, [mar, feb]), (67_200, [mar, apr])])
    assert paid == {feb: 50_400, mar: 50_400, apr: 50_400}
    paid = apportion_payments(billed, [(84_000, [feb, mar])])
    assert paid == {feb: 50_400, mar: 33_600, apr: 0}


def test_an_overpayment_goes_to_the_last_month_and_a_correction_takes_it_back():
    feb, mar = _months(2, 3)
    billed = {feb: 16_800, mar: 16_800}
    paid = apportion_payments(billed, [(40_000, [feb, mar])])
    assert paid == {feb: 16_800, mar: 23_200}
    paid = apportion_payments(billed, [(40_000, [feb, mar]), (-6_400, [mar])])
    assert paid == {feb: 16_800, mar: 16_800}
    # A correction larger than what its months received leaves the last one negative.
    paid = apportion_payments(billed, [(16_800, [feb]), (-20_000, [feb])])
    assert paid == {feb: -3_200, mar: 0}
