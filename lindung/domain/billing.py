"""Which months a participant is billed for, and what a month's bill comes to.

DESIGN §4 (contributions, due dates): the Pemda pays BPJS Ketenagakerjaan every month for
each participant whose protection runs in that month. Protection starts on the effective date
(TMT, `started_on`) that BPJS sets, and the contribution is a monthly amount (PP 44/2015
Pasal 20 jo. PP 82/2019: JKK + JKM, JHT where the program covers it), so a participant is
billed for the whole month the TMT falls in, through the month the enrolment ends (death,
resignation, end of the program) and never after. Nothing is billed outside the months the
program's Perbup/Perwal pays for (`Program.start_month` × `coverage_months`). An enrolment
without an effective date (approved, sent to BPJS, rejected) is not yet, or never, protected
and so never billed.

Pure Python: dates are passed in; rates come from `contributions.monthly_premium`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lindung.domain.rulebook import RuleError


def month_of(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    """The first day of the month after `month`'s."""
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def program_month_list(first: date, count: int) -> list[date]:
    """The `count` months of a program starting at `first`'s month."""
    months: list[date] = []
    month = month_of(first)
    for _ in range(count):
        months.append(month)
        month = next_month(month)
    return months


def is_billed(
    *,
    month: date,
    started_on: date | None,
    ended_on: date | None,
    program_first: date,
    program_last: date,
) -> bool:
    """Whether a participant is billed for `month` (DESIGN §4; PP 44/2015 Pasal 20; the
    program's Perbup): from the month of the effective date through the month the enrolment
    ends, within the program's months; never without an effective date."""
    if started_on is None:
        return False
    month = month_of(month)
    if not month_of(program_first) <= month <= month_of(program_last):
        return False
    if month < month_of(started_on):
        return False
    return ended_on is None or month <= month_of(ended_on)


def billed_months(
    *,
    started_on: date | None,
    ended_on: date | None,
    program_first: date,
    program_last: date,
) -> list[date]:
    """Every month a participant is billed for, in order (see `is_billed`)."""
    if started_on is None:
        return []
    first = max(month_of(started_on), month_of(program_first))
    last = month_of(program_last) if ended_on is None else min(month_of(ended_on), program_last)
    months: list[date] = []
    month = first
    while month <= month_of(last):
        months.append(month)
        month = next_month(month)
    return months


@dataclass(frozen=True)
class BillTotal:
    participants: int
    total: int
    parts: dict[str, int]


def bill_total(lines: Iterable[dict[str, int]]) -> BillTotal:
    """A bill's participants, total and total per benefit from its lines' parts
    ({"jkk": rp, "jkm": rp, "jht": rp}); each line's amount is the sum of its parts."""
    participants = 0
    parts: dict[str, int] = {}
    for line in lines:
        participants += 1
        for name, amount in line.items():
            if amount < 0:
                raise RuleError("Iuran tidak boleh negatif.")
            parts[name] = parts.get(name, 0) + amount
    return BillTotal(participants=participants, total=sum(parts.values()), parts=parts)


def apportion_payments(
    billed: dict[date, int], payments: Iterable[tuple[int, Iterable[date]]]
) -> dict[date, int]:
    """What each month has received from payments that may cover several months, for showing
    billed against paid (DESIGN §4: a month counts as paid once a payment covering it is
    recorded; a partial payment leaves it short). Payments are taken in the order given (by
    date); each fills its months in calendar order up to what is still owed for them, any
    excess going to its last month. A correction (negative) takes back from its months in
    reverse order down to zero, the rest from its last month."""
    paid: dict[date, int] = {month_of(m): 0 for m in billed}
    for amount, months in payments:
        covered = sorted({month_of(m) for m in months})
        if not covered:
            continue
        for month in covered:
            paid.setdefault(month, 0)
        left = amount
        if left >= 0:
            for month in covered:
                owed = max(billed.get(month, 0) - paid[month], 0)
                take = min(owed, left)
                paid[month] += take
                left -= take
        else:
            for month in reversed(covered):
                give = min(paid[month], -left)
                paid[month] -= give
                left += give
        paid[covered[-1]] += left
    return paid
