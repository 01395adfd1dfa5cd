"""Rate and benefit tables as an officer reads them: Indonesian labels, rupiah, percentages,
months and long dates, instead of the tables' JSON keys and values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.domain.rulebook import format_rupiah

# How a value is shown: rupiah, a share of the declared income, months, years, a multiple of
# the declared monthly income, a count, a date, text, a list of programmes, of payers, or of
# sector periods.
RUPIAH, SHARE, MONTHS, YEARS, TIMES_INCOME, CHILDREN = (
    "rupiah",
    "share",
    "months",
    "years",
    "times_income",
    "children",
)
DATE, TEXT, BENEFITS, PAYERS, PERIODS = "date", "text", "benefits", "payers", "periods"

FIELDS: dict[str, tuple[Promise, str]] = {
    # Every table
    "version": (gettext_lazy("Versi"), TEXT),
    "effective_from": (gettext_lazy("Berlaku mulai"), DATE),
    "effective_to": (gettext_lazy("Berlaku sampai"), DATE),
    "legal_basis": (gettext_lazy("Dasar hukum"), TEXT),
    "notes": (gettext_lazy("Catatan"), TEXT),
    # Contribution rates
    "min_income": (gettext_lazy("Penghasilan dilaporkan paling rendah"), RUPIAH),
    "max_income": (gettext_lazy("Penghasilan dilaporkan paling tinggi"), RUPIAH),
    "jkk_rate": (gettext_lazy("Iuran JKK per bulan"), SHARE),
    "jkm_flat": (gettext_lazy("Iuran JKM per bulan"), RUPIAH),
    "jht_rate": (gettext_lazy("Iuran JHT per bulan (pilihan)"), SHARE),
    # Contribution relief
    "factor": (gettext_lazy("Iuran yang dibayar selama keringanan"), SHARE),
    "benefits": (gettext_lazy("Program yang mendapat keringanan"), BENEFITS),
    "periods": (gettext_lazy("Masa keringanan"), PERIODS),
    "excluded_payers": (gettext_lazy("Tidak berlaku bila iuran dibayar dari"), PAYERS),
    # Benefits
    "jkm_lump_sum": (gettext_lazy("JKM: santunan sekaligus"), RUPIAH),
    "jkm_periodic": (gettext_lazy("JKM: santunan berkala"), RUPIAH),
    "jkm_funeral": (gettext_lazy("JKM: biaya pemakaman"), RUPIAH),
    "jkm_short_membership_total": (
        gettext_lazy("JKM: santunan bila masa iur berturut-turut kurang dari batas"),
        RUPIAH,
    ),
    "jkm_min_consecutive_months": (
        gettext_lazy("JKM: masa iur berturut-turut untuk santunan penuh"),
        MONTHS,
    ),
    "jkm_scholarship_min_years": (gettext_lazy("JKM: masa iur untuk beasiswa anak"), YEARS),
    "max_arrears_months": (
        gettext_lazy("Tunggakan iuran paling lama agar manfaat tetap dibayar"),
        MONTHS,
    ),
    "stmb_full_months": (
        gettext_lazy("JKK: santunan tidak mampu bekerja (STMB) penuh selama"),
        MONTHS,
    ),
    "stmb_full_rate": (gettext_lazy("JKK: STMB pada masa penuh"), SHARE),
    "stmb_reduced_rate": (gettext_lazy("JKK: STMB sesudah masa penuh"), SHARE),
    "ctt_multiplier": (gettext_lazy("JKK: santunan cacat total tetap"), TIMES_INCOME),
    "ctt_periodic": (gettext_lazy("JKK: santunan berkala cacat total tetap"), RUPIAH),
    "death_multiplier": (
        gettext_lazy("JKK: santunan meninggal karena kecelakaan kerja"),
        TIMES_INCOME,
    ),
    "death_floor": (
        gettext_lazy("JKK: santunan meninggal karena kecelakaan kerja, paling sedikit"),
        RUPIAH,
    ),
    "death_periodic": (
        gettext_lazy("JKK: santunan berkala meninggal karena kecelakaan kerja"),
        RUPIAH,
    ),
    "death_funeral": (
        gettext_lazy("JKK: biaya pemakaman meninggal karena kecelakaan kerja"),
        RUPIAH,
    ),
    "partial_disability_multiplier": (
        gettext_lazy("JKK: santunan cacat sebagian (dikali persentase cacat)"),
        TIMES_INCOME,
    ),
    "transport_land_cap": (gettext_lazy("JKK: biaya angkut darat paling banyak"), RUPIAH),
    "transport_sea_cap": (gettext_lazy("JKK: biaya angkut laut paling banyak"), RUPIAH),
    "transport_air_cap": (gettext_lazy("JKK: biaya angkut udara paling banyak"), RUPIAH),
    "scholarship_max_total": (gettext_lazy("Beasiswa anak paling banyak (seluruhnya)"), RUPIAH),
    "scholarship_max_children": (gettext_lazy("Beasiswa untuk paling banyak"), CHILDREN),
}

PAYER_LABELS = {
    "apbd": gettext_lazy("APBD"),
    "apbn": gettext_lazy("APBN"),
    "apbdes": gettext_lazy("APBDes"),
    "self": gettext_lazy("pekerja sendiri"),
    "csr": gettext_lazy("CSR"),
}
SECTOR_LABELS = {
    "transport": gettext_lazy("Sektor transportasi"),
    "other": gettext_lazy("Sektor lain"),
}
# Shown apart from the table: in the heading (version, dates) and above it (legal basis).
HEADER_FIELDS = ("version", "effective_from", "effective_to", "legal_basis")


@dataclass(frozen=True)
class RuleLine:
    label: str
    value: str


def label_for(key: str) -> str:
    """The Indonesian label of a table entry; an unknown key is at least shown as words."""
    if key in FIELDS:
        return str(FIELDS[key][0])
    return key.replace("_", " ").capitalize()


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def long_date(value: Any) -> str:
    day = _as_date(value)
    return formats.date_format(day, "j F Y") if day else str(value)


def _month(value: Any) -> str:
    day = _as_date(value)
    return formats.date_format(day, "F Y") if day else str(value)


def display_value(key: str, value: Any) -> str:
    """One entry's value in words: `Rp 6.800`, `1% dari penghasilan`, `3 bulan`..."""
    kind = FIELDS[key][1] if key in FIELDS else None
    if value is None or value == "" or value == []:
        if key == "effective_to":
            return _("berlaku sampai sekarang")
        return "—"
    try:
        if kind == RUPIAH:
            return format_rupiah(int(value))
        if kind == SHARE:
            share = _number(Decimal(str(value)) * 100)
            if key == "factor":
                return _("%(share)s%% dari iuran biasa") % {"share": share}
            return _("%(share)s%% dari penghasilan yang dilaporkan") % {"share": share}
        if kind == MONTHS:
            return _("%(n)s bulan") % {"n": value}
        if kind == YEARS:
            return _("%(n)s tahun") % {"n": value}
        if kind == TIMES_INCOME:
            return _("%(n)s × penghasilan sebulan") % {"n": value}
        if kind == CHILDREN:
            return _("%(n)s anak") % {"n": value}
    except (TypeError, ValueError, InvalidOperation):
        return str(value)
    if kind == DATE:
        return long_date(value)
    if kind == BENEFITS and isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if kind == PAYERS and isinstance(value, list):
        return ", ".join(str(PAYER_LABELS.get(str(item), item)) for item in value)
    if kind == PERIODS and isinstance(value, list):
        return "; ".join(_period(item) for item in value)
    return _plain(value)


def _period(item: Any) -> str:
    if not isinstance(item, dict):
        return _plain(item)
    sector = SECTOR_LABELS.get(str(item.get("sector")), item.get("sector"))
    return _("%(sector)s: %(first)s sampai %(last)s") % {
        "sector": sector,
        "first": _month(item.get("first_month")),
        "last": _month(item.get("last_month")),
    }


def _plain(value: Any) -> str:
    """Anything else in words, never Python's repr of a list or dict."""
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{label_for(str(k))}: {_plain(v)}" for k, v in value.items())
    if value is None:
        return "—"
    return str(value)


def rule_lines(payload: dict[str, Any]) -> list[RuleLine]:
    """The table's entries, in the table's order, the heading fields left out."""
    return [
        RuleLine(label=label_for(key), value=display_value(key, value))
        for key, value in payload.items()
        if key not in HEADER_FIELDS
    ]
