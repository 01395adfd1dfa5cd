"""A freed place is offered to the first on the waiting list, with approval: a verifier
proposes a small refill of the waiting people of the latest approved allocation who now fit
(from the month after the day given), and the Kepala Dinas approves it like any proposal.

Figures: Rp 16.800 a month; from July to December 2025 = 6 months = Rp 100.800 a person."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.approval import allocation_approve, allocation_refill_propose
from lindung.enrollment.models import AllocationKind, AllocationStatus, LineOutcome, WaitReason
from lindung.workers.models import EndReason, Enrolment, EnrolmentStatus
from tests.factories import (
    AllocationFactory,
    AllocationLineFactory,
    EnrolmentFactory,
    WorkerFactory,
)

MID_JUNE = dt.date(2025, 6, 15)


@pytest.fixture
def approved(program, agency, funding_source, verifier, approver):
    """Quota 2: two people approved, three waiting for the quota (ranks 3, 4, 5)."""
    program.quota = 2
    program.save()
    allocation = AllocationFactory(program=program, proposed_by=verifier, allocated=2, waiting=3)
    for rank in (1, 2):
        AllocationLineFactory(
            allocation=allocation, rank=rank, agency=agency, funding_source=funding_source
        )
    for rank in (3, 4, 5):
        AllocationLineFactory(
            allocation=allocation,
            rank=rank,
            agency=agency,
            funding_source=funding_source,
            outcome=LineOutcome.WAITING,
            wait_reason=WaitReason.QUOTA_PROGRAM,
        )
    allocation_approve(actor=approver, allocation=allocation)
    return allocation


def _end_one(allocation, on=dt.date(2025, 5, 20)):
    enrolment = allocation.lines.filter(outcome=LineOutcome.ALLOCATED).first().enrolment
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=EnrolmentStatus.ENDED, ended_on=on, end_reason=EndReason.DECEASED
    )


def test_a_freed_place_is_proposed_to_the_first_waiting_person(approved, verifier):
    _end_one(approved)

    refill = allocation_refill_propose(actor=verifier, program=approved.program, as_of=MID_JUNE)

    assert refill.kind == AllocationKind.REFILL
    assert refill.status == AllocationStatus.PROPOSED
    assert (refill.start_month, refill.months) == (dt.date(2025, 7, 1), 6)
    assert (refill.allocated, refill.cost, refill.quota_free) == (1, 100_800, 1)
    (line,) = refill.lines.all()
    assert line.nik == approved.lines.get(rank=3).nik
    assert (line.rank, line.outcome) == (1, LineOutcome.ALLOCATED)
    event = AuditEvent.objects.get(action="allocation.proposed")
    assert event.changes["refill_of"] == approved.pk
    assert event.changes["allocated"] == 1


def test_the_kepala_dinas_approves_a_refill_like_any_proposal(approved, verifier, approver):
    _end_one(approved)
    refill = allocation_refill_propose(actor=verifier, program=approved.program, as_of=MID_JUNE)

    assert allocation_approve(actor=approver, allocation=refill).approved == 1

    enrolment = refill.lines.get().enrolment
    assert enrolment.status == EnrolmentStatus.APPROVED
    assert enrolment.start_month == dt.date(2025, 7, 1)


def test_nothing_is_proposed_while_no_place_is_free(approved, verifier):
    with pytest.raises(ServiceError, match="Belum ada slot"):
        allocation_refill_propose(actor=verifier, program=approved.program, as_of=MID_JUNE)


def test_people_enrolled_since_are_passed_over(approved, verifier, pemda):
    _end_one(approved)
    third = approved.lines.get(rank=3)
    EnrolmentFactory(
        program=approved.program,
        worker=WorkerFactory(pemda=pemda, nik=third.nik),
        status=EnrolmentStatus.ENDED,
        ended_on=dt.date(2025, 4, 1),
        end_reason=EndReason.MOVED,
    )

    refill = allocation_refill_propose(actor=verifier, program=approved.program, as_of=MID_JUNE)

    assert refill.lines.get().nik == approved.lines.get(rank=4).nik


def test_a_second_refill_waits_for_the_first_to_be_decided(approved, verifier):
    _end_one(approved)
    allocation_refill_propose(actor=verifier, program=approved.program, as_of=MID_JUNE)

    with pytest.raises(ServiceError, match="menunggu persetujuan"):
        allocation_refill_propose(actor=verifier, program=approved.program, as_of=MID_JUNE)


def test_only_a_verifier_proposes_a_refill(approved, approver):
    _end_one(approved)
    with pytest.raises(ServiceError, match="Hanya verifikator"):
        allocation_refill_propose(actor=approver, program=approved.program, as_of=MID_JUNE)


def test_no_refill_after_the_program_year(approved, verifier):
    _end_one(approved)
    with pytest.raises(ServiceError, match="sudah berakhir"):
        allocation_refill_propose(
            actor=verifier, program=approved.program, as_of=dt.date(2025, 12, 3)
        )


def test_money_spent_on_the_ended_person_is_not_offered_again(approved, verifier, funding_source):
    # Two people for 12 months: 403.200. The one ended in May used January–May (84.000), so
    # 403.200 - 201.600 - 84.000 = 117.600 is free: one person July–December (100.800) fits.
    _end_one(approved)
    funding_source.amount = 2 * 12 * 16_800 - 16_801  # 100.799 free: not one more person
    funding_source.save()
    with pytest.raises(ServiceError, match="Belum ada slot atau dana"):
        allocation_refill_propose(actor=verifier, program=approved.program, as_of=MID_JUNE)

    funding_source.amount = 2 * 12 * 16_800
    funding_source.save()
    refill = allocation_refill_propose(actor=verifier, program=approved.program, as_of=MID_JUNE)
    assert (refill.allocated, refill.budget_available) == (1, 117_600)


@time_machine.travel(dt.datetime(2025, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False)
def test_a_verifier_proposes_the_refill_from_the_proposals_page(approved, verifier, approver):
    from django.urls import reverse

    from tests.conftest import client_for

    _end_one(approved)
    url = reverse("enrollment:refill_propose", args=[approved.program.pk])
    assert (
        "pengisian slot kosong"
        in client_for(verifier).get(reverse("enrollment:proposal_list")).content.decode()
    )

    response = client_for(verifier).post(url, follow=True)

    assert "Usulan pengisian slot dibuat untuk 1 orang" in response.content.decode()
    assert client_for(approver).post(url).status_code == 403


@time_machine.travel(dt.datetime(2025, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False)
def test_a_refill_with_no_room_is_a_message_on_the_page(approved, verifier):
    from django.urls import reverse

    from tests.conftest import client_for

    url = reverse("enrollment:refill_propose", args=[approved.program.pk])
    response = client_for(verifier).post(url, follow=True)

    assert response.status_code == 200
    assert "Belum ada slot" in response.content.decode()
