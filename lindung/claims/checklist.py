"""The documents each claim type needs, one table (data, not literals in views).

Sources (../shared/reference/domain-rules.md §2–3):
- JKM: PP 44/2015 Pasal 40 ayat (3) — death certificate, heirs' certificate and KPJ card make
  a claim complete; asked in practice also: KTP of the deceased and the heir, KK, marriage
  book, the heir's savings book (BPJSTK branch lists quoted in §3.1).
- JKK: PP 44/2015 Pasal 44 — stage-I accident report within 2 × 24 hours, stage-II report
  (also the claim) with the KPJ card, KTP, doctor's statement, transport receipts and medical
  receipts when the facility is not a BPJSTK partner; a death adds the JKM papers above.
- Scholarship papers (child's birth certificate, school letter) are claimed yearly by the
  heirs and are not part of this checklist.

A required item blocks "documents complete" until it has an upload or the officer notes why
it is not needed; an optional item never blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lindung.domain.cover import ClaimType


@dataclass(frozen=True)
class Item:
    code: str
    label: str | Promise
    required: bool = True


ITEMS: dict[str, Item] = {
    item.code: item
    for item in (
        Item("ktp_participant", _("KTP peserta")),
        Item("kk", _("Kartu Keluarga (KK)")),
        Item("kpj_card", _("Kartu peserta BPJS Ketenagakerjaan (KPJ)")),
        Item("death_certificate", _("Akta kematian / surat keterangan kematian")),
        Item("heir_certificate", _("Surat keterangan ahli waris")),
        Item("ktp_heir", _("KTP ahli waris")),
        Item("savings_book_heir", _("Buku tabungan ahli waris")),
        Item("marriage_book", _("Buku nikah (bila ahli waris istri/suami)"), required=False),
        Item("accident_report_1", _("Laporan kecelakaan kerja tahap I")),
        Item("accident_report_2", _("Laporan kecelakaan kerja tahap II")),
        Item("doctor_statement", _("Surat keterangan dokter")),
        Item("savings_book", _("Buku tabungan peserta")),
        Item("receipts", _("Kuitansi pengobatan dan transportasi"), required=False),
        Item("police_report", _("Surat keterangan polisi (kecelakaan lalu lintas)"), False),
    )
}

_JKM = (
    "ktp_participant", "kk", "kpj_card", "death_certificate", "heir_certificate",
    "ktp_heir", "savings_book_heir", "marriage_book",
)  # fmt: skip
_JKK = ("accident_report_1", "accident_report_2", "kpj_card", "doctor_statement")
_ALIVE = ("ktp_participant", "savings_book", "receipts", "police_report")

CHECKLIST: dict[ClaimType, tuple[str, ...]] = {
    ClaimType.JKM: _JKM,
    ClaimType.JKK_DEATH: (*_JKK, *[c for c in _JKM if c not in _JKK], "police_report"),
    ClaimType.JKK_CTT: (*_JKK, *_ALIVE),
    ClaimType.JKK_PARTIAL: (*_JKK, *_ALIVE),
    ClaimType.JKK_STMB: (*_JKK, *_ALIVE),
}


def items_for(kind: str) -> list[Item]:
    """The checklist of a claim type, in the order it is shown."""
    return [ITEMS[code] for code in CHECKLIST[ClaimType(kind)]]


def missing(kind: str, present: set[str]) -> list[Item]:
    """The required items of `kind` that have neither an upload nor a waiver in `present`."""
    return [item for item in items_for(kind) if item.required and item.code not in present]
