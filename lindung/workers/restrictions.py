"""Restriction of processing (UU PDP 27/2022 Pasal 11; goal S13): the admin marks a person,
by NIK, as restricted with a reason, and lifts it later; both audited. While in force, the
person's rows are held out of allocation, renewal and the BPJS registration file
(`restricted_niks`, read by the enrollment app); their data stays as it is."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.accounts.access import scope_to_pemda
from lindung.accounts.models import Actor, Pemda, Role, User
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.domain.nik import mask_nik
from lindung.workers.models import Restriction

NIK_TYPED = re.compile(r"[0-9]{16}")
# Said wherever a restricted person is left out, so the reason is read in words.
HELD_REASON = gettext_lazy(
    "pemrosesan datanya dibatasi atas permintaan yang bersangkutan (UU PDP Pasal 11)"
)


def nik_typed(value: str) -> str:
    """A NIK as typed by staff (spaces and dots allowed between digits), or ServiceError."""
    nik = re.sub(r"[\s.\-]", "", value or "")
    if not NIK_TYPED.fullmatch(nik):
        raise ServiceError(_("NIK harus 16 angka."))
    return nik


def _admin(actor: Actor) -> User:
    if not isinstance(actor, User) or not actor.is_active or actor.pemda_id is None:
        raise ServiceError(_("Hanya admin Pemda yang dapat membatasi pemrosesan data."))
    if actor.role != Role.ADMIN:
        raise ServiceError(_("Hanya admin Pemda yang dapat membatasi pemrosesan data."))
    return actor


def restriction_place(*, actor: Actor, nik: str, reason: str) -> Restriction:
    """Restrict processing of the person with `nik` in the admin's Pemda. Refused when a
    restriction is already in force or no reason is given."""
    user = _admin(actor)
    nik = nik_typed(nik)
    reason = (reason or "").strip()[:255]
    if not reason:
        raise ServiceError(_("Tuliskan alasan pembatasan (misalnya nomor surat permintaan)."))
    pemda = Pemda.objects.get(pk=user.pemda_id or 0)
    try:
        with transaction.atomic():
            restriction = Restriction.objects.create(
                pemda=pemda, nik=nik, reason=reason, placed_by=user
            )
            audit_record(
                actor=user,
                action="restriction.placed",
                obj=restriction,
                pemda=pemda,
                changes={"nik": mask_nik(nik), "reason": reason},
                label=mask_nik(nik),
            )
    except IntegrityError as exc:
        raise ServiceError(_("Pemrosesan data NIK ini sudah dibatasi.")) from exc
    return restriction


def restriction_lift(*, actor: Actor, restriction: Restriction, reason: str) -> Restriction:
    """Lift a restriction in force (the person's data is processed again); audited."""
    user = _admin(actor)
    if restriction.pemda_id != user.pemda_id:
        raise ServiceError(_("Pembatasan ini bukan milik Pemda Anda."))
    reason = (reason or "").strip()[:255]
    if not reason:
        raise ServiceError(_("Tuliskan alasan pencabutan pembatasan."))
    with transaction.atomic():
        lifted = Restriction.objects.filter(pk=restriction.pk, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by=user, lift_reason=reason
        )
        if not lifted:
            raise ServiceError(_("Pembatasan ini sudah dicabut."))
        restriction.refresh_from_db()
        audit_record(
            actor=user,
            action="restriction.lifted",
            obj=restriction,
            changes={"nik": mask_nik(restriction.nik), "reason": reason},
            label=mask_nik(restriction.nik),
        )
    return restriction


def restricted_niks(*, pemda_id: int) -> set[str]:
    """The NIKs of the Pemda whose processing is restricted now."""
    return set(
        Restriction.objects.filter(pemda_id=pemda_id, lifted_at__isnull=True).values_list(
            "nik", flat=True
        )
    )


def restriction_list(*, user: User) -> QuerySet[Restriction]:
    """The user's Pemda's restrictions, in force first, newest first."""
    return scope_to_pemda(
        Restriction.objects.select_related("placed_by", "lifted_by"), user
    ).order_by(F("lifted_at").desc(nulls_first=True), "-placed_at", "-pk")


def restrictions_of(*, user: User, nik: str) -> QuerySet[Restriction]:
    """Every restriction (in force or lifted) of one NIK in the user's Pemda."""
    return restriction_list(user=user).filter(nik=nik)
