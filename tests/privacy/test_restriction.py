"""Restriction of processing (UU PDP Pasal 11): the admin restricts a person by NIK with a
reason; while it holds, the person is held out of allocation, renewal and the BPJS file,
each place saying why in words; lifting it lets them through again. Both are audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.allocation import simulate
from lindung.enrollment.approval import allocation_approve
from lindung.enrollment.bpjs.export import bpjs_export_create, bpjs_held_restricted
from lindung.enrollment.services import allocation_propose, renewal_candidates_create
from lindung.intake.models import SubmissionRow, SubmissionSource
from lindung.workers.models import Enrolment, EnrolmentStatus, Restriction
from lindung.workers.restrictions import restriction_lift, restriction_place
from tests.conftest import client_for
from tests.enrollment.allocation_data import candidates, finished_run
from tests.factories import EnrolmentFactory, FundingSourceFactory, ProgramFactory, WorkerFactory

AUGUST = dt.date(2025, 8, 20)
# candidates() numbers people 3504010101800001, …0002, …
SECOND = "3504010101800002"


def test_the_admin_restricts_and_lifts_and_both_are_audited_with_the_nik_masked(admin):
    restriction = restriction_place(actor=admin, nik="3504 0101 0180 0002", reason="Surat 12/2026")
    assert (restriction.nik, restriction.in_force) == (SECOND, True)
    with pytest.raises(ServiceError, match="sudah dibatasi"):
        restriction_place(actor=admin, nik=SECOND, reason="lagi")
    restriction_lift(actor=admin, restriction=restriction, reason="Permintaan dicabut")
    restriction.refresh_from_db()
    assert not restriction.in_force
    events = list(AuditEvent.objects.filter(action__startswith="restriction.").order_by("pk"))
    assert [e.action for e in events] == ["restriction.placed", "restriction.lifted"]
    assert events[0].changes == {"nik": "3504********0002", "reason": "Surat 12/2026"}
    assert all(SECOND not in str(e.changes) + e.object_label for e in events)
    # Lifted, the NIK can be restricted again.
    restriction_place(actor=admin, nik=SECOND, reason="Surat 13/2026")


def test_only_the_admin_restricts_and_a_reason_and_a_nik_are_required(verifier, admin):
    with pytest.raises(ServiceError, match="Hanya admin"):
        restriction_place(actor=verifier, nik=SECOND, reason="x")
    with pytest.raises(ServiceError, match="alasan"):
        restriction_place(actor=admin, nik=SECOND, reason="  ")
    with pytest.raises(ServiceError, match="16 angka"):
        restriction_place(actor=admin, nik="35040101018", reason="x")
    assert not Restriction.objects.exists()


def test_allocation_holds_a_restricted_person_out_and_says_why(program, agency, admin):
    FundingSourceFactory(program=program, name="APBD", code="apbd", amount=10_000_000)
    candidates(finished_run(program), agency, 3)
    restriction = restriction_place(actor=admin, nik=SECOND, reason="Surat 12/2026")
    sim = simulate(program=program, as_of=AUGUST)
    assert sim.allocated == 2
    assert SECOND not in sim.frame["nik"].to_list()
    assert any("1 orang tidak dialokasikan" in w and "Pasal 11" in w for w in sim.warnings)
    restriction_lift(actor=admin, restriction=restriction, reason="dicabut")
    assert simulate(program=program, as_of=AUGUST).allocated == 3


def test_the_bpjs_file_leaves_a_restricted_person_approved_and_says_so(
    program, funding_source, admin
):
    def approved(nik):
        return EnrolmentFactory(
            program=program, worker=WorkerFactory(pemda=program.pemda, nik=nik),
            funding_source=funding_source, status=EnrolmentStatus.APPROVED, kpj="",
            started_on=None,
        )  # fmt: skip

    kept, held = approved("3504010101800001"), approved(SECOND)
    restriction_place(actor=admin, nik=SECOND, reason="Surat 12/2026")
    assert bpjs_held_restricted(program=program) == 1
    page = client_for(admin).get(reverse("enrollment:bpjs"), {"program": program.pk})
    assert "1 orang disetujui tidak dimasukkan ke file" in page.content.decode()
    export, _path = bpjs_export_create(actor=admin, program=program, file_format="csv")
    assert list(export.lines.values_list("enrolment_id", flat=True)) == [kept.pk]
    held.refresh_from_db()
    assert held.status == EnrolmentStatus.APPROVED
    event = AuditEvent.objects.get(action="bpjs.registration_exported")
    assert event.changes["held_restricted"] == 1
    # Only the restricted person is left: the refusal says why.
    with pytest.raises(ServiceError, match="1 orang ditahan: pemrosesan datanya dibatasi"):
        bpjs_export_create(actor=admin, program=program, file_format="csv")


def test_renewal_does_not_hand_in_a_restricted_participant(program, agency, admin, verifier):
    new_year = ProgramFactory(
        pemda=program.pemda, code="pekerja-rentan-2026", year=2026,
        start_month=dt.date(2026, 1, 1),
    )  # fmt: skip
    for nik in ("3504010101800001", SECOND):
        EnrolmentFactory(
            program=program, agency=agency, worker=WorkerFactory(pemda=program.pemda, nik=nik)
        )
    restriction_place(actor=admin, nik=SECOND, reason="Surat 12/2026")
    outcome = renewal_candidates_create(actor=verifier, program=new_year)
    assert (outcome.created, outcome.skipped_restricted) == (1, 1)
    niks = SubmissionRow.objects.filter(
        submission__program=new_year, submission__source=SubmissionSource.RENEWAL
    ).values_list("nik", flat=True)
    assert list(niks) == ["3504010101800001"]


def test_restriction_pages_are_the_admins_of_their_own_pemda(admin, verifier, foreign_admin):
    assert client_for(verifier).get(reverse("privacy:index")).status_code == 403
    response = client_for(admin).post(
        reverse("privacy:restrict"), {"nik": SECOND, "reason": "Surat 12/2026"}
    )
    assert response.status_code == 302
    restriction = Restriction.objects.get()
    page = client_for(admin).get(reverse("privacy:index"))
    assert "3504********0002" in page.content.decode()
    assert SECOND not in page.content.decode()
    lift = reverse("privacy:lift", args=[restriction.pk])
    assert client_for(foreign_admin).post(lift, {"reason": "x"}).status_code == 404
    client_for(admin).post(lift, {"reason": "Permintaan dicabut"})
    restriction.refresh_from_db()
    assert restriction.lift_reason == "Permintaan dicabut"


def test_approval_does_not_enrol_a_person_restricted_after_the_proposal(
    program, agency, admin, verifier, approver
):
    FundingSourceFactory(program=program, name="APBD", code="apbd", amount=10_000_000)
    candidates(finished_run(program), agency, 3)
    proposal = allocation_propose(actor=verifier, program=program, as_of=AUGUST)
    restriction_place(actor=admin, nik=SECOND, reason="Surat 12/2026")
    result = allocation_approve(actor=approver, allocation=proposal.allocation)
    assert (result.approved, result.skipped, result.held_restricted) == (2, 0, 1)
    assert SECOND not in Enrolment.objects.values_list("worker__nik", flat=True)
    event = AuditEvent.objects.get(action="allocation.approved")
    assert event.changes["held_restricted"] == 1
