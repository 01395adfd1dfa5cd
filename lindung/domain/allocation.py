"""Allocation: eligible candidates ranked by the program's priority policy and fitted within
quota and money, the rest on a waiting list with the reason they wait.

Sources:

- DESIGN §3 step 4: the eligible candidates of the current verification run are ranked and
  fitted within the program quota, the per-agency and per-area quotas, and the money left for
  the months from the start month to the end of the program year.
- The priority order is the Pemda's policy in the program's Perbup (`Program.priority_policy`):
  by default renewals (last year's participants) first, then the lowest DTSEN decile
  (Inpres 4/2025), the highest job risk, the oldest, the earliest handed in. Ties are broken
  by the time handed in and then the candidate's key, so the same input always gives the
  same ranking.
- Contributions are paid for whole months (PP 44/2015 Pasal 39 & 42): a person is allocated
  only when their source can pay every month from the start month to the program's last.

Greedy in rank order: a candidate who does not fit waits with the first reason that stopped
them (program quota, agency quota, area quota, no funding source, money), and later
candidates may still fit (another agency with quota left, a source with money left).

Pure Python: no Django. Amounts are whole rupiah.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from lindung.domain.rulebook import RuleError


class Criterion(StrEnum):
    """A criterion of the priority order (the values of `programs.PriorityCriterion`)."""

    RENEWAL = "renewal"
    DESIL = "desil"
    JOB_RISK = "job_risk"
    AGE = "age"
    SUBMITTED_AT = "submitted_at"


DEFAULT_PRIORITY: Final = (
    Criterion.RENEWAL,
    Criterion.DESIL,
    Criterion.JOB_RISK,
    Criterion.AGE,
    Criterion.SUBMITTED_AT,
)


class Outcome(StrEnum):
    ALLOCATED = "allocated"
    WAITING = "waiting"


class WaitReason(StrEnum):
    """Why a candidate waits, in the order the checks are made."""

    QUOTA_PROGRAM = "quota_program"
    QUOTA_AGENCY = "quota_agency"
    QUOTA_AREA = "quota_area"
    NO_FUNDING = "no_funding"
    BUDGET = "budget"


# Job risk rank: the higher the risk the earlier (JKK protects against work accidents).
RISK_RANK: Final = {"high": 0, "medium": 1, "low": 2}
_UNKNOWN: Final = 1 << 40


@dataclass(frozen=True, slots=True)
class Candidate:
    """One eligible person as allocation sees them.

    `risk_rank` 0 is the highest job risk (see `RISK_RANK`); `village_code` is the 13-character
    Kemendagri code ("35.04.02.2001", blank when unknown): a region quota applies to every
    candidate whose village code starts with the region's code."""

    key: int
    renewal: bool
    desil: int | None
    risk_rank: int | None
    birth_date: date | None
    submitted_at: datetime | None
    agency_id: int
    village_code: str
    funding_source_id: int | None


@dataclass(frozen=True)
class Capacity:
    """What is free before this allocation: program quota, quota per agency and per region
    code (only those that have one), money left per funding source; and what one person
    costs a source for all the months."""

    program_free: int
    money_left: Mapping[int, int]
    cost_per_person: Mapping[int, int]
    agency_free: Mapping[int, int] = field(default_factory=dict)
    region_free: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Placement:
    key: int
    rank: int
    outcome: Outcome
    wait_reason: WaitReason | None
    funding_source_id: int | None


@dataclass(frozen=True)
class AllocationResult:
    placements: list[Placement]
    allocated: int
    waiting: int
    cost: int
    spent: dict[int, int]  # per funding source

    def waiting_by_reason(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.placements:
            if p.wait_reason is not None:
                counts[p.wait_reason.value] = counts.get(p.wait_reason.value, 0) + 1
        return counts


def priority_order(policy: Iterable[str] | None) -> tuple[Criterion, ...]:
    """The criteria of a program's policy in its order (unknown values and repeats dropped);
    the default order when the policy names none."""
    chosen: list[Criterion] = []
    for value in policy or ():
        try:
            criterion = Criterion(value)
        except ValueError:
            continue
        if criterion not in chosen:
            chosen.append(criterion)
    return tuple(chosen) or DEFAULT_PRIORITY


def _stamp(value: datetime | None) -> float:
    return value.timestamp() if value is not None else float(_UNKNOWN)


def _sort_key(criteria: Sequence[Criterion]) -> Callable[[Candidate], tuple[float, ...]]:
    def key(c: Candidate) -> tuple[float, ...]:
        parts: list[float] = []
        for criterion in criteria:
            if criterion is Criterion.RENEWAL:
                parts.append(0 if c.renewal else 1)
            elif criterion is Criterion.DESIL:
                parts.append(c.desil if c.desil is not None else _UNKNOWN)
            elif criterion is Criterion.JOB_RISK:
                parts.append(c.risk_rank if c.risk_rank is not None else _UNKNOWN)
            elif criterion is Criterion.AGE:
                parts.append(c.birth_date.toordinal() if c.birth_date else _UNKNOWN)
            else:
                parts.append(_stamp(c.submitted_at))
        parts.append(_stamp(c.submitted_at))
        parts.append(c.key)
        return tuple(parts)

    return key


def rank(candidates: Iterable[Candidate], policy: Iterable[str] | None) -> list[Candidate]:
    """The candidates in priority order, deterministically (ties: handed in, then key)."""
    return sorted(candidates, key=_sort_key(priority_order(policy)))


def allocate(
    candidates: Iterable[Candidate], *, policy: Iterable[str] | None, capacity: Capacity
) -> AllocationResult:
    """Rank the candidates and fit them, greedily in rank order, within the capacity."""
    program_free = capacity.program_free
    agency_free = dict(capacity.agency_free)
    region_free = dict(capacity.region_free)
    money = dict(capacity.money_left)
    lengths = sorted({len(code) for code in region_free})
    spent: dict[int, int] = {}
    placements: list[Placement] = []
    allocated = 0
    for number, c in enumerate(rank(candidates, policy), start=1):
        regions = [c.village_code[:n] for n in lengths if c.village_code[:n] in region_free]
        source = c.funding_source_id
        reason: WaitReason | None = None
        if program_free <= 0:
            reason = WaitReason.QUOTA_PROGRAM
        elif agency_free.get(c.agency_id, 1) <= 0:
            reason = WaitReason.QUOTA_AGENCY
        elif any(region_free[r] <= 0 for r in regions):
            reason = WaitReason.QUOTA_AREA
        elif source is None or source not in capacity.cost_per_person:
            reason = WaitReason.NO_FUNDING
        elif money.get(source, 0) < capacity.cost_per_person[source]:
            reason = WaitReason.BUDGET
        if reason is not None or source is None:
            placements.append(
                Placement(c.key, number, Outcome.WAITING, reason or WaitReason.NO_FUNDING, source)
            )
            continue
        cost = capacity.cost_per_person[source]
        program_free -= 1
        if c.agency_id in agency_free:
            agency_free[c.agency_id] -= 1
        for r in regions:
            region_free[r] -= 1
        money[source] -= cost
        spent[source] = spent.get(source, 0) + cost
        allocated += 1
        placements.append(Placement(c.key, number, Outcome.ALLOCATED, None, source))
    return AllocationResult(
        placements=placements,
        allocated=allocated,
        waiting=len(placements) - allocated,
        cost=sum(spent.values()),
        spent=spent,
    )


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """Months from `first`'s month to `last`'s, both included (0 when `last` is earlier)."""
    return max((last.year - first.year) * 12 + last.month - first.month + 1, 0)


@dataclass(frozen=True)
class StartMonth:
    month: date
    months: int
    earlier_than_default: bool  # accepted for recording what already happened


def start_month_check(
    *, requested: date | None, as_of: date, program_start: date, coverage_months: int
) -> StartMonth:
    """The first month the allocation pays for and how many months that leaves to the
    program's last month. Default: the month after `as_of` (or the program's first month if
    later). A month before the default but inside the program year is accepted (recording
    what already happened); a month outside it is refused (`RuleError`, Indonesian)."""
    first = program_start.replace(day=1)
    last = add_months(first, coverage_months - 1)
    default = max(add_months(as_of.replace(day=1), 1), first)
    month = (requested or default).replace(day=1)
    if not first <= month <= last:
        raise RuleError(
            f"Bulan mulai {month:%m-%Y} di luar tahun program ({first:%m-%Y} sampai {last:%m-%Y})."
        )
    return StartMonth(
        month=month, months=months_between(month, last), earlier_than_default=month < default
    )
