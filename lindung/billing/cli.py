"""What the billing commands share: a month and a user from the command line."""

from __future__ import annotations

import datetime as dt

from lindung.accounts.models import User
from lindung.common.commands import UsageError
from lindung.programs.models import Program


def parse_month(value: str, option: str) -> dt.date:
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m").date()  # noqa: DTZ007 - a month
    except ValueError as exc:
        raise UsageError(f"{option} harus berformat TTTT-BB, tertulis {value!r}.") from exc


def find_user(username: str, program: Program) -> User:
    user = User.objects.filter(username=username, pemda_id=program.pemda_id, is_active=True).first()
    if user is None:
        raise UsageError(f"Pengguna {username!r} tidak ditemukan di Pemda program ini.")
    return user
