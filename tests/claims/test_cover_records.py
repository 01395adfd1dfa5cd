"""Cover and entitlement from RECORDED payments (Payment + PaymentMonth rows): PP 82/2019
Pasal 25 & 34, PP 44/2015 Pasal 39 & 42; declared income Rp 1.000.000."""

import datetime as dt
from decimal import Decimal

import pytest

from lindung.claims.cover import entitlement_for, paid_months_by
from lindung.domain.cover import ClaimType
from tests.claims.conftest import record_payment
from tests.factories import EnrolmentFactory, FundingSourceFactory

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR = (dt.date(2025, m, 1) for m in (1, 2, 3, 4))


def entitled(participant, kind, day, **options):
    _, result = entitlement_for(
        enrolment=participant, kind=kind, incident_on=day, today=dt.date(2026, 1, 5), **options
    )
    return result


def test_three_consecutive_paid_months_and_a_death_of_illness_give_42_juta(
    participant, funding_source, finance
):
    record_payment(funding_source, [JAN, FEB, MAR], paid_on=dt.date(2025, 1, 10), by=finance)
    result = entitled(participant, ClaimType.JKM, dt.date(2025, 3, 20))
    assert result.parts == {"lump_sum": 20_000_000, "periodic": 12_000_000, "funeral": 10_000_000}
    assert result.total == 42_000_000


def test_two_paid_months_give_10_juta(participant, funding_source, finance):
    record_payment(funding_source, [JAN, FEB], paid_on=dt.date(2025, 1, 10), by=finance)
    assert entitled(participant, ClaimType.JKM, dt.date(2025, 2, 20)).total == 10_000_000


def test_four_unpaid_months_give_nothing(participant, funding_source, finance):
    record_payment(funding_source, [MAY := dt.date(2025, 5, 1)], paid_on=MAY, by=finance)
    result = entitled(participant, ClaimType.JKM, dt.date(2025, 4, 20))
    assert not result.entitled
    assert result.total == 0
    assert "4 bulan" in " ".join(result.reasons)


def test_a_work_accident_death_at_the_1_juta_band_gives_70_juta(
    participant, funding_source, finance
):
    record_payment(funding_source, [JAN], paid_on=dt.date(2025, 1, 10), by=finance)
    assert entitled(participant, ClaimType.JKK_DEATH, dt.date(2025, 1, 20)).total == 70_000_000


def test_fourteen_months_off_work_give_13_juta_of_stmb(participant, funding_source, finance):
    record_payment(funding_source, [JAN], paid_on=dt.date(2025, 1, 10), by=finance)
    result = entitled(
        participant, ClaimType.JKK_STMB, dt.date(2025, 1, 20), months_off_work=Decimal(14)
    )
    assert result.total == 13_000_000


def test_a_payment_recorded_after_the_death_does_not_count(participant, funding_source, finance):
    # The SP2D is dated before the death but entered into Lindung the day after it.
    record_payment(
        funding_source, [JAN, FEB, MAR], paid_on=dt.date(2025, 3, 1),
        recorded_on=dt.date(2025, 3, 21), by=finance,
    )  # fmt: skip
    assert entitled(participant, ClaimType.JKM, dt.date(2025, 3, 20)).total == 10_000_000
    assert entitled(participant, ClaimType.JKM, dt.date(2025, 3, 21)).total == 42_000_000


def test_a_payment_recorded_late_in_the_evening_counts_by_the_pemda_day(
    participant, funding_source, finance
):
    payment = record_payment(funding_source, [JAN], paid_on=JAN, by=finance)
    # 23:30 in Jakarta on 20 January is 16:30 UTC the same day
    late = dt.datetime(2025, 1, 20, 16, 30, tzinfo=dt.UTC)
    type(payment).objects.filter(pk=payment.pk).update(recorded_at=late)
    assert paid_months_by(enrolment=participant, incident_on=dt.date(2025, 1, 20)) == {JAN}
    assert paid_months_by(enrolment=participant, incident_on=dt.date(2025, 1, 19)) == set()


def test_another_sources_payment_does_not_cover_the_participant(participant, program, finance):
    other = FundingSourceFactory(program=program, code="apbdes", name="APBDes")
    record_payment(other, [JAN, FEB, MAR], paid_on=JAN, by=finance)
    assert not entitled(participant, ClaimType.JKM, dt.date(2025, 4, 20)).entitled


def test_last_years_paid_months_count_toward_the_scholarship(participant, funding_source, finance):
    years = []
    for year in (2022, 2023, 2024):
        last = EnrolmentFactory(
            program__pemda=participant.pemda, program__year=year,
            program__start_month=dt.date(year, 1, 1), worker=participant.worker,
            status="ended", ended_on=dt.date(year, 12, 31),
        )  # fmt: skip
        source = FundingSourceFactory(program=last.program)
        last.funding_source = source
        last.save()
        months = [dt.date(year, m, 1) for m in range(1, 13)]
        years.append(record_payment(source, months, paid_on=dt.date(year, 1, 5), by=finance))
    record_payment(funding_source, [JAN], paid_on=JAN, by=finance)
    cover, result = entitlement_for(
        enrolment=participant, kind=ClaimType.JKM, incident_on=dt.date(2025, 1, 20),
        today=dt.date(2025, 2, 1), children=1,
    )  # fmt: skip
    assert cover.contribution_months == 37
    assert cover.consecutive_paid == 37
    assert result.scholarship["eligible"] is True
    assert result.total == 42_000_000
