"""An enrolment's lifecycle after approval: its end (deceased, moved, wage earner, civil
servant, over age, program ended, on request, other), with the date that decides billing
(billed through the month of the end, not after). Sending and activation are the BPJS
exchange's (`enrollment.bpjs`)."""

from __future__ import annotations

import datetime as dt
from typing import Final

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ConflictError, ServiceError
from lindung.enrollment.periods import program_end
from lindung.workers.models import EndReason, Enrolment, EnrolmentStatus, Worker

CAN_END: Final = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SENT, EnrolmentStatus.APPROVED)


def enrolment_start(enrolment: Enrolment) -> dt.date:
    """The first day the enrolment covers: BPJS's effective date, else its first month."""
    return enrolment.started_on or enrolment.start_month or enrolment.program.start_month


def enrolment_end(*, actor: Actor, enrolment: Enrolment, reason: str, date: dt.date) -> Enrolment:
    """End `enrolment` on `date` for `reason` (an `EndReason`). Only an approved, sent or
    active enrolment ends; the date lies between its start and the program's end. A death
    is recorded on the worker too."""
    if reason not in EndReason.values:
        raise ServiceError(_("Alasan berakhir tidak dikenal."))
    if enrolment.status not in CAN_END:
        raise ServiceError(
            _("Kepesertaan berstatus %(status)s tidak dapat diakhiri.")
            % {"status": EnrolmentStatus(enrolment.status).label}
        )
    start = enrolment_start(enrolment)
    if date < start:
        raise ServiceError(
            _("Tanggal berakhir tidak boleh sebelum mulai kepesertaan (%(date)s).")
            % {"date": start.strftime("%d-%m-%Y")}
        )
    last = program_end(enrolment.program)
    if date > last:
        raise ServiceError(
            _("Tanggal berakhir tidak boleh sesudah program berakhir (%(date)s).")
            % {"date": last.strftime("%d-%m-%Y")}
        )
    with transaction.atomic():
        updated = Enrolment.objects.filter(
            pk=enrolment.pk, version=enrolment.version, status=enrolment.status
        ).update(
            status=EnrolmentStatus.ENDED,
            ended_on=date,
            end_reason=reason,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if updated != 1:
            raise ConflictError()
        if reason == EndReason.DECEASED:
            Worker.objects.filter(pk=enrolment.worker_id).update(died_on=date)
        audit_record(
            actor=actor,
            action="enrolment.ended",
            obj=enrolment,
            changes={
                "status": [enrolment.status, EnrolmentStatus.ENDED],
                "reason": reason,
                "ended_on": date,
            },
        )
    enrolment.refresh_from_db()
    return enrolment
