"""Writes for Pemda, agencies and users. Each runs in one transaction with its audit event."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Agency, AgencyKind, Pemda, Role, User
from lindung.audit.services import audit_record, diff, snapshot
from lindung.common.errors_domain import ConflictError, ServiceError
from lindung.regions.models import Region, RegionLevel

AGENCY_FIELDS = ("code", "name", "kind", "village", "sector", "is_active")
USER_FIELDS = ("username", "first_name", "email", "role", "agency", "phone", "is_active")


def pemda_create(*, actor: Actor, code: str, name: str, region: Region) -> Pemda:
    if region.level != RegionLevel.REGENCY:
        raise ServiceError(_("Wilayah Pemda harus kabupaten/kota."))
    with transaction.atomic():
        pemda = Pemda.objects.create(code=code, name=name, region=region)
        audit_record(
            actor=actor,
            action="pemda.created",
            obj=pemda,
            pemda=pemda,
            changes={"code": code, "name": name, "region": region.code},
        )
    return pemda


def _check_agency(*, pemda: Pemda, kind: str, village: Region | None) -> None:
    if kind == AgencyKind.VILLAGE:
        if village is None:
            raise ServiceError(_("Pilih desa/kelurahan untuk instansi jenis desa."))
        if village.level != RegionLevel.VILLAGE or not village.code.startswith(
            pemda.region_id + "."
        ):
            raise ServiceError(_("Desa/kelurahan harus berada di wilayah Pemda ini."))


def agency_create(
    *,
    actor: Actor,
    pemda: Pemda,
    code: str,
    name: str,
    kind: str = AgencyKind.OPD,
    village: Region | None = None,
    sector: str = "",
    is_active: bool = True,
) -> Agency:
    _check_agency(pemda=pemda, kind=kind, village=village)
    if Agency.objects.filter(pemda=pemda, code=code).exists():
        raise ServiceError(_("Kode instansi %(code)s sudah dipakai.") % {"code": code})
    with transaction.atomic():
        agency = Agency.objects.create(
            pemda=pemda,
            code=code,
            name=name,
            kind=kind,
            village=village if kind == AgencyKind.VILLAGE else None,
            sector=sector,
            is_active=is_active,
        )
        audit_record(
            actor=actor,
            action="agency.created",
            obj=agency,
            changes=diff({}, snapshot(agency, AGENCY_FIELDS)),
        )
    return agency


def agency_update(*, actor: Actor, agency: Agency, version: int, **fields: Any) -> Agency:
    """Update with an optimistic version check: a stale form is refused, never merged."""
    kind = fields.get("kind", agency.kind)
    village = fields.get("village", agency.village)
    _check_agency(pemda=agency.pemda, kind=kind, village=village)
    code = fields.get("code", agency.code)
    if Agency.objects.filter(pemda=agency.pemda, code=code).exclude(pk=agency.pk).exists():
        raise ServiceError(_("Kode instansi %(code)s sudah dipakai.") % {"code": code})
    if kind != AgencyKind.VILLAGE:
        fields["village"] = None
    with transaction.atomic():
        # The "before" side comes from the database: a ModelForm has already written the new
        # values onto the caller's instance, which would leave the audit diff empty.
        before = snapshot(Agency.objects.get(pk=agency.pk), AGENCY_FIELDS)
        updated = Agency.objects.filter(pk=agency.pk, version=version).update(
            version=version + 1,
            **{k: v for k, v in fields.items() if k in AGENCY_FIELDS},
        )
        if not updated:
            raise ConflictError()
        agency.refresh_from_db()
        audit_record(
            actor=actor,
            action="agency.updated",
            obj=agency,
            changes=diff(before, snapshot(agency, AGENCY_FIELDS)),
        )
    return agency


def _check_user_scope(*, pemda: Pemda, role: str, agency: Agency | None) -> None:
    if role == Role.AGENCY_OPERATOR and (agency is None or agency.kind != AgencyKind.OPD):
        raise ServiceError(_("Operator OPD harus terhubung ke sebuah OPD."))
    if role == Role.VILLAGE_OPERATOR and (agency is None or agency.kind != AgencyKind.VILLAGE):
        raise ServiceError(_("Operator Desa harus terhubung ke sebuah desa."))
    if agency is not None and agency.pemda_id != pemda.pk:
        raise ServiceError(_("Instansi tidak ditemukan di Pemda ini."))


def user_create(
    *,
    actor: Actor,
    pemda: Pemda,
    username: str,
    password: str,
    role: str,
    agency: Agency | None = None,
    first_name: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    _check_user_scope(pemda=pemda, role=role, agency=agency)
    if role not in (Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR):
        agency = None
    if User.objects.filter(username=username).exists():
        raise ServiceError(_("Nama pengguna %(name)s sudah dipakai.") % {"name": username})
    user = User(
        pemda=pemda,
        username=username,
        role=role,
        agency=agency,
        first_name=first_name,
        email=email,
        phone=phone,
    )
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        audit_record(
            actor=actor,
            action="user.created",
            obj=user,
            pemda=pemda,
            changes=diff({}, snapshot(user, USER_FIELDS)),
        )
    return user


def user_update(*, actor: Actor, user: User, **fields: Any) -> User:
    role = fields.get("role", user.role)
    agency = fields.get("agency", user.agency)
    if role not in (Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR):
        fields["agency"] = agency = None
    assert user.pemda is not None  # noqa: S101 - staff users always belong to a Pemda
    _check_user_scope(pemda=user.pemda, role=role, agency=agency)
    with transaction.atomic():
        # From the database, not `user`: a ModelForm has already written the new values onto
        # it, which emptied the audit diff and hid `is_active` going False (sessions stayed).
        before = snapshot(User.objects.get(pk=user.pk), USER_FIELDS)
        for key, value in fields.items():
            if key in USER_FIELDS:
                setattr(user, key, value)
        user.save()
        after = snapshot(user, USER_FIELDS)
        # Disabled, or moved to another role or agency: what the open sessions were allowed
        # to see is no longer theirs (ASVS 7.4.2, goal S6).
        if (before["is_active"] and not user.is_active) or any(
            before[key] != after[key] for key in ("role", "agency")
        ):
            _end_sessions(user)
        audit_record(
            actor=actor,
            action="user.updated",
            obj=user,
            changes=diff(before, after),
        )
    return user


def _end_sessions(user: User) -> None:
    """A disabled account loses every open session at once (ASVS 7.4.2)."""
    for session in Session.objects.all().iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


# --- Signing in and out (Django's auth views do the work; these record it) ------------------


def login_recorded(*, user: User) -> None:
    audit_record(actor=user, action="user.login", obj=user)


def login_failed_recorded(*, username: str) -> None:
    """A failed sign-in, filed under the Pemda of the account being tried so its admin sees
    attacks on it; attempts on unknown names stay Pemda-less (platform level) and without
    the name typed."""
    attempted = username[:150]
    target = User.objects.filter(username=attempted).select_related("pemda").first()
    if target is None:
        # What was typed is never kept: it is often a password typed in the wrong field.
        audit_record(actor="anonim", action="user.login_failed", changes={"account": "unknown"})
        return
    audit_record(
        actor=target.username,
        action="user.login_failed",
        pemda=target.pemda,
        changes={"username": target.username},
    )


def logout_recorded(*, user: User) -> None:
    audit_record(actor=user, action="user.logout", obj=user)


def password_changed_recorded(*, user: User) -> None:
    audit_record(actor=user, action="user.password_changed", obj=user)


def password_reset_requested(*, email: str) -> None:
    """Only the address's domain is kept: the same answer is given whether or not the address
    is known (no account enumeration), and the log holds no full address."""
    audit_record(
        actor=None,
        action="user.password_reset_requested",
        changes={"email_domain": email.rpartition("@")[2]},
    )


def password_reset_recorded(*, user: User) -> None:
    audit_record(actor=user, action="user.password_reset", obj=user)
