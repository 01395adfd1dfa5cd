"""Deleting a draft (issue 8): only the agency itself or the Pemda's admin, only a draft, never
while a correction of it is being processed; the audit event says what went."""

from __future__ import annotations

import pytest

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.intake import services
from lindung.intake.models import ImportJob, Submission
from tests.intake.conftest import good_csv, receive


def test_an_operator_of_another_agency_may_not_delete_a_draft(imported, other_operator):
    submission = imported()

    with pytest.raises(ServiceError, match="Hanya instansi pengusul atau Admin"):
        services.submission_delete(actor=other_operator, submission=submission)
    assert Submission.objects.filter(pk=submission.pk).exists()


def test_an_admin_of_another_pemda_may_not_delete_a_draft(imported, foreign_admin):
    submission = imported()

    with pytest.raises(ServiceError):
        services.submission_delete(actor=foreign_admin, submission=submission)
    assert not AuditEvent.objects.filter(action="submission.deleted").exists()


def test_a_draft_is_not_deleted_while_a_correction_of_it_waits(imported, operator, program, agency):
    submission = imported()
    correction, _created = receive(
        actor=operator, program=program, agency=agency, data=good_csv(), filename="b.csv"
    )
    ImportJob.objects.create(
        pemda=submission.pemda,
        program=program,
        agency=agency,
        file=correction,
        target=submission,
    )

    with pytest.raises(ServiceError, match="sedang diproses"):
        services.submission_delete(actor=operator, submission=submission)
    assert Submission.objects.filter(pk=submission.pk).exists()


def test_a_handed_in_list_is_not_deleted(imported, operator):
    submission = imported()
    services.submission_submit(actor=operator, submission=submission)

    with pytest.raises(ServiceError, match="terkunci"):
        services.submission_delete(actor=operator, submission=submission)
