"""`{% nik value agency=... %}`: a NIK in full for those who act on it, masked for the rest
(the rule is `accounts.access.sees_full_nik`)."""

from __future__ import annotations

from typing import Any

from django import template

from lindung.accounts.access import sees_full_nik
from lindung.domain.nik import mask_nik

register = template.Library()


@register.simple_tag(takes_context=True)
def nik(context: template.Context, value: str | None, agency: int | None = None) -> str:
    if not value:
        return "—"
    user: Any = context.get("user")
    return value if sees_full_nik(user, agency_id=agency) else mask_nik(value)
