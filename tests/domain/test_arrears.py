"""Paid-through months and arrears (DESIGN §4; PP 44/2015 Pasal 39 & 42: due by the 15th of
the month covered, more than 3 consecutive unpaid months ends JKK/JKM entitlement, a later
payment starts a new membership). Every date below is worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.domain.arrears import MonthState, PaidState, due_date, month_state, paid_status


def m(month: int) -> dt.date:
    return dt.date(2026, month, 1)


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


YEAR = [m(i) for i in range(1, 13)]


def test_a_month_is_due_on_the_15th_of_the_month_it_covers() -> None:
    assert due_date(m(3)) == d(3, 15)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (d(3, 9), MonthState.NOT_DUE),  # 6 days before the 15th
        (d(3, 10), MonthState.DUE_SOON),  # 5 days before
        (d(3, 15), MonthState.DUE_SOON),  # the due date itself is still on time
        (d(3, 16), MonthState.OVERDUE),  # one day late
    ],
)
def test_an_unpaid_month_is_due_soon_within_5_days_of_its_15th(as_of, expected) -> None:
    assert month_state(m(3), paid=False, as_of=as_of) == expected


def test_a_paid_month_is_paid_whatever_the_date() -> None:
    assert month_state(m(3), paid=True, as_of=d(12, 31)) == MonthState.PAID


@pytest.mark.parametrize(
    ("paid", "as_of", "state", "through", "run", "unpaid"),
    [
        # Jan–Mar paid; on 5 April April's due date is 10 days away: paid up, run 3.
        ([1, 2, 3], d(4, 5), PaidState.PAID_UP, m(3), 3, []),
        # Same on 12 April: April's 15th is 3 days away.
        ([1, 2, 3], d(4, 12), PaidState.DUE_SOON, m(3), 3, []),
        # On 16 April April is one day late: in arrears, the run broken.
        ([1, 2, 3], d(4, 16), PaidState.IN_ARREARS, m(3), 0, [4]),
        # On 16 May April and May are unpaid: red.
        ([1, 2, 3], d(5, 16), PaidState.RED, m(3), 0, [4, 5]),
        # On 16 July April–July are 4 consecutive unpaid months: lapsed.
        ([1, 2, 3], d(7, 16), PaidState.LAPSED, m(3), 0, [4, 5, 6, 7]),
        # 3 unpaid months (April–June) on 16 June: still red, not yet lapsed.
        ([1, 2, 3], d(6, 16), PaidState.RED, m(3), 0, [4, 5, 6]),
        # Jan and Mar paid, Feb not, on 20 March: one month in arrears; run 1 (March).
        ([1, 3], d(3, 20), PaidState.IN_ARREARS, m(1), 1, [2]),
        # Nothing paid on 14 January: January is due tomorrow.
        ([], d(1, 14), PaidState.DUE_SOON, None, 0, []),
        # Paid in advance through June; run counts months up to as_of only (Jan–Mar).
        ([1, 2, 3, 4, 5, 6], d(3, 20), PaidState.PAID_UP, m(6), 3, []),
    ],
)
def test_paid_status_on_a_date(paid, as_of, state, through, run, unpaid) -> None:
    status = paid_status(billed=YEAR, paid={m(i) for i in paid}, as_of=as_of)
    assert status.state == state
    assert status.paid_through == through
    assert status.paid_run == run
    assert list(status.unpaid_due) == [m(i) for i in unpaid]


def test_a_payment_after_a_lapse_starts_a_new_membership() -> None:
    # Jan paid, Feb–May unpaid (4 months: lapsed), June paid again: on 20 June the new
    # membership starts in June, paid through June with a run of 1; Feb–May are not counted.
    status = paid_status(billed=YEAR, paid={m(1), m(6)}, as_of=d(6, 20))
    assert status.state == PaidState.PAID_UP
    assert status.membership_start == m(6)
    assert status.paid_through == m(6)
    assert status.paid_run == 1
    assert status.unpaid_due == ()


def test_a_participant_who_entered_in_march_owes_nothing_for_january() -> None:
    billed = [m(i) for i in range(3, 13)]  # March–December
    status = paid_status(billed=billed, paid={m(3)}, as_of=d(4, 20))
    assert status.state == PaidState.IN_ARREARS
    assert status.unpaid_due == (m(4),)
    assert status.paid_through == m(3)


def test_months_after_the_end_of_an_enrolment_are_not_owed() -> None:
    billed = [m(i) for i in range(1, 10)]  # left on 30 September: January–September
    status = paid_status(billed=billed, paid=set(billed), as_of=d(12, 20))
    assert status.state == PaidState.PAID_UP
    assert status.paid_through == m(9)
    assert status.paid_run == 9


def test_any_day_of_a_month_is_read_as_that_month() -> None:
    status = paid_status(billed=[d(1, 20), d(2, 3)], paid={d(1, 31)}, as_of=d(2, 20))
    assert status.unpaid_due == (m(2),)
    assert status.paid_through == m(1)
