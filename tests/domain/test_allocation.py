"""Allocation within quota and money, with figures worked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from lindung.domain.allocation import (
    Candidate,
    Capacity,
    Outcome,
    WaitReason,
    allocate,
    months_between,
    priority_order,
    rank,
    start_month_check,
)
from lindung.domain.rulebook import RuleError

T0 = datetime(2025, 8, 1, 8, 0, tzinfo=UTC)
APBD, ADD = 1, 2


def person(key, *, agency=10, source=APBD, renewal=False, desil=None, risk=None, born=None,
           minutes=0, village="64.02.01.2001"):  # fmt: skip
    return Candidate(
        key=key,
        renewal=renewal,
        desil=desil,
        risk_rank=risk,
        birth_date=born,
        submitted_at=T0 + timedelta(minutes=minutes),
        agency_id=agency,
        village_code=village,
        funding_source_id=source,
    )


def test_kutai_kartanegara_four_months_from_september_fund_21000_with_288_8_juta_left():
    # Program January–December; started in September → September..December = 4 months.
    start = start_month_check(
        requested=None, as_of=date(2025, 8, 20), program_start=date(2025, 1, 1), coverage_months=12
    )
    assert (start.month, start.months) == (date(2025, 9, 1), 4)
    # 25.000 candidates, quota 21.000, Rp 1.700.000.000 at Rp 16.800 × 4 = Rp 67.200 each.
    people = [person(k, minutes=k) for k in range(25_000)]
    capacity = Capacity(
        program_free=21_000, money_left={APBD: 1_700_000_000}, cost_per_person={APBD: 67_200}
    )
    result = allocate(people, policy=None, capacity=capacity)
    assert result.allocated == 21_000
    assert result.waiting == 4_000
    assert result.cost == 1_411_200_000  # 21.000 × 67.200
    assert 1_700_000_000 - result.cost == 288_800_000
    assert result.waiting_by_reason() == {"quota_program": 4_000}


def test_quota_and_budget_bind_together():
    # Quota 5; agency 10 may take 2; APBD has money for 2 people (Rp 150.000 at Rp 67.200),
    # ADD for 1 (Rp 70.000).
    people = [
        person(1, agency=10, source=APBD, minutes=1),  # allocated (agency 10: 1 of 2)
        person(2, agency=10, source=APBD, minutes=2),  # allocated (agency 10 full; APBD 15.600)
        person(3, agency=10, source=APBD, minutes=3),  # waits: agency quota
        person(4, agency=20, source=APBD, minutes=4),  # waits: APBD money (15.600 < 67.200)
        person(5, agency=20, source=ADD, minutes=5),  # allocated (ADD 2.800 left)
        person(6, agency=20, source=None, minutes=6),  # waits: no funding source
        person(7, agency=20, source=ADD, minutes=7),  # waits: ADD money
    ]
    capacity = Capacity(
        program_free=5,
        agency_free={10: 2},
        money_left={APBD: 150_000, ADD: 70_000},
        cost_per_person={APBD: 67_200, ADD: 67_200},
    )
    result = allocate(people, policy=None, capacity=capacity)
    got = [(p.key, p.outcome, p.wait_reason) for p in result.placements]
    assert got == [
        (1, Outcome.ALLOCATED, None),
        (2, Outcome.ALLOCATED, None),
        (3, Outcome.WAITING, WaitReason.QUOTA_AGENCY),
        (4, Outcome.WAITING, WaitReason.BUDGET),
        (5, Outcome.ALLOCATED, None),
        (6, Outcome.WAITING, WaitReason.NO_FUNDING),
        (7, Outcome.WAITING, WaitReason.BUDGET),
    ]
    assert result.cost == 3 * 67_200
    assert result.spent == {APBD: 134_400, ADD: 67_200}


def test_the_program_quota_stops_everyone_after_it_is_full():
    people = [person(k, minutes=k) for k in range(4)]
    capacity = Capacity(program_free=2, money_left={APBD: 10**9}, cost_per_person={APBD: 1})
    result = allocate(people, policy=None, capacity=capacity)
    assert [p.wait_reason for p in result.placements] == [
        None, None, WaitReason.QUOTA_PROGRAM, WaitReason.QUOTA_PROGRAM,
    ]  # fmt: skip


def test_a_region_quota_applies_to_every_village_under_its_code():
    people = [
        person(1, village="64.02.01.2001", minutes=1),
        person(2, village="64.02.01.2002", minutes=2),  # same district: its quota of 1 is used
        person(3, village="64.02.02.2001", minutes=3),  # another district: no quota
        person(4, village="", minutes=4),  # no village known: no region quota applies
    ]
    capacity = Capacity(
        program_free=10,
        region_free={"64.02.01": 1},
        money_left={APBD: 10**9},
        cost_per_person={APBD: 1},
    )
    result = allocate(people, policy=None, capacity=capacity)
    assert [p.wait_reason for p in result.placements] == [
        None, WaitReason.QUOTA_AREA, None, None,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        # Default: renewal, desil, job risk, age, handed in.
        (None, [4, 2, 3, 1, 5]),
        (["desil", "renewal"], [2, 4, 1, 3, 5]),
        (["job_risk"], [1, 3, 2, 4, 5]),
        (["age"], [5, 3, 1, 2, 4]),
        (["submitted_at"], [1, 2, 3, 4, 5]),
        (["nonsense"], [4, 2, 3, 1, 5]),  # unknown criteria dropped → default
    ],
    ids=["default", "desil-first", "risk", "age", "handed-in", "unknown"],
)
def test_candidates_are_ranked_by_the_program_priority_policy(policy, expected):
    people = [
        person(1, desil=3, risk=0, born=date(1980, 1, 1), minutes=1),
        person(2, desil=1, risk=1, born=date(1990, 1, 1), minutes=2),
        person(3, desil=3, risk=0, born=date(1970, 1, 1), minutes=3),
        person(4, desil=2, risk=2, born=date(1995, 1, 1), minutes=4, renewal=True),
        person(5, desil=None, risk=None, born=date(1960, 1, 1), minutes=5),
    ]
    assert [c.key for c in rank(people, policy)] == expected


def test_ties_are_broken_by_time_handed_in_then_key():
    people = [person(9, minutes=1), person(3, minutes=1), person(1, minutes=2)]
    assert [c.key for c in rank(people, ["desil"])] == [3, 9, 1]
    assert [c.key for c in rank(reversed(people), ["desil"])] == [3, 9, 1]


def test_priority_order_keeps_the_policy_order_without_repeats():
    assert [c.value for c in priority_order(["age", "renewal", "age"])] == ["age", "renewal"]


@pytest.mark.parametrize(
    ("requested", "as_of", "month", "months", "earlier"),
    [
        (None, date(2025, 8, 20), date(2025, 9, 1), 4, False),
        (date(2025, 12, 1), date(2025, 8, 20), date(2025, 12, 1), 1, False),
        (date(2025, 3, 15), date(2025, 8, 20), date(2025, 3, 1), 10, True),
        (None, date(2024, 11, 2), date(2025, 1, 1), 12, False),  # before the year: its start
    ],
)
def test_the_start_month_sets_the_months_to_the_end_of_the_program(
    requested, as_of, month, months, earlier
):
    start = start_month_check(
        requested=requested, as_of=as_of, program_start=date(2025, 1, 1), coverage_months=12
    )
    assert (start.month, start.months, start.earlier_than_default) == (month, months, earlier)


@pytest.mark.parametrize("requested", [date(2024, 12, 1), date(2026, 1, 1)])
def test_a_start_month_outside_the_program_year_is_refused(requested):
    with pytest.raises(RuleError, match="di luar tahun program"):
        start_month_check(
            requested=requested,
            as_of=date(2025, 8, 20),
            program_start=date(2025, 1, 1),
            coverage_months=12,
        )


def test_months_between_counts_both_ends():
    assert months_between(date(2025, 9, 1), date(2025, 12, 1)) == 4
    assert months_between(date(2025, 12, 1), date(2025, 9, 1)) == 0
