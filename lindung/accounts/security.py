"""Lockout and the second factor (issue 15 point 1): the writes, each with its audit event.

Lockout is django-axes (settings AXES_*); the second factor is django-otp's TOTP device,
with its static device holding the one-time recovery codes."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lindung.accounts.models import User
from lindung.accounts.services import _end_sessions
from lindung.audit.services import audit_record

RECOVERY_CODES = 10


# --- Lockout -------------------------------------------------------------------------------


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def login_locked_recorded(*, username: str, failures: int) -> None:
    """The moment a username and address pair is locked out. Like a failed login, the name
    typed is kept only when it is an existing account's."""
    target = User.objects.filter(username=username[:150]).select_related("pemda").first()
    changes: dict[str, Any] = {"failures": failures, "minutes": cooloff_minutes()}
    if target is not None:
        changes = {"username": target.username, **changes}
    audit_record(
        actor=target.username if target is not None else "anonim",
        action="user.locked_out",
        obj=target,
        pemda=target.pemda if target is not None else None,
        changes=changes,
    )


def user_is_locked(*, user: User) -> bool:
    """Locked from at least one address right now."""
    since = timezone.now() - timedelta(seconds=settings.AXES_COOLOFF_TIME.total_seconds())
    return bool(
        AccessAttempt.objects.filter(
            username=user.username,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).exists()
    )


def user_unlock(*, actor: User, user: User) -> int:
    """An admin lifts the lockout of an account from every address."""
    with transaction.atomic():
        removed = int(axes_reset(username=user.username))
        audit_record(actor=actor, action="user.unlocked", obj=user, changes={"records": removed})
    return removed


# --- Second factor -------------------------------------------------------------------------


def has_second_factor(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def totp_pending(*, user: User) -> TOTPDevice:
    """The not yet confirmed TOTP device the enrolment page shows (a new secret per user
    until confirmed; no audit event, nothing is in force yet)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as the authenticator apps take it typed in: base32 in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def mfa_enrol(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending device with a code from the app. Returns the new recovery codes
    (shown once, stored only as one-time tokens), or None when the code is wrong."""
    with transaction.atomic():
        if device.user_id != user.pk or not device.verify_token(_digits(token)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name="Kode pemulihan")
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        audit_record(actor=user, action="user.mfa_enrolled", obj=user)
    return codes


def second_factor_check(*, user: User, token: str) -> Device | None:
    """A code after the password: a TOTP code or one recovery code (used up). Audited
    either way. Each device throttles wrong codes (django-otp: 1, 2, 4 … seconds)."""
    token = token.strip().replace(" ", "")
    with transaction.atomic():
        matched: Device | None = None
        for device in devices_for_user(user, for_verify=True):
            candidate = _digits(token) if isinstance(device, TOTPDevice) else token.lower()
            if candidate and device.verify_token(candidate):
                matched = device
                break
        if matched is None:
            audit_record(actor=user, action="user.mfa_failed", obj=user)
        else:
            recovery = isinstance(matched, StaticDevice)
            audit_record(
                actor=user, action="user.mfa_passed", obj=user, changes={"recovery": recovery}
            )
    return matched


def user_mfa_reset(*, actor: User, user: User) -> None:
    """An admin removes a user's second factor (a lost phone): the user enrols again at the
    next login, and every open session of theirs ends."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _end_sessions(user)
        audit_record(actor=actor, action="user.mfa_reset", obj=user)


def _digits(token: str) -> str:
    return "".join(c for c in token if c.isdigit())[:8]
