"""Ending an enrolment: the reasons, the dates allowed, and the page that asks first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ConflictError, ServiceError
from lindung.enrollment.lifecycle import enrolment_end
from lindung.workers.models import EndReason, Enrolment, EnrolmentStatus
from tests.conftest import client_for
from tests.factories import EnrolmentFactory, ProgramFactory


@pytest.fixture
def active(program):
    # Effective 1 March 2025; the program covers January to December 2025.
    return EnrolmentFactory(program=program, started_on=dt.date(2025, 3, 1))


def test_an_active_enrolment_ends_with_its_reason_and_date(admin, active):
    enrolment_end(actor=admin, enrolment=active, reason=EndReason.MOVED, date=dt.date(2025, 6, 15))

    active.refresh_from_db()
    assert active.status == EnrolmentStatus.ENDED
    assert active.ended_on == dt.date(2025, 6, 15)
    assert active.end_reason == "moved"
    assert active.version == 2
    event = AuditEvent.objects.get(action="enrolment.ended")
    assert event.changes["reason"] == "moved"
    assert event.changes["status"] == ["active", "ended"]


def test_a_death_is_recorded_on_the_worker_too(admin, active):
    enrolment_end(
        actor=admin, enrolment=active, reason=EndReason.DECEASED, date=dt.date(2025, 7, 2)
    )

    active.worker.refresh_from_db()
    assert active.worker.died_on == dt.date(2025, 7, 2)


@pytest.mark.parametrize("status", [EnrolmentStatus.SENT, EnrolmentStatus.APPROVED])
def test_a_sent_or_approved_enrolment_can_end_from_its_first_month(admin, program, status):
    enrolment = EnrolmentFactory(
        program=program, status=status, kpj="", started_on=None, start_month=dt.date(2025, 9, 1)
    )

    enrolment_end(
        actor=admin, enrolment=enrolment, reason=EndReason.WAGE_EARNER, date=dt.date(2025, 9, 1)
    )

    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENDED


@pytest.mark.parametrize("status", [EnrolmentStatus.ENDED, EnrolmentStatus.REJECTED])
def test_an_ended_or_rejected_enrolment_cannot_end(admin, program, status):
    enrolment = EnrolmentFactory(program=program, status=status)

    with pytest.raises(ServiceError, match="tidak dapat diakhiri"):
        enrolment_end(
            actor=admin, enrolment=enrolment, reason=EndReason.OTHER, date=dt.date(2025, 6, 1)
        )


def test_the_date_may_not_come_before_the_start(admin, active):
    with pytest.raises(ServiceError, match="sebelum mulai kepesertaan \\(01-03-2025\\)"):
        enrolment_end(
            actor=admin, enrolment=active, reason=EndReason.MOVED, date=dt.date(2025, 2, 28)
        )
    active.refresh_from_db()
    assert active.status == EnrolmentStatus.ACTIVE


def test_the_date_may_not_come_after_the_program_ends(admin, pemda):
    # A program from July 2025 for 6 months ends on 31 December 2025.
    program = ProgramFactory(pemda=pemda, start_month=dt.date(2025, 7, 1), coverage_months=6)
    enrolment = EnrolmentFactory(program=program)

    enrolment_end(
        actor=admin, enrolment=enrolment, reason=EndReason.OVER_AGE, date=dt.date(2025, 12, 31)
    )
    other = EnrolmentFactory(program=program)
    with pytest.raises(ServiceError, match="sesudah program berakhir \\(31-12-2025\\)"):
        enrolment_end(
            actor=admin, enrolment=other, reason=EndReason.OVER_AGE, date=dt.date(2026, 1, 1)
        )


def test_an_unknown_reason_is_refused(admin, active):
    with pytest.raises(ServiceError, match="Alasan berakhir tidak dikenal"):
        enrolment_end(actor=admin, enrolment=active, reason="bored", date=dt.date(2025, 6, 1))


def test_a_stale_copy_cannot_end_what_someone_else_changed(admin, active):
    stale = Enrolment.objects.get(pk=active.pk)
    enrolment_end(actor=admin, enrolment=active, reason=EndReason.MOVED, date=dt.date(2025, 6, 1))

    with pytest.raises(ConflictError):
        enrolment_end(
            actor=admin, enrolment=stale, reason=EndReason.OTHER, date=dt.date(2025, 6, 2)
        )


# --- the page ---------------------------------------------------------------------------


def url(enrolment):
    return reverse("enrollment:enrolment_end", args=[enrolment.pk])


def test_a_verifier_sees_the_form_with_the_nik_masked(verifier, active):
    response = client_for(verifier).get(url(active))

    assert response.status_code == 200
    assert "Akhiri kepesertaan" in response.text
    assert active.worker.nik not in response.text


def test_the_page_ends_the_enrolment_only_once_confirmed(verifier, active):
    client = client_for(verifier)
    form = {"reason": "civil_servant", "date": "2025-08-31"}

    unconfirmed = client.post(url(active), form)
    active.refresh_from_db()
    assert unconfirmed.status_code == 200
    assert active.status == EnrolmentStatus.ACTIVE
    assert "Centang konfirmasi" in unconfirmed.text

    done = client.post(url(active), {**form, "confirm": "on", "next": "/kepesertaan/bpjs/"})
    active.refresh_from_db()
    assert done.status_code == 302
    assert done["Location"] == "/kepesertaan/bpjs/"
    assert (active.status, active.end_reason) == (EnrolmentStatus.ENDED, "civil_servant")
    assert active.ended_on == dt.date(2025, 8, 31)


def test_a_date_the_rules_refuse_is_shown_on_the_form_not_a_500(admin, active):
    response = client_for(admin).post(
        url(active), {"reason": "moved", "date": "2024-12-31", "confirm": "on"}
    )

    assert response.status_code == 200
    assert "sebelum mulai kepesertaan" in response.text


def test_an_operator_may_not_end_an_enrolment(operator, active):
    assert client_for(operator).get(url(active)).status_code == 403


def test_another_pemda_cannot_find_the_enrolment(foreign_admin, active):
    assert client_for(foreign_admin).get(url(active)).status_code == 404
