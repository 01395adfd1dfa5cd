"""Allocation read from the database and recorded: candidates of the current run, capacity
after what is already committed, funding per agency, the proposal and its lines.

Program of the `program` fixture: January–December 2025, Rp 1.000.000 declared, JKK + JKM =
Rp 16.800 a month from the APBD (PP 44/2015 Lampiran II)."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.allocation import WhatIf, simulate
from lindung.enrollment.capacity import capacity_of
from lindung.enrollment.models import Allocation, AllocationLine, AllocationStatus
from lindung.enrollment.services import allocation_propose
from lindung.programs.models import FundingKind, Quota
from lindung.verification.models import Verdict
from lindung.workers.models import EndReason, EnrolmentStatus
from tests.enrollment.allocation_data import HANDED_IN, candidates, finished_run
from tests.factories import EnrolmentFactory, FundingSourceFactory, WorkerFactory

AUGUST = dt.date(2025, 8, 20)  # → next month September: 4 months to December


@pytest.fixture
def kukar(program, agency):
    """The Kutai Kartanegara case at a thousandth of the scale: 25 eligible candidates,
    quota 21, Rp 1.700.000 for September–December."""
    program.quota = 21
    program.save()
    FundingSourceFactory(program=program, name="APBD", code="apbd", amount=1_700_000)
    run = finished_run(program)
    candidates(run, agency, 25)
    return program


def test_four_months_from_september_fund_21_of_25_with_288_800_left(kukar, verifier):
    proposal = allocation_propose(actor=verifier, program=kukar, as_of=AUGUST)

    assert proposal.to_json() == {
        "allocated": 21,
        "waiting": 4,
        "months": 4,
        "cost": 1_411_200,  # 21 × Rp 16.800 × 4
        "quota": 21,
        "budget_available": 1_700_000,
    }
    assert proposal.budget_available - proposal.cost == 288_800
    allocation = proposal.allocation
    assert allocation.status == AllocationStatus.PROPOSED
    assert (allocation.start_month, allocation.months, allocation.monthly_premium) == (
        dt.date(2025, 9, 1),
        4,
        16_800,
    )
    lines = list(allocation.lines.order_by("rank"))
    assert [line.rank for line in lines] == list(range(1, 26))
    assert [line.outcome for line in lines].count("allocated") == 21
    assert {line.wait_reason for line in lines[21:]} == {"quota_program"}
    assert lines[0].nik == "3504010101800001"
    assert lines[0].submitted_at == HANDED_IN
    assert allocation.summary["per_reason"] == {"quota_program": 4}
    assert AuditEvent.objects.filter(action="allocation.proposed").count() == 1


def test_quota_and_budget_bind_together(program, agency, other_agency, verifier):
    # Quota 21; Dinas Perikanan may take 5; money for 10 people (Rp 700.000 at Rp 67.200 a
    # person for September–December). Perikanan's 15 rank first (handed in together, lower
    # row ids): 5 allocated, 10 wait for the agency quota; then 5 of the other agency's 10
    # use up the money and 5 wait for budget.
    program.quota = 21
    program.save()
    FundingSourceFactory(program=program, code="apbd", amount=700_000)
    Quota.objects.create(pemda=program.pemda, program=program, agency=agency, quota=5)
    run = finished_run(program)
    candidates(run, agency, 15, first=1)
    candidates(run, other_agency, 10, first=16)

    proposal = allocation_propose(actor=verifier, program=program, as_of=AUGUST, dry_run=True)

    assert (proposal.allocated, proposal.waiting, proposal.cost) == (10, 15, 672_000)
    assert proposal.waiting_by_reason == {"quota_agency": 10, "budget": 5}
    assert proposal.budget_available - proposal.cost == 28_000


def test_a_dry_run_records_nothing(kukar, verifier):
    proposal = allocation_propose(actor=verifier, program=kukar, as_of=AUGUST, dry_run=True)
    assert proposal.allocation is None
    assert not Allocation.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="allocation.").exists()


def test_a_new_proposal_withdraws_the_older_open_one(kukar, verifier):
    first = allocation_propose(actor=verifier, program=kukar, as_of=AUGUST).allocation
    second = allocation_propose(actor=verifier, program=kukar, as_of=AUGUST).allocation

    first.refresh_from_db()
    assert first.status == AllocationStatus.WITHDRAWN
    assert second.status == AllocationStatus.PROPOSED
    assert AuditEvent.objects.filter(action="allocation.withdrawn").count() == 1
    assert AllocationLine.objects.filter(allocation=second).count() == 25


@pytest.mark.parametrize("who", ["approver", "operator", "foreign_admin"])
def test_only_a_verifier_of_the_pemda_may_propose(kukar, who, request):
    with pytest.raises(ServiceError, match="Hanya verifikator"):
        allocation_propose(actor=request.getfixturevalue(who), program=kukar, as_of=AUGUST)


def test_an_earlier_month_of_the_year_is_accepted_with_a_warning(kukar, verifier):
    proposal = allocation_propose(
        actor=verifier, program=kukar, as_of=AUGUST, start_month=dt.date(2025, 3, 1), dry_run=True
    )
    # March–December: 10 months at Rp 168.000 each → Rp 1.700.000 pays for 10 people.
    assert (proposal.months, proposal.allocated, proposal.cost) == (10, 10, 1_680_000)
    assert "sudah lewat" in proposal.warnings[0]


def test_a_month_outside_the_program_year_is_refused(kukar, verifier):
    with pytest.raises(ServiceError, match="di luar tahun program"):
        allocation_propose(
            actor=verifier, program=kukar, as_of=AUGUST, start_month=dt.date(2026, 1, 1)
        )


def test_review_and_ineligible_verdicts_and_slot_holders_are_not_candidates(
    program, agency, funding_source
):
    run = finished_run(program)
    candidates(run, agency, 3, first=1)
    candidates(run, agency, 2, first=10, verdict=Verdict.REVIEW)
    candidates(run, agency, 2, first=20, verdict=Verdict.INELIGIBLE)
    worker = WorkerFactory(pemda=program.pemda, nik="3504010101800002")
    EnrolmentFactory(program=program, worker=worker, status=EnrolmentStatus.APPROVED)

    sim = simulate(program=program, as_of=AUGUST)

    assert sorted(sim.frame["nik"].to_list()) == ["3504010101800001", "3504010101800003"]


def test_renewals_are_ranked_first(program, agency, funding_source):
    run = finished_run(program)
    candidates(run, agency, 4, renewal=(3,))
    sim = simulate(program=program, as_of=AUGUST)
    ranked = [sim.frame.filter(row_id=p.key)["nik"][0][-1] for p in sim.result.placements]
    assert ranked == ["3", "1", "2", "4"]


def test_each_agency_is_paid_by_its_own_source_else_the_general_one(
    program, agency, other_agency, village_agency
):
    general = FundingSourceFactory(program=program, code="apbd", amount=10_000_000)
    add = FundingSourceFactory(
        program=program, code="add", kind=FundingKind.ADD, agency=village_agency,
        amount=10_000_000, bpjs_code="SD",
    )  # fmt: skip
    run = finished_run(program)
    candidates(run, agency, 1, first=1)
    candidates(run, village_agency, 1, first=2)
    sim = simulate(program=program, as_of=AUGUST)
    by_nik = dict(zip(sim.frame["row_id"], sim.frame["nik"], strict=True))
    paid = {by_nik[p.key][-1]: p.funding_source_id for p in sim.result.placements}
    assert paid == {"1": general.pk, "2": add.pk}


def test_without_a_general_source_other_agencies_wait_for_funding(program, agency, village_agency):
    FundingSourceFactory(program=program, code="add", agency=village_agency, kind=FundingKind.ADD)
    run = finished_run(program)
    candidates(run, agency, 2)
    sim = simulate(program=program, as_of=AUGUST)
    assert sim.result.waiting_by_reason() == {"no_funding": 2}


def test_committed_money_and_held_slots_reduce_what_is_free(program, agency, funding_source):
    program.quota = 10
    program.save()
    funding_source.amount = 1_000_000
    funding_source.save()
    # Two active all year: 2 × 12 × Rp 16.800 = Rp 403.200. One ended on 10 March, billed
    # January–March: 3 × Rp 16.800 = Rp 50.400. One approved from October: 3 × 16.800 = 50.400.
    for _ in range(2):
        EnrolmentFactory(program=program, funding_source=funding_source, agency=agency)
    EnrolmentFactory(
        program=program, funding_source=funding_source, status=EnrolmentStatus.ENDED,
        ended_on=dt.date(2025, 3, 10), end_reason=EndReason.DECEASED,
    )  # fmt: skip
    EnrolmentFactory(
        program=program, funding_source=funding_source, status=EnrolmentStatus.APPROVED,
        start_month=dt.date(2025, 10, 1), agency=agency,
    )  # fmt: skip
    Quota.objects.create(pemda=program.pemda, program=program, agency=agency, quota=4)

    capacity = capacity_of(program)

    assert capacity.sources[0].committed == 504_000
    assert capacity.budget_available == 496_000
    assert capacity.quota_free == 7  # 10 − 3 holding a slot (the ended one holds none)
    assert capacity.agency_free == {agency.pk: 1}  # 4 − 3 of Dinas Perikanan


def test_agency_and_area_quotas_make_candidates_wait(program, agency, other_agency, funding_source):
    Quota.objects.create(pemda=program.pemda, program=program, agency=agency, quota=1)
    Quota.objects.create(pemda=program.pemda, program=program, region_id="35.04.15", quota=1)
    run = finished_run(program)
    candidates(run, agency, 2, first=1)
    candidates(run, other_agency, 2, first=3, village="35.04.15.2001")
    sim = simulate(program=program, as_of=AUGUST)
    reasons = [p.wait_reason for p in sim.result.placements]
    assert reasons == [None, "quota_agency", None, "quota_area"]


def test_the_what_ifs_change_quota_budget_and_benefits(kukar):
    sim = simulate(
        program=kukar,
        as_of=AUGUST,
        what_if=WhatIf(quota=30, budget=3_000_000, benefits=["JKK", "JKM", "JHT"]),
    )
    # With JHT Rp 36.800 × 4 = Rp 147.200 a person: Rp 3.000.000 pays for 20 of 25.
    assert (sim.quota_free, sim.budget_available) == (30, 3_000_000)
    assert (sim.allocated, sim.cost, sim.money_left) == (20, 2_944_000, 56_000)
    assert not Allocation.objects.exists()
