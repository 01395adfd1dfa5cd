"""Monthly BPJS Ketenagakerjaan contribution (iuran) for one BPU participant.

Rates come from the ``RuleBook`` version in force for the contribution month
(PP 44/2015 Pasal 20 & Lampiran II; PP 82/2019), discounted by a relief such as
PP 50/2025 when it applies to the sector, month and funding source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lindung.domain.money import round_rupiah
from lindung.domain.rulebook import (
    DEFAULT_RULEBOOK,
    Benefit,
    Payer,
    RuleBook,
    RuleError,
    Sector,
    coerce_enum,
    format_rupiah,
    month_start,
)

# JKK + JKM are the base for BPU; JHT is optional (PP 44/2015 Pasal 20; Perpres 109/2013
# Pasal 6). JP and JKP are for wage earners only.
REQUIRED_BENEFITS = frozenset({Benefit.JKK, Benefit.JKM})
_WAGE_EARNER_ONLY = {"jp": "JP (Jaminan Pensiun)", "jkp": "JKP (Jaminan Kehilangan Pekerjaan)"}


@dataclass(frozen=True)
class Premium:
    """One participant's contribution for one month, in whole rupiah per programme."""

    monthly_total: int
    parts: dict[str, int]
    legal_basis: str
    relief_applied: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "monthly_total": self.monthly_total,
            "parts": dict(self.parts),
            "legal_basis": self.legal_basis,
            "relief_applied": self.relief_applied,
        }


def _benefit(value: Benefit | str) -> Benefit:
    if isinstance(value, str) and value.strip().lower() in _WAGE_EARNER_ONLY:
        name = _WAGE_EARNER_ONLY[value.strip().lower()]
        raise RuleError(f"Program {name} tidak berlaku bagi peserta Bukan Penerima Upah (BPU).")
    return coerce_enum(Benefit, value, label="Program")


def _parse_benefits(benefits: Iterable[Benefit | str]) -> frozenset[Benefit]:
    if isinstance(benefits, str):
        # A bare string would be iterated letter by letter.
        benefits = [benefits]
    chosen = frozenset(_benefit(value) for value in benefits)
    missing = REQUIRED_BENEFITS - chosen
    if missing:
        names = " dan ".join(sorted(str(b).upper() for b in missing))
        raise RuleError(
            f"Peserta BPU wajib mengikuti JKK dan JKM; program {names} belum dipilih "
            "(JHT bersifat tambahan)."
        )
    return chosen


def monthly_premium(
    *,
    income: int,
    benefits: Iterable[Benefit | str],
    month: date,
    payer: Payer | str = Payer.APBD,
    sector: Sector | str = Sector.OTHER,
    payer_excluded: bool | None = None,
    rulebook: RuleBook = DEFAULT_RULEBOOK,
) -> Premium:
    """Contribution for contribution ``month`` at declared monthly ``income``.

    - JKK = table rate × declared income; JKM = flat; JHT (optional) = table rate × income
      (PP 44/2015 Pasal 20 & Lampiran II; PP 82/2019).
    - A relief (PP 50/2025: 50 % of JKK + JKM) applies when the rule book has one for this
      month and sector and the funding source is not excluded. ``payer_excluded`` overrides
      the payer-based exclusion (True: no relief, e.g. if APBDes is ruled to count as APBD).
    - Each programme is rounded to whole rupiah separately (``round_rupiah``, half up).

    Raises ``RuleError`` for an income outside the table's band, missing JKK/JKM, JP/JKP or an
    unknown programme, payer or sector; ``RuleNotFound`` when no table covers the month.
    """
    chosen = _parse_benefits(benefits)
    payer_ = coerce_enum(Payer, payer, label="Sumber dana")
    sector_ = coerce_enum(Sector, sector, label="Sektor")
    if isinstance(income, bool) or not isinstance(income, int):
        raise RuleError("Penghasilan yang dilaporkan harus bilangan bulat rupiah.")
    first = month_start(month)
    table = rulebook.contribution_for(first)
    if not table.min_income <= income <= table.max_income:
        raise RuleError(
            f"Penghasilan yang dilaporkan {format_rupiah(income)} di luar rentang "
            f"{format_rupiah(table.min_income)}–{format_rupiah(table.max_income)} "
            f"({table.legal_basis})."
        )
    relief = rulebook.relief_for(
        month=first, sector=sector_, payer=payer_, payer_excluded=payer_excluded
    )

    full: dict[Benefit, Decimal] = {
        Benefit.JKK: table.jkk_rate * income,
        Benefit.JKM: Decimal(table.jkm_flat),
        Benefit.JHT: table.jht_rate * income,
    }
    parts: dict[str, int] = {}
    for benefit in Benefit:  # declaration order keeps ``parts`` stable: jkk, jkm, jht
        if benefit not in chosen:
            continue
        amount = full[benefit]
        if relief is not None and benefit in relief.benefits:
            amount *= relief.factor
        parts[str(benefit)] = round_rupiah(amount)

    legal_basis = table.legal_basis
    if relief is not None:
        legal_basis = f"{legal_basis}; {relief.legal_basis}"
    return Premium(
        monthly_total=sum(parts.values()),
        parts=parts,
        legal_basis=legal_basis,
        relief_applied=relief is not None,
    )
