"""Heirs of a participant whose death is claimed: added and removed by a claim handler,
audited; the first in the order of PP 44/2015 Pasal 40 ayat (2) receives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor
from lindung.audit.services import audit_record
from lindung.claims.models import Claim, ClaimStatus, Heir, HeirRelationship
from lindung.claims.services import handler
from lindung.common.errors_domain import ServiceError
from lindung.domain.cover import ClaimType
from lindung.domain.nik import mask_nik, parse_nik

# Heirs can change until BPJS has paid.
OPEN = (ClaimStatus.REPORTED, ClaimStatus.DOCUMENTS_COMPLETE, ClaimStatus.SUBMITTED)


def heir_receiving(heirs: Iterable[Heir]) -> Heir | None:
    """The heir who receives: the first by relationship order, then rank (PP 44/2015
    Pasal 40 ayat (2)); None when there is none (the funeral cost then goes to whoever
    arranged the burial, PP 82/2019 Pasal 34 ayat (2))."""
    return min(heirs, key=lambda heir: heir.order_key, default=None)


def heirs_in_order(heirs: Iterable[Heir]) -> list[Heir]:
    return sorted(heirs, key=lambda heir: heir.order_key)


def _open(claim: Claim) -> None:
    if not ClaimType(claim.kind).is_death:
        raise ServiceError(_("Ahli waris hanya dicatat untuk klaim kematian."))
    if claim.status not in OPEN:
        raise ServiceError(_("Ahli waris tidak dapat diubah setelah klaim dibayar atau ditolak."))


def heir_add(
    *,
    actor: Actor,
    claim: Claim,
    name: str,
    relationship: str,
    nik: str,
    birth_date: dt.date | None = None,
    phone: str = "",
    rank: int = 1,
) -> Heir:
    """Add an heir to a death claim; audited `claim.heir_added` (NIK masked)."""
    user = handler(actor, claim.pemda_id)
    _open(claim)
    name = " ".join(name.split())
    if not name:
        raise ServiceError(_("Nama ahli waris wajib diisi."))
    if relationship not in HeirRelationship.values:
        raise ServiceError(_("Hubungan ahli waris tidak dikenal."))
    today = timezone.localdate()
    checked = parse_nik(nik, as_of=today)
    if not checked.valid or checked.nik is None:
        problem = checked.errors[0].message if checked.errors else ""
        raise ServiceError(_("NIK ahli waris tidak valid. %(why)s") % {"why": problem})
    if birth_date is not None and birth_date > today:
        raise ServiceError(_("Tanggal lahir ahli waris tidak boleh sesudah hari ini."))
    if rank < 1:
        raise ServiceError(_("Urutan dimulai dari 1."))
    with transaction.atomic():
        heir = Heir.objects.create(
            claim=claim, name=name, relationship=relationship, nik=checked.nik,
            birth_date=birth_date, phone=phone.strip(), rank=rank,
        )  # fmt: skip
        audit_record(
            actor=user,
            action="claim.heir_added",
            obj=claim,
            changes={"heir": heir.pk, "relationship": relationship, "nik": mask_nik(heir.nik),
                     "rank": rank},
        )  # fmt: skip
    return heir


def heir_remove(*, actor: Actor, heir: Heir) -> None:
    """Remove an heir entered by mistake; audited `claim.heir_removed`."""
    claim = heir.claim
    user = handler(actor, claim.pemda_id)
    _open(claim)
    with transaction.atomic():
        audit_record(
            actor=user,
            action="claim.heir_removed",
            obj=claim,
            changes={"heir": heir.pk, "relationship": heir.relationship,
                     "nik": mask_nik(heir.nik)},
        )  # fmt: skip
        heir.delete()
