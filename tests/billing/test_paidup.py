"""Arrears of a program per funding source × month, participants counted by their window of
billed months (due by the 15th: DESIGN §4, PP 44/2015 Pasal 39 & 42)."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.billing.paidup import arrears_of, arrears_participants, billed_window
from lindung.domain.arrears import MonthState
from tests.billing.money_rows import pay
from tests.factories import AgencyFactory, EnrolmentFactory

JAN, FEB, MAR, APR, MAY, JUN = (dt.date(2025, m, 1) for m in range(1, 7))


@pytest.fixture
def people(program, funding_source):
    """Three from January, one from 10 March, one who left on 20 February."""
    agency = AgencyFactory(pemda=program.pemda)
    made = [
        EnrolmentFactory(program=program, funding_source=funding_source, agency=agency)
        for _ in range(3)
    ]
    made.append(
        EnrolmentFactory(
            program=program,
            funding_source=funding_source,
            agency=agency,
            started_on=dt.date(2025, 3, 10),
            start_month=MAR,
        )
    )
    made.append(
        EnrolmentFactory(
            program=program,
            funding_source=funding_source,
            agency=agency,
            status="ended",
            ended_on=dt.date(2025, 2, 20),
        )
    )
    return made


def test_a_participant_is_billed_from_the_effective_month_through_the_end_month() -> None:
    first, last = JAN, dt.date(2025, 12, 1)
    assert billed_window(dt.date(2025, 3, 10), None, first, last) == (MAR, last)
    assert billed_window(dt.date(2025, 1, 2), dt.date(2025, 9, 30), first, last) == (
        JAN,
        dt.date(2025, 9, 1),
    )
    assert billed_window(None, None, first, last) is None


def test_two_months_past_due_make_the_source_red(people, funding_source) -> None:
    pay(funding_source, [JAN, FEB, MAR], paid_on=dt.date(2025, 3, 14), amount=1)
    arrears = arrears_of(funding_source.program, dt.date(2025, 5, 16))
    (source,) = arrears.sources
    assert source.status.paid_through == MAR
    assert [m.month for m in source.overdue] == [APR, MAY]
    assert source.red
    # April: the 3 January people + the March one; the leaver's last month was February.
    april = source.months[3]
    assert (april.participants, april.amount, april.state) == (4, 4 * 16_800, MonthState.OVERDUE)
    assert source.by_state["red"] == 4
    assert source.by_state["paid_up"] == 1  # the leaver: January and February paid
    (alert,) = arrears.alerts  # one line per source: its oldest unpaid month
    assert ([m.month for m in alert.months], alert.red) == ([APR, MAY], True)
    assert alert.participants == 4


def test_a_month_whose_15th_is_near_raises_an_amber_alert(people, funding_source) -> None:
    pay(funding_source, [JAN, FEB, MAR], paid_on=dt.date(2025, 3, 14), amount=1)
    arrears = arrears_of(funding_source.program, dt.date(2025, 4, 12))
    (alert,) = arrears.alerts
    assert (alert.month.month, alert.month.state, alert.red) == (APR, MonthState.DUE_SOON, False)
    assert alert.month.participants == 4
    assert alert.participants == 4
    assert arrears.by_state["due_soon"] == 4


def test_a_payment_dated_after_the_day_asked_about_does_not_count(people, funding_source) -> None:
    pay(funding_source, [JAN], paid_on=dt.date(2025, 1, 10), amount=1)
    pay(funding_source, [FEB], paid_on=dt.date(2025, 2, 20), amount=1)
    before = arrears_of(funding_source.program, dt.date(2025, 2, 18)).sources[0]
    assert [m.month for m in before.overdue] == [FEB]
    after = arrears_of(funding_source.program, dt.date(2025, 2, 20)).sources[0]
    assert after.overdue == []


def test_a_negative_correction_pays_no_month(people, funding_source) -> None:
    pay(funding_source, [JAN], paid_on=dt.date(2025, 1, 10), amount=-50_400)
    source = arrears_of(funding_source.program, dt.date(2025, 1, 20)).sources[0]
    assert [m.month for m in source.overdue] == [JAN]


def test_the_arrears_list_names_everyone_not_paid_up(people, funding_source) -> None:
    pay(funding_source, [JAN, FEB], paid_on=dt.date(2025, 2, 14), amount=1)
    arrears = arrears_of(funding_source.program, dt.date(2025, 3, 20))
    listed = list(arrears_participants(arrears))
    assert len(listed) == 4  # everyone but the leaver
    assert {p.status.unpaid_due for p in listed} == {(MAR,)}


def test_arrears_take_a_few_queries_whatever_the_number_of_people(
    people, funding_source, django_assert_max_num_queries
):
    program = funding_source.program
    with django_assert_max_num_queries(6):
        arrears_of(program, dt.date(2025, 5, 16))
