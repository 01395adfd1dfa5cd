"""What the enrollment commands share: the acting user named by --user, and dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lindung.accounts.models import Actor, User
from lindung.common.commands import UsageError
from lindung.programs.models import Program

SYSTEM_ACTOR = "cli"  # as `lindung verify` and the other commands name themselves


def command_actor(
    username: str | None, *, program: Program, roles: Sequence[str], required: bool = False
) -> Actor:
    """The active user of the program's Pemda named by --user, holding one of `roles`; the
    system actor when no user is named and none is required."""
    if not username:
        if required:
            raise UsageError("--user wajib diisi.")
        return SYSTEM_ACTOR
    user = User.objects.filter(username=username, pemda_id=program.pemda_id, is_active=True).first()
    if user is None:
        raise UsageError(f"Pengguna {username!r} tidak ditemukan di Pemda program ini.")
    if not user.has_role(*roles):
        raise UsageError(f"Pengguna {username!r} tidak berwenang untuk tindakan ini.")
    return user


def iso_date(value: str, *, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"{option} harus berformat TTTT-BB-HH, tertulis {value!r}.") from exc
