from __future__ import annotations

import datetime as dt

from django import template

from lindung.domain.nik import mask_nik
from lindung.domain.rulebook import format_rupiah

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """`1700000000` → `Rp 1.700.000.000`."""
    if value is None or value == "":
        return "—"
    return format_rupiah(int(value))


@register.filter
def masked(nik: str | None) -> str:
    """NIKs are masked in lists; full ones only where the task needs them."""
    return mask_nik(nik) if nik else "—"


@register.filter
def thousands(value: int | None) -> str:
    if value is None:
        return "—"
    return f"{int(value):,}".replace(",", ".")


@register.filter
def cell(value: object) -> object:
    """A spreadsheet cell as the user typed it: 1.0 → 1, a date → dd-mm-yyyy."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d-%m-%Y")
    return value
