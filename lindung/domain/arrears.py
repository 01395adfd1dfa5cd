"""Paid-through months and arrears of one participant (or of one funding source: everybody it
pays for shares its payments).

Rules (DESIGN §4; PP 44/2015 Pasal 39 & 42 for BPU):
- a month's contribution is due by the 15th of the month it covers; paying on the 15th is on
  time, the 16th is late;
- a month counts as paid once a payment covering it is recorded (the caller passes the paid
  months, e.g. those recorded on or before ``as_of`` for a claim);
- arrears of up to 3 months can still be settled; more than 3 consecutive unpaid months ends
  the entitlement to JKK and JKM, and a later payment starts a *new* membership;
- the run of consecutive paid months up to ``as_of`` decides the JKM waiting rule for claims
  (fewer than 3: only the funeral benefit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

DUE_DAY = 15  # contributions are due by the 15th of the month covered
DUE_SOON_DAYS = 5  # an unpaid month is flagged this many days before its due date
RED_UNPAID = 2  # unpaid months past due that raise the red alert
LAPSE_AFTER = 3  # more than this many consecutive unpaid months ends JKK/JKM entitlement


class PaidState(StrEnum):
    PAID_UP = "paid_up"
    DUE_SOON = "due_soon"
    IN_ARREARS = "in_arrears"
    RED = "red"
    LAPSED = "lapsed"


class MonthState(StrEnum):
    PAID = "paid"
    NOT_DUE = "not_due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def due_date(month: dt.date) -> dt.date:
    """The day the contribution for ``month`` is due: the 15th of that month."""
    return month.replace(day=DUE_DAY)


def month_state(month: dt.date, *, paid: bool, as_of: dt.date) -> MonthState:
    """One month's state on ``as_of``: paid, not yet due, due within 5 days, or overdue."""
    if paid:
        return MonthState.PAID
    due = due_date(month)
    if as_of > due:
        return MonthState.OVERDUE
    if (due - as_of).days <= DUE_SOON_DAYS:
        return MonthState.DUE_SOON
    return MonthState.NOT_DUE


@dataclass(frozen=True)
class PaidStatus:
    state: PaidState
    paid_through: dt.date | None  # last month of the current membership paid without a gap
    paid_run: int  # consecutive paid months up to as_of
    unpaid_due: tuple[dt.date, ...]  # overdue months of the current membership
    due_soon: tuple[dt.date, ...]  # unpaid months whose due date is within 5 days
    membership_start: dt.date | None  # first month of the current membership

    def to_dict(self) -> dict[str, object]:
        return {
            "state": str(self.state),
            "paid_through": self.paid_through.isoformat() if self.paid_through else None,
            "paid_run": self.paid_run,
            "unpaid_due": [m.isoformat() for m in self.unpaid_due],
            "due_soon": [m.isoformat() for m in self.due_soon],
        }


def _firsts(months: Iterable[dt.date]) -> list[dt.date]:
    return sorted({m.replace(day=1) for m in months})


def _membership_start(states: list[tuple[dt.date, MonthState]]) -> int:
    """Index of the first month of the current membership: after the last run of more than
    3 consecutive overdue months that a later payment closed."""
    start, run = 0, 0
    for i, (_month, state) in enumerate(states):
        if state == MonthState.OVERDUE:
            run += 1
        elif state == MonthState.PAID:
            if run > LAPSE_AFTER:
                start = i
            run = 0
    return start


def paid_status(
    *, billed: Iterable[dt.date], paid: Collection[dt.date], as_of: dt.date
) -> PaidStatus:
    """Where a participant billed for ``billed`` months stands on ``as_of`` given the months
    ``paid`` for them (first-of-month dates; other days are read as their month)."""
    months = _firsts(billed)
    paid_set = {m.replace(day=1) for m in paid}
    states = [(m, month_state(m, paid=m in paid_set, as_of=as_of)) for m in months]
    current = states[_membership_start(states) :]

    paid_through = None
    for month, state in current:
        if state != MonthState.PAID:
            break
        paid_through = month

    run = 0
    for month, state in reversed(current):
        if month > as_of:
            continue
        if state == MonthState.PAID:
            run += 1
        elif state == MonthState.OVERDUE:
            break

    overdue = tuple(m for m, s in current if s == MonthState.OVERDUE)
    soon = tuple(m for m, s in current if s == MonthState.DUE_SOON)
    trailing = 0
    for _month, state in reversed(current):
        if state == MonthState.OVERDUE:
            trailing += 1
        elif state == MonthState.PAID:
            break
    if trailing > LAPSE_AFTER:
        state_ = PaidState.LAPSED
    elif len(overdue) >= RED_UNPAID:
        state_ = PaidState.RED
    elif overdue:
        state_ = PaidState.IN_ARREARS
    elif soon:
        state_ = PaidState.DUE_SOON
    else:
        state_ = PaidState.PAID_UP
    return PaidStatus(
        state=state_,
        paid_through=paid_through,
        paid_run=run,
        unpaid_due=overdue,
        due_soon=soon,
        membership_start=current[0][0] if current else None,
    )
