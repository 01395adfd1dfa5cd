"""The demo year's claims, through the claims services as Disnaker uses them: a participant's
death (not caused by work) reported by the family, which ends the enrolment, followed to the
hand-over at the regent's office; a work accident submitted to BPJS; and an accident reported
yesterday. Cover and entitlement come from the recorded payments (`lindung.demo.money`)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from functools import cache

from lindung.accounts.models import User
from lindung.claims.checklist import missing
from lindung.claims.documents import claim_document_upload
from lindung.claims.models import Claim, ClaimStatus, Reporter
from lindung.claims.services import Incident, claim_advance, claim_report
from lindung.common.pdf import pdf_from_html
from lindung.domain.allocation import add_months
from lindung.domain.cover import ClaimType
from lindung.programs.models import Program
from lindung.workers.models import Enrolment, EnrolmentStatus

HANDOVER_PLACE = "Pendopo Kongas Arum Kusumaning Bongso, Tulungagung"
HANDOVER_BY = "Bupati Tulungagung"


def death_day(program: Program, as_of: dt.date) -> dt.date:
    """The day the demo's participant died: the 14th two months before `as_of`'s (so BPJS's
    bill of last month still holds them), within the program and not after `as_of`."""
    day = add_months(as_of.replace(day=1), -2).replace(day=14)
    return min(max(day, program.start_month.replace(day=14)), as_of)


def _within(program: Program, day: dt.date, as_of: dt.date) -> dt.date:
    return min(max(day, program.start_month.replace(day=1)), as_of)


@cache
def _sample_scan() -> bytes:
    """One page standing for every scanned paper of the demo's claims."""
    page = (
        "<p style='font-family:sans-serif'>Dokumen contoh — data demo Lindung, bukan dokumen "
        "asli.</p>"
    )
    return pdf_from_html(page)


def _papers(claim: Claim, by: User) -> None:
    """The family's papers for every required item of the claim's checklist."""
    for item in missing(claim.kind, set()):
        claim_document_upload(
            actor=by,
            claim=claim,
            item=item.code,
            upload=io.BytesIO(_sample_scan()),
            filename=f"{item.code}.pdf",
        )


def demo_death(*, program: Program, users: dict[str, User], as_of: dt.date) -> Claim | None:
    """One of this year's new participants died (`death_day`): the family reports it, the
    enrolment ends as deceased, and the benefit is paid by BPJS and handed over."""
    enrolment = (
        Enrolment.objects.filter(program=program, status=EnrolmentStatus.ACTIVE, imported=False)
        .order_by("pk")
        .first()
    )
    if enrolment is None:
        return None
    died_on = death_day(program, as_of)
    claim = claim_report(
        actor=users["verifikator"],
        enrolment=enrolment,
        incident=Incident(
            kind=ClaimType.JKM.value,
            incident_on=died_on,
            place="Rumah duka",
            reported_by=Reporter.FAMILY,
            reporter_name="Istri almarhum",
            description="Meninggal dunia karena sakit.",
        ),
    )
    admin = users["admin"]
    _papers(claim, admin)
    claim = claim_advance(actor=admin, claim=claim, to=ClaimStatus.DOCUMENTS_COMPLETE)
    claim = claim_advance(actor=admin, claim=claim, to=ClaimStatus.SUBMITTED)
    if claim.total <= 0:
        return claim  # nothing for BPJS to pay (e.g. a demo made in the program's first month)
    paid_on = min(died_on + dt.timedelta(days=30), as_of)
    claim = claim_advance(
        actor=admin, claim=claim, to=ClaimStatus.PAID, paid_amount=claim.total, paid_on=paid_on
    )
    return claim_advance(
        actor=admin,
        claim=claim,
        to=ClaimStatus.HANDED_OVER,
        handed_over_on=min(paid_on + dt.timedelta(days=7), as_of),
        handed_over_place=HANDOVER_PLACE,
        handed_over_by=HANDOVER_BY,
    )


def demo_accidents(*, program: Program, users: dict[str, User], as_of: dt.date) -> list[Claim]:
    """Two work accidents of the roster's participants: one last month, its documents
    complete and submitted to BPJS; one yesterday, just reported."""
    roster = list(
        Enrolment.objects.filter(
            program=program, status=EnrolmentStatus.ACTIVE, imported=True
        ).order_by("pk")[:2]
    )
    first = roster[0] if roster else None
    second = roster[1] if len(roster) > 1 else None
    claims: list[Claim] = []
    last_month = add_months(as_of.replace(day=1), -1)
    if first is not None:
        submitted = claim_report(
            actor=users["verifikator"],
            enrolment=first,
            incident=Incident(
                kind=ClaimType.JKK_STMB.value,
                incident_on=_within(program, last_month.replace(day=5), as_of),
                place="Jalan Raya Tulungagung–Trenggalek",
                reported_by=Reporter.VILLAGE,
                reporter_name="Kepala Desa",
                description="Terjatuh saat bekerja; patah tulang kaki, tidak mampu bekerja.",
                months_off_work=Decimal(2),
            ),
        )
        _papers(submitted, users["admin"])
        submitted = claim_advance(
            actor=users["admin"], claim=submitted, to=ClaimStatus.DOCUMENTS_COMPLETE
        )
        claims.append(
            claim_advance(actor=users["admin"], claim=submitted, to=ClaimStatus.SUBMITTED)
        )
    if second is not None:
        claims.append(
            claim_report(
                actor=users["verifikator"],
                enrolment=second,
                incident=Incident(
                    kind=ClaimType.JKK_STMB.value,
                    incident_on=_within(program, as_of - dt.timedelta(days=1), as_of),
                    place="Pasar Ngemplak, Tulungagung",
                    reported_by=Reporter.FAMILY,
                    reporter_name="Anak korban",
                    description="Tertimpa muatan saat bongkar barang di pasar.",
                    months_off_work=Decimal(1),
                ),
            )
        )
    return claims
