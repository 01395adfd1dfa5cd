"""Maker–checker: the Kepala Dinas approves a verifier's proposal (its allocated people become
approved enrolments) or returns it with a note; nobody decides their own proposal, and an
approval that no longer fits the quota or the money writes nothing.

Figures: JKK 1 % of Rp 1.000.000 + JKM Rp 6.800 = Rp 16.800 a month, 12 months = Rp 201.600
a person (APBD pays: no PP 50/2025 relief)."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.approval import ApprovalRefused, allocation_approve, allocation_return
from lindung.enrollment.models import AllocationStatus, LineOutcome, WaitReason
from lindung.programs.models import Quota
from lindung.workers.models import EndReason, Enrolment, EnrolmentStatus, Worker
from tests.factories import (
    AllocationFactory,
    AllocationLineFactory,
    EnrolmentFactory,
    UserFactory,
    WorkerFactory,
)

YEAR_COST = 12 * 16_800


def proposal(program, agency, source, proposer, n=3, waiting=0, village=None):
    allocation = AllocationFactory(program=program, proposed_by=proposer, allocated=n)
    for _ in range(n):
        AllocationLineFactory(
            allocation=allocation, agency=agency, funding_source=source, village_id=village
        )
    for _ in range(waiting):
        AllocationLineFactory(
            allocation=allocation,
            agency=agency,
            outcome=LineOutcome.WAITING,
            wait_reason=WaitReason.QUOTA_PROGRAM,
        )
    return allocation


@pytest.fixture
def proposed(program, agency, funding_source, verifier):
    return proposal(program, agency, funding_source, verifier, n=3, waiting=1)


def test_it_turns_the_allocated_people_into_approved_enrolments(proposed, approver, agency):
    result = allocation_approve(actor=approver, allocation=proposed)

    assert (result.approved, result.skipped, result.cost) == (3, 0, 3 * YEAR_COST)
    enrolments = Enrolment.objects.filter(program=proposed.program)
    assert enrolments.count() == 3
    assert set(enrolments.values_list("status", flat=True)) == {EnrolmentStatus.APPROVED}
    first = enrolments.first()
    assert first.start_month == dt.date(2025, 1, 1)
    assert first.agency == agency
    assert first.funding_source.code == "apbd"
    assert first.approved_at is not None
    assert first.kpj == ""
    proposed.refresh_from_db()
    assert proposed.status == AllocationStatus.APPROVED
    assert proposed.decided_by == approver
    assert proposed.decided_at is not None
    linked = proposed.lines.filter(enrolment__isnull=False)
    assert linked.count() == 3
    assert all(line.worker_id == line.enrolment.worker_id for line in linked)
    assert proposed.lines.get(outcome=LineOutcome.WAITING).enrolment is None
    event = AuditEvent.objects.get(action="allocation.approved")
    assert event.actor == approver
    assert event.changes["approved"] == 3
    assert event.changes["cost"] == 604_800


def test_it_reuses_the_worker_the_pemda_already_knows_by_nik(proposed, approver, pemda):
    line = proposed.lines.filter(outcome=LineOutcome.ALLOCATED).first()
    known = WorkerFactory(pemda=pemda, nik=line.nik, name="Nama Lama")

    allocation_approve(actor=approver, allocation=proposed)

    assert Worker.objects.filter(pemda=pemda, nik=line.nik).count() == 1
    assert Enrolment.objects.filter(worker=known, program=proposed.program).exists()


def test_it_skips_and_counts_people_already_enrolled_in_the_program(proposed, approver, pemda):
    line = proposed.lines.filter(outcome=LineOutcome.ALLOCATED).first()
    worker = WorkerFactory(pemda=pemda, nik=line.nik)
    EnrolmentFactory(program=proposed.program, worker=worker)

    result = allocation_approve(actor=approver, allocation=proposed)

    assert (result.approved, result.skipped) == (2, 1)
    assert Enrolment.objects.filter(program=proposed.program).count() == 3


def test_it_refuses_the_proposer_even_when_the_proposer_is_an_approver(
    program, agency, funding_source, approver
):
    own = proposal(program, agency, funding_source, approver)

    with pytest.raises(ServiceError, match="pengusulnya sendiri"):
        allocation_approve(actor=approver, allocation=own)
    with pytest.raises(ServiceError, match="pengusulnya sendiri"):
        allocation_return(actor=approver, allocation=own, note="Cek ulang")

    own.refresh_from_db()
    assert own.status == AllocationStatus.PROPOSED
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.ADMIN, Role.LEADER, Role.FINANCE])
def test_it_refuses_anyone_but_the_kepala_dinas(proposed, pemda, role):
    someone = UserFactory(pemda=pemda, role=role)

    with pytest.raises(ServiceError, match="Hanya Kepala Dinas"):
        allocation_approve(actor=someone, allocation=proposed)
    assert not Enrolment.objects.exists()


def test_it_refuses_the_kepala_dinas_of_another_pemda(proposed, other_pemda):
    stranger = UserFactory(pemda=other_pemda, role=Role.APPROVER)

    with pytest.raises(ServiceError, match="Hanya Kepala Dinas"):
        allocation_approve(actor=stranger, allocation=proposed)


def test_it_refuses_a_proposal_already_decided(proposed, approver):
    stale = type(proposed).objects.get(pk=proposed.pk)
    allocation_approve(actor=approver, allocation=proposed)

    with pytest.raises(ServiceError, match="sudah diputuskan"):
        allocation_approve(actor=approver, allocation=stale)
    with pytest.raises(ServiceError, match="sudah diputuskan"):
        allocation_approve(actor=approver, allocation=proposed)
    assert Enrolment.objects.count() == 3


def test_it_refuses_the_whole_proposal_when_the_program_quota_is_taken_meanwhile(
    proposed, approver
):
    program = proposed.program
    program.quota = 5
    program.save()
    EnrolmentFactory.create_batch(3, program=program)  # 5 - 3 = 2 places left for 3 people

    with pytest.raises(ApprovalRefused, match="Kuota program tersisa 2, yang akan disetujui 3"):
        allocation_approve(actor=approver, allocation=proposed)

    proposed.refresh_from_db()
    assert proposed.status == AllocationStatus.PROPOSED
    assert proposed.decided_by is None
    assert Enrolment.objects.filter(program=program).count() == 3
    assert not Worker.objects.filter(nik__in=proposed.lines.values("nik")).exists()
    assert not AuditEvent.objects.filter(action="allocation.approved").exists()


def test_ended_and_rejected_enrolments_hold_no_place(proposed, approver):
    program = proposed.program
    program.quota = 4
    program.save()
    EnrolmentFactory(program=program)
    EnrolmentFactory(
        program=program,
        status=EnrolmentStatus.ENDED,
        ended_on=dt.date(2025, 3, 10),
        end_reason=EndReason.DECEASED,
    )
    EnrolmentFactory(program=program, status=EnrolmentStatus.REJECTED, kpj="")

    assert allocation_approve(actor=approver, allocation=proposed).approved == 3


def test_it_refuses_when_the_agency_quota_is_full(proposed, approver, agency, pemda):
    Quota.objects.create(pemda=pemda, program=proposed.program, agency=agency, quota=4)
    EnrolmentFactory.create_batch(2, program=proposed.program, agency=agency)

    with pytest.raises(ApprovalRefused, match="Kuota Dinas Perikanan tersisa 2"):
        allocation_approve(actor=approver, allocation=proposed)


def test_it_refuses_when_the_district_quota_is_full(
    program, agency, funding_source, verifier, approver, pemda
):
    besole = "35.04.15.2001"  # a village of Kecamatan Besuki (35.04.15)
    Quota.objects.create(pemda=pemda, program=program, region_id="35.04.15", quota=1)
    allocation = proposal(program, agency, funding_source, verifier, n=2, village=besole)

    with pytest.raises(ApprovalRefused, match="Kuota wilayah Besuki tersisa 1"):
        allocation_approve(actor=approver, allocation=allocation)


def test_a_district_quota_leaves_other_districts_alone(
    program, agency, funding_source, verifier, approver, pemda
):
    Quota.objects.create(pemda=pemda, program=program, region_id="35.04.15", quota=1)
    allocation = proposal(program, agency, funding_source, verifier, n=2, village="35.04.07.2001")

    assert allocation_approve(actor=approver, allocation=allocation).approved == 2


def test_it_refuses_when_the_money_of_the_source_no_longer_pays(proposed, approver):
    source = proposed.lines.first().funding_source
    source.amount = 2 * YEAR_COST + 16_799  # Rp 419.999: two people, not three
    source.save()

    with pytest.raises(
        ApprovalRefused, match=r"tersisa Rp 419\.999, biaya yang akan disetujui Rp 604\.800"
    ):
        allocation_approve(actor=approver, allocation=proposed)


def test_an_ended_enrolment_keeps_the_money_of_its_months_up_to_the_end(
    program, agency, funding_source, verifier, approver
):
    # Ended in March: January–March stay billed, 3 × 16.800 = 50.400; one new person 201.600.
    EnrolmentFactory(
        program=program,
        funding_source=funding_source,
        status=EnrolmentStatus.ENDED,
        ended_on=dt.date(2025, 3, 31),
        end_reason=EndReason.MOVED,
    )
    funding_source.amount = 50_400 + YEAR_COST - 1
    funding_source.save()
    allocation = proposal(program, agency, funding_source, verifier, n=1)
    with pytest.raises(ApprovalRefused):
        allocation_approve(actor=approver, allocation=allocation)

    funding_source.amount = 50_400 + YEAR_COST
    funding_source.save()
    assert allocation_approve(actor=approver, allocation=allocation).approved == 1


def test_the_kepala_dinas_returns_a_proposal_with_a_note(proposed, approver):
    allocation_return(actor=approver, allocation=proposed, note="Prioritaskan nelayan.")

    proposed.refresh_from_db()
    assert proposed.status == AllocationStatus.RETURNED
    assert proposed.note == "Prioritaskan nelayan."
    assert proposed.decided_by == approver
    assert AuditEvent.objects.get(action="allocation.returned").changes["note"] == (
        "Prioritaskan nelayan."
    )
    with pytest.raises(ServiceError, match="sudah diputuskan"):
        allocation_approve(actor=approver, allocation=proposed)


def test_a_return_needs_a_note(proposed, approver):
    with pytest.raises(ServiceError, match="catatan"):
        allocation_return(actor=approver, allocation=proposed, note="   ")
    proposed.refresh_from_db()
    assert proposed.status == AllocationStatus.PROPOSED
