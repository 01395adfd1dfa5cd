"""A participant's page: the whole history from the submitted row to the end, scoped, with
the full NIK only for the roles that need it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lindung.audit.models import AuditEvent
from lindung.audit.services import audit_record
from lindung.common.jobs import JobStatus
from lindung.enrollment.models import BpjsImport, BpjsImportLine, ImportLineOutcome
from lindung.intake.models import Submission, SubmissionRow, UploadedFile
from lindung.verification.models import Outcome, RowVerdict, Verdict, VerificationRun
from lindung.workers.models import EndReason, EnrolmentStatus
from tests.conftest import client_for
from tests.factories import (
    AllocationFactory,
    AllocationLineFactory,
    EnrolmentFactory,
    UserFactory,
    WorkerFactory,
)


@pytest.fixture
def participant(program, agency, operator, verifier, approver):
    """Supriyanto, handed in by Dinas Perikanan in nelayan.xlsx (sheet Juli, row 7), found
    eligible, ranked 3rd, proposed by Erin, approved by the Kepala Dinas, activated by BPJS."""
    upload = UploadedFile.objects.create(
        pemda=program.pemda, program=program, agency=agency, stored_name="u1.xlsx",
        original_name="nelayan.xlsx", size=1000, kind="xlsx", uploaded_by=operator,
    )  # fmt: skip
    submission = Submission.objects.create(
        pemda=program.pemda, program=program, agency=agency, source="upload", file=upload,
        created_by=operator,
    )  # fmt: skip
    row = SubmissionRow.objects.create(
        pemda=program.pemda, submission=submission, agency=agency, sheet="Juli", row_number=7,
        nik="3504011208750001", name="SUPRIYANTO", outcome="accepted",
    )  # fmt: skip
    run = VerificationRun.objects.create(
        pemda=program.pemda, program=program, status=JobStatus.DONE
    )
    RowVerdict.objects.create(
        run=run, pemda=program.pemda, agency=agency, submission=submission, row=row,
        outcome=Outcome.IN_REGISTER, verdict=Verdict.ELIGIBLE, match="exact",
    )  # fmt: skip
    worker = WorkerFactory(pemda=program.pemda, name="SUPRIYANTO", nik="3504011208750001")
    enrolment = EnrolmentFactory(
        program=program, worker=worker, agency=agency, kpj="25012345678",
        started_on=dt.date(2025, 2, 1),
    )  # fmt: skip
    allocation = AllocationFactory(
        program=program, run=run, status="approved", proposed_by=verifier, decided_by=approver,
        decided_at=timezone.now(),
    )  # fmt: skip
    AllocationLineFactory(
        allocation=allocation, rank=3, row=row, worker=worker, nik=worker.nik,
        name=worker.name, agency=agency, enrolment=enrolment,
    )  # fmt: skip
    source = BpjsImport.objects.create(
        pemda=program.pemda, program=program, kind="result", original_name="hasil.xlsx"
    )
    BpjsImportLine.objects.create(
        source=source, pemda=program.pemda, row_number=5, nik=worker.nik, kpj="25012345678",
        effective_on=dt.date(2025, 2, 1), outcome=ImportLineOutcome.ACTIVATED,
        enrolment=enrolment,
    )  # fmt: skip
    audit_record(actor=approver, action="participant.cards_downloaded", obj=enrolment)
    return enrolment


def _url(enrolment) -> str:
    return reverse("enrollment:participant_detail", args=[enrolment.pk])


def test_it_shows_the_whole_history_of_a_participant(participant, admin):
    response = client_for(admin).get(_url(participant))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "nelayan.xlsx",  # the file it came from
        "lembar Juli · baris 7",
        "Memenuhi syarat",  # verification's verdict
        "Ada di DTKS/DTSEN",
        "erin",  # proposed by
        "kadis",  # approved by
        "KPJ 25012345678",  # BPJS's result
        "TMT 1 Februari 2025",
        "Kartu peserta diunduh",  # the audit event in words
    ):
        assert text in body, text


def test_it_shows_the_end_of_an_ended_enrolment(participant, admin):
    participant.status = EnrolmentStatus.ENDED
    participant.ended_on = dt.date(2025, 8, 14)
    participant.end_reason = EndReason.DECEASED
    participant.save()
    body = client_for(admin).get(_url(participant)).content.decode()
    assert "14 Agustus 2025 · Meninggal dunia" in body
    assert "Unduh kartu" not in body


def test_the_full_nik_is_shown_to_verifiers_and_the_own_agency_and_audited(
    participant, verifier, approver, operator, pemda
):
    """Need-to-know (issue 15, point 2): the Kepala Dinas and Pimpinan see it masked."""
    for user in (verifier, operator):
        assert "3504011208750001" in client_for(user).get(_url(participant)).content.decode()
    leader = UserFactory(pemda=pemda, role="leader")
    for user in (approver, leader):
        body = client_for(user).get(_url(participant)).content.decode()
        assert "3504011208750001" not in body
        assert "3504********0001" in body
    shown = AuditEvent.objects.filter(action="nik.full_shown").order_by("pk")
    assert [e.actor_id for e in shown] == [verifier.pk, operator.pk]


def test_it_is_not_found_outside_the_users_agency_or_pemda(
    participant, other_operator, foreign_admin
):
    assert client_for(other_operator).get(_url(participant)).status_code == 404
    assert client_for(foreign_admin).get(_url(participant)).status_code == 404


def test_a_participant_without_allocation_shows_the_page_anyway(program, agency, pemda):
    enrolment = EnrolmentFactory(program=program, agency=agency, imported=True)
    leader = UserFactory(pemda=pemda, role="leader")
    body = client_for(leader).get(_url(enrolment)).content.decode()
    assert "Diimpor dari daftar peserta BPJS" in body


def test_the_end_link_appears_only_when_the_end_page_exists(participant, admin):
    from django.urls import NoReverseMatch

    try:
        end = reverse("enrollment:enrolment_end", args=[participant.pk])
    except NoReverseMatch:
        end = None
    body = client_for(admin).get(_url(participant)).content.decode()
    assert ("Akhiri kepesertaan" in body) is (end is not None)
