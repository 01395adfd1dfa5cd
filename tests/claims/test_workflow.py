"""Reporting a claim and following it to the hand-over: the death ends the enrolment, every
step is audited, steps go in order, only claim handlers act."""

import datetime as dt
from decimal import Decimal

import pytest

from lindung.audit.models import AuditEvent
from lindung.billing.models import BillLine
from lindung.billing.services.bills import bill_generate
from lindung.claims.models import Claim, ClaimStatus
from lindung.claims.services import Incident, claim_advance, claim_report, reported_late
from lindung.common.errors_domain import ConflictError, ServiceError
from lindung.workers.models import EndReason, EnrolmentStatus
from tests.claims.conftest import papers_complete, record_payment

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = (dt.date(2025, m, 1) for m in (1, 2, 3))


def death(day=dt.date(2025, 3, 20), kind="JKM", **more):
    return Incident(
        kind=kind, incident_on=day, place="Desa Sumberdadi", reported_by="family",
        reporter_name="Siti Aminah", **more,
    )  # fmt: skip


@pytest.fixture
def paid(participant, funding_source, finance):
    record_payment(funding_source, [JAN, FEB, MAR], paid_on=dt.date(2025, 1, 10), by=finance)
    return participant


def test_a_reported_death_ends_the_enrolment_on_that_day_as_deceased(paid, verifier):
    claim = claim_report(actor=verifier, enrolment=paid, incident=death())
    paid.refresh_from_db()
    assert paid.status == EnrolmentStatus.ENDED
    assert paid.ended_on == dt.date(2025, 3, 20)
    assert paid.end_reason == EndReason.DECEASED
    assert paid.worker.__class__.objects.get(pk=paid.worker_id).died_on == dt.date(2025, 3, 20)
    assert claim.total == 42_000_000
    assert claim.cover["paid_months"] == ["2025-01", "2025-02", "2025-03"]
    assert AuditEvent.objects.filter(action="claim.reported").count() == 1


def test_an_accident_keeps_the_enrolment_and_knows_its_report_deadline(paid, admin):
    claim = claim_report(
        actor=admin, enrolment=paid,
        incident=death(kind="JKK-STMB", months_off_work=Decimal(14)),
    )  # fmt: skip
    paid.refresh_from_db()
    assert paid.status == EnrolmentStatus.ACTIVE
    assert claim.total == 13_000_000
    assert claim.cover["report_deadline"] == "2025-03-22"
    assert reported_late(claim)  # reported in 2026, long after 2 x 24 hours


def test_a_death_is_reported_once(paid, verifier):
    claim_report(actor=verifier, enrolment=paid, incident=death())
    with pytest.raises(ServiceError):
        claim_report(actor=verifier, enrolment=paid, incident=death(kind="JKK-DEATH"))


def test_it_refuses_an_operator_and_another_pemdas_user(paid, operator, other_pemda):
    from tests.factories import UserFactory

    stranger = UserFactory(username="x", pemda=other_pemda, role="admin")
    for actor in (operator, stranger):
        with pytest.raises(ServiceError):
            claim_report(actor=actor, enrolment=paid, incident=death())
    assert not Claim.objects.exists()


def test_stmb_without_months_off_work_is_a_message_not_a_crash(paid, verifier):
    with pytest.raises(ServiceError, match="wajib"):
        claim_report(actor=verifier, enrolment=paid, incident=death(kind="JKK-STMB"))


def test_a_claim_goes_from_report_to_hand_over_with_every_step_audited(paid, verifier):
    claim = claim_report(actor=verifier, enrolment=paid, incident=death())
    papers_complete(claim, by=verifier)
    claim = claim_advance(actor=verifier, claim=claim, to=ClaimStatus.DOCUMENTS_COMPLETE)
    claim = claim_advance(actor=verifier, claim=claim, to=ClaimStatus.SUBMITTED)
    claim = claim_advance(
        actor=verifier, claim=claim, to=ClaimStatus.PAID,
        paid_amount=42_000_000, paid_on=dt.date(2025, 4, 2),
    )  # fmt: skip
    claim = claim_advance(
        actor=verifier, claim=claim, to=ClaimStatus.HANDED_OVER,
        handed_over_on=dt.date(2025, 4, 17), handed_over_place="Pendopo Kabupaten",
        handed_over_by="Bupati",
    )  # fmt: skip
    assert claim.status == ClaimStatus.HANDED_OVER
    assert claim.version == 5
    actions = list(
        AuditEvent.objects.filter(action__startswith="claim.").order_by("pk").values_list("action")
    )
    steps = [a for (a,) in actions if a != "claim.reported" and "document_" not in a]
    assert steps == [
        "claim.documents_complete", "claim.submitted", "claim.paid", "claim.handed_over",
    ]  # fmt: skip


def test_steps_go_in_order(paid, verifier):
    claim = claim_report(actor=verifier, enrolment=paid, incident=death())
    with pytest.raises(ServiceError):
        claim_advance(
            actor=verifier, claim=claim, to=ClaimStatus.PAID,
            paid_amount=1, paid_on=dt.date(2025, 4, 2),
        )  # fmt: skip


def test_a_rejection_needs_a_reason(paid, verifier):
    claim = claim_report(actor=verifier, enrolment=paid, incident=death())
    with pytest.raises(ServiceError):
        claim_advance(actor=verifier, claim=claim, to=ClaimStatus.REJECTED)
    claim = claim_advance(
        actor=verifier, claim=claim, to=ClaimStatus.REJECTED, rejected_reason="Bukan peserta"
    )
    assert claim.status == ClaimStatus.REJECTED


def test_a_stale_claim_is_a_conflict(paid, verifier):
    claim = claim_report(actor=verifier, enrolment=paid, incident=death())
    papers_complete(claim, by=verifier)
    stale = Claim.objects.get(pk=claim.pk)
    claim_advance(actor=verifier, claim=claim, to=ClaimStatus.DOCUMENTS_COMPLETE)
    stale.status = ClaimStatus.REPORTED
    with pytest.raises(ConflictError):
        claim_advance(actor=verifier, claim=stale, to=ClaimStatus.DOCUMENTS_COMPLETE)


def test_after_a_reported_death_the_later_months_are_no_longer_billed(paid, verifier):
    from lindung.billing.paidup import arrears_of, arrears_participants

    june = dt.date(2025, 6, 20)
    # Before the report April-June are overdue for the participant
    assert [a.enrolment.pk for a in arrears_participants(arrears_of(paid.program, june))] == [
        paid.pk
    ]
    claim_report(actor=verifier, enrolment=paid, incident=death())
    # Billed January-March (the month of the death), all paid: nothing more is owed
    assert list(arrears_participants(arrears_of(paid.program, june))) == []


def test_the_month_after_a_reported_death_the_bill_no_longer_holds_them(paid, verifier, finance):
    march = bill_generate(actor=finance, program=paid.program, month=MAR)
    assert BillLine.objects.filter(bill__in=march.bills, enrolment=paid).count() == 1
    claim_report(actor=verifier, enrolment=paid, incident=death())
    # Billed through March, the month of the death (DESIGN §4), not after.
    march = bill_generate(actor=finance, program=paid.program, month=MAR)
    april = bill_generate(actor=finance, program=paid.program, month=dt.date(2025, 4, 1))
    assert BillLine.objects.filter(bill__in=march.bills, enrolment=paid).count() == 1
    assert not BillLine.objects.filter(bill__in=april.bills, enrolment=paid).exists()
