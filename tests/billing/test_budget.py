"""Budget realisation, the burn-down with the month the money runs out, how many more
participants the money left funds, and budget revisions (APBD-Perubahan)."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.audit.models import AuditEvent
from lindung.billing.budget import budget_chart, budget_of, budget_revise, burn_down
from lindung.billing.models import BudgetRevision
from lindung.common.errors_domain import ServiceError
from lindung.domain.budget import participants_fundable
from tests.billing.money_rows import bill, pay
from tests.factories import EnrolmentFactory, FundingSourceFactory, ProgramFactory

JAN, FEB, MAR = (dt.date(2025, m, 1) for m in range(1, 4))


def test_rp_1_7_miliar_from_september_pays_21_000_workers_with_rp_288_8_juta_left() -> None:
    # 21.000 × Rp 16.800 = Rp 352.800.000 a month, September–December.
    lefts, runs_out = burn_down(1_700_000_000, [352_800_000] * 4)
    assert lefts == [1_347_200_000, 994_400_000, 641_600_000, 288_800_000]
    assert runs_out is None


def test_the_money_runs_out_in_the_first_month_it_goes_short() -> None:
    # Rp 1 miliar at Rp 352,8 juta a month: 3 × 352,8 juta = 1.058,4 juta > 1 miliar.
    lefts, runs_out = burn_down(1_000_000_000, [352_800_000] * 4)
    assert lefts[2] == -58_400_000
    assert runs_out == 2


def test_the_money_left_funds_more_participants_until_december() -> None:
    # Rp 288,8 juta for September–December at Rp 16.800: Rp 67.200 each → 4.297 people, Rp
    # 41.600 left over.
    fit = participants_fundable(budget=288_800_000, months=4, monthly_premium=16_800)
    assert (fit.participants, fit.remainder) == (4_297, 41_600)


@pytest.fixture
def small(pemda):
    """A September–December 2025 program with Rp 1.000.000 for two participants."""
    program = ProgramFactory(pemda=pemda, start_month=dt.date(2025, 9, 1), coverage_months=4)
    source = FundingSourceFactory(program=program, code="apbd", amount=1_000_000)
    people = [EnrolmentFactory(program=program, funding_source=source) for _ in range(2)]
    return program, source, people


def test_realisation_per_source(small) -> None:
    program, source, people = small
    sep, oct_ = dt.date(2025, 9, 1), dt.date(2025, 10, 1)
    bill(source, sep, people, each=16_800)
    pay(source, [sep], paid_on=dt.date(2025, 9, 12), amount=33_600)
    budget = budget_of(program, dt.date(2025, 9, 20))
    (row,) = budget.sources
    # 2 people × 4 months × Rp 16.800 = Rp 134.400 committed.
    assert (row.amount, row.committed, row.billed, row.paid) == (1_000_000, 134_400, 33_600, 33_600)
    assert row.remaining == 966_400
    assert row.uncommitted == 865_600
    # October–December left: Rp 865.600 // (3 × 16.800 = 50.400) = 17 people.
    assert row.months_left == 3
    assert row.fundable is not None
    assert row.fundable.participants == 17
    assert [m.left for m in row.months] == [966_400, 932_800, 899_200, 865_600]
    assert row.months[0].billed == 33_600
    assert row.months[0].paid == 33_600
    assert row.months[1].projected
    assert row.months[1].cost == 33_600
    assert row.runs_out is None
    assert budget_chart(budget)["left"] == [966_400, 932_800, 899_200, 865_600]
    assert budget.months[1].month == oct_


def test_a_source_too_small_shows_the_month_it_runs_out(pemda) -> None:
    program = ProgramFactory(pemda=pemda, start_month=dt.date(2025, 9, 1), coverage_months=4)
    source = FundingSourceFactory(program=program, code="add", amount=50_000)
    for _ in range(2):
        EnrolmentFactory(program=program, funding_source=source)
    budget = budget_of(program, dt.date(2025, 8, 1))
    # Rp 50.000 − 33.600 = 16.400 after September; October takes it below zero.
    assert budget.sources[0].runs_out == dt.date(2025, 10, 1)
    assert budget.runs_out == dt.date(2025, 10, 1)
    assert budget.sources[0].fundable is None


def test_finance_revises_the_budget_and_the_old_amount_is_kept(finance, funding_source) -> None:
    revision = budget_revise(
        actor=finance,
        funding_source=funding_source,
        amount=8_000_000_000,
        effective_on=dt.date(2025, 9, 1),
        note="APBD-Perubahan 2025",
    )
    funding_source.refresh_from_db()
    assert funding_source.amount == 8_000_000_000
    assert (revision.previous_amount, revision.amount) == (7_560_000_000, 8_000_000_000)
    event = AuditEvent.objects.get(action="budget.revised")
    assert event.changes["amount"] == [7_560_000_000, 8_000_000_000]


def test_a_verifier_may_not_revise_the_budget(verifier, funding_source) -> None:
    with pytest.raises(ServiceError):
        budget_revise(
            actor=verifier,
            funding_source=funding_source,
            amount=1,
            effective_on=dt.date(2025, 9, 1),
            note="",
        )
    assert not BudgetRevision.objects.exists()


def test_a_budget_below_what_was_paid_is_refused(finance, funding_source) -> None:
    pay(funding_source, [JAN], paid_on=dt.date(2025, 1, 10), amount=500_000)
    with pytest.raises(ServiceError, match="sudah dibayar"):
        budget_revise(
            actor=finance,
            funding_source=funding_source,
            amount=400_000,
            effective_on=dt.date(2025, 9, 1),
            note="",
        )
    funding_source.refresh_from_db()
    assert funding_source.amount == 7_560_000_000
    assert not BudgetRevision.objects.exists()


def test_a_revision_dated_outside_the_program_is_refused(finance, funding_source) -> None:
    # The 2025 program runs January–December 2025.
    with pytest.raises(ServiceError, match="masa program"):
        budget_revise(
            actor=finance,
            funding_source=funding_source,
            amount=8_000_000_000,
            effective_on=dt.date(2026, 1, 1),
            note="",
        )
    assert not BudgetRevision.objects.exists()
