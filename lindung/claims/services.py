"""Writes of a claim: its report (cover and entitlement computed from the records on the
incident day; a death ends the enrolment on that day) and each step to the hand-over, every
one a conditional UPDATE on the claim's status and version, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.access import CLAIM_HANDLERS
from lindung.accounts.models import Actor, User
from lindung.audit.services import audit_record
from lindung.claims.checklist import missing
from lindung.claims.cover import entitlement_for
from lindung.claims.models import Claim, ClaimDocument, ClaimKind, ClaimStatus, Reporter
from lindung.common.errors_domain import ConflictError, ServiceError
from lindung.domain.cover import ClaimType
from lindung.domain.entitlement import Transport
from lindung.domain.rulebook import RuleError, RuleNotFound
from lindung.enrollment.lifecycle import CAN_END, enrolment_end
from lindung.workers.models import EndReason, Enrolment

S = ClaimStatus
# Each step: the statuses it starts from and its audit action.
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    S.DOCUMENTS_COMPLETE: ((S.REPORTED,), "claim.documents_complete"),
    S.SUBMITTED: ((S.DOCUMENTS_COMPLETE,), "claim.submitted"),
    S.PAID: ((S.SUBMITTED,), "claim.paid"),
    S.HANDED_OVER: ((S.PAID,), "claim.handed_over"),
    S.REJECTED: ((S.REPORTED, S.DOCUMENTS_COMPLETE, S.SUBMITTED), "claim.rejected"),
}


def handler(actor: Actor, pemda_id: int) -> User:
    """The acting claim handler of this Pemda, or a refusal."""
    if (
        not isinstance(actor, User)
        or not actor.is_active
        or actor.pemda_id != pemda_id
        or not actor.has_role(*CLAIM_HANDLERS)
    ):
        raise ServiceError(_("Hanya admin atau verifikator yang menangani klaim."))
    return actor


@dataclass(frozen=True)
class Incident:
    """What is reported: the type, day, place, story and who reported it, and what the
    entitlement depends on (months off work, table percent, transport, children)."""

    kind: str
    incident_on: dt.date
    place: str
    reported_by: str
    reporter_name: str
    description: str = ""
    months_off_work: Decimal | None = None
    percent: Decimal | None = None
    transport: Transport | None = None
    children: int = 0


def _check(incident: Incident, today: dt.date) -> None:
    if incident.kind not in ClaimKind.values:
        raise ServiceError(_("Jenis klaim tidak dikenal."))
    if incident.reported_by not in Reporter.values:
        raise ServiceError(_("Pelapor tidak dikenal."))
    if incident.incident_on > today:
        raise ServiceError(_("Tanggal kejadian tidak boleh sesudah hari ini."))
    if not incident.place.strip() or not incident.reporter_name.strip():
        raise ServiceError(_("Tempat kejadian dan nama pelapor wajib diisi."))


def claim_report(*, actor: Actor, enrolment: Enrolment, incident: Incident) -> Claim:
    """Report an incident of ``enrolment``'s participant. Cover and entitlement are computed
    now from the records and kept on the claim. A death (JKM, JKK-DEATH) ends the enrolment
    on the incident day with reason deceased, so billing stops after that month."""
    user = handler(actor, enrolment.pemda_id)
    today = timezone.localdate()
    _check(incident, today)
    kind = ClaimType(incident.kind)
    if (
        kind.is_death
        and Claim.objects.filter(enrolment=enrolment, kind__in=[ClaimType.JKM, ClaimType.JKK_DEATH])
        .exclude(status=ClaimStatus.REJECTED)
        .exists()
    ):
        raise ServiceError(_("Kematian peserta ini sudah dilaporkan."))
    try:
        cover, result = entitlement_for(
            enrolment=enrolment,
            kind=kind,
            incident_on=incident.incident_on,
            months_off_work=incident.months_off_work,
            percent=incident.percent,
            transport=incident.transport,
            children=incident.children,
            today=today,
        )
    except (RuleError, RuleNotFound) as exc:
        raise ServiceError(str(exc)) from exc
    with transaction.atomic():
        if kind.is_death and enrolment.status in CAN_END:
            enrolment_end(
                actor=user, enrolment=enrolment, reason=EndReason.DECEASED,
                date=incident.incident_on,
            )  # fmt: skip
        claim = Claim.objects.create(
            pemda_id=enrolment.pemda_id,
            program_id=enrolment.program_id,
            enrolment=enrolment,
            agency_id=enrolment.agency_id,
            kind=kind.value,
            incident_on=incident.incident_on,
            place=incident.place.strip(),
            description=incident.description.strip(),
            reported_by=incident.reported_by,
            reporter_name=incident.reporter_name.strip(),
            months_off_work=incident.months_off_work,
            disability_percent=incident.percent,
            children=incident.children,
            cover=cover.to_dict(),
            entitlement=result.to_dict(),
            total=result.total,
            created_by=user,
        )
        audit_record(
            actor=user,
            action="claim.reported",
            obj=claim,
            changes={
                "kind": claim.kind,
                "incident_on": claim.incident_on,
                "entitled": result.entitled,
                "total": result.total,
            },
        )
    return claim


def reported_late(claim: Claim) -> bool:
    """Whether an accident was reported to the Pemda after the stage-I deadline (2 × 24 h
    after the accident day; PP 44/2015 Pasal 44)."""
    deadline = claim.cover.get("report_deadline")
    if not deadline:
        return False
    reported_on = timezone.localdate(claim.created_at)
    return reported_on > dt.date.fromisoformat(deadline)


def _fields(to: str, details: dict[str, Any]) -> dict[str, Any]:
    """The fields a step sets, checked."""
    if to == S.PAID:
        amount, paid_on = details.get("paid_amount"), details.get("paid_on")
        if not isinstance(amount, int) or amount <= 0 or not isinstance(paid_on, dt.date):
            raise ServiceError(_("Isi jumlah yang dibayar BPJS dan tanggalnya."))
        return {"paid_amount": amount, "paid_on": paid_on}
    if to == S.HANDED_OVER:
        day = details.get("handed_over_on")
        place = str(details.get("handed_over_place") or "").strip()
        by = str(details.get("handed_over_by") or "").strip()
        if not isinstance(day, dt.date) or not place or not by:
            raise ServiceError(_("Isi tanggal, tempat dan siapa yang menyerahkan."))
        return {"handed_over_on": day, "handed_over_place": place, "handed_over_by": by}
    if to == S.REJECTED:
        reason = str(details.get("rejected_reason") or "").strip()
        if not reason:
            raise ServiceError(_("Isi alasan klaim ditolak."))
        return {"rejected_reason": reason}
    return {}


def _documents_complete(claim: Claim) -> None:
    """Refuse "documents complete" while a required checklist item has neither an upload
    nor a waiver."""
    present = set(ClaimDocument.objects.filter(claim=claim).values_list("item", flat=True))
    lacking = missing(claim.kind, present)
    if lacking:
        raise ServiceError(
            _("Berkas belum lengkap: %(items)s.")
            % {"items": ", ".join(str(item.label) for item in lacking)}
        )


def claim_view_record(*, actor: Actor, claim: Claim) -> None:
    """Note who viewed a claim's page (heirs, papers, the accident story: need-to-know);
    audited `claim.viewed`."""
    user = handler(actor, claim.pemda_id)
    audit_record(actor=user, action="claim.viewed", obj=claim, changes={"status": claim.status})


def claim_advance(*, actor: Actor, claim: Claim, to: str, **details: Any) -> Claim:
    """Move ``claim`` one step: documents complete (every required paper uploaded or
    waived) → submitted to BPJS → paid (amount, date)
    → handed over (date, place, by whom); or rejected (reason) before it is paid."""
    user = handler(actor, claim.pemda_id)
    if to not in STEPS:
        raise ServiceError(_("Langkah klaim tidak dikenal."))
    sources, action = STEPS[to]
    if claim.status not in sources:
        raise ServiceError(
            _("Klaim berstatus %(status)s tidak dapat dipindah ke %(to)s.")
            % {"status": ClaimStatus(claim.status).label, "to": ClaimStatus(to).label}
        )
    fields = _fields(to, details)
    if to == S.HANDED_OVER and fields["handed_over_on"] < (claim.paid_on or dt.date.min):
        raise ServiceError(_("Tanggal penyerahan tidak boleh sebelum tanggal dibayar."))
    with transaction.atomic():
        if to == S.DOCUMENTS_COMPLETE:
            # The claim row locked so a paper cannot be removed while this is checked.
            Claim.objects.select_for_update().filter(pk=claim.pk).first()
            _documents_complete(claim)
        updated = Claim.objects.filter(
            pk=claim.pk, version=claim.version, status=claim.status
        ).update(status=to, version=F("version") + 1, updated_at=timezone.now(), **fields)
        if updated != 1:
            raise ConflictError()
        audit_record(
            actor=user, action=action, obj=claim,
            changes={"status": [claim.status, to], **fields},
        )  # fmt: skip
    claim.refresh_from_db()
    return claim
