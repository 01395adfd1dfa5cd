"""Cash benefits of JKM (death not caused by work) and JKK (work accident) for a BPU.

Every function takes the day of the event (``on``: the death or the accident) and a
``RuleBook``; amounts come from the benefit table in force on that day (PP 82/2019 Pasal 25,
34 & Lampiran III). Arrears follow PP 44/2015 Pasal 39 (JKK) and Pasal 42 (JKM): up to
``max_arrears_months`` the benefit is due once the arrears are settled; more than that and
there is no entitlement. For a BPU the income is the declared monthly income used for
contributions (PP 44/2015 Pasal 20). Medical care (no cap) is not a cash amount and is not
computed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lindung.domain.money import round_rupiah
from lindung.domain.rulebook import (
    DEFAULT_RULEBOOK,
    BenefitTable,
    RuleBook,
    RuleError,
    format_rupiah,
)

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class BenefitResult:
    """A computed entitlement: whole-rupiah parts, their total, the source and notes for
    the officer (notes in Bahasa Indonesia)."""

    total: int
    parts: dict[str, int]
    legal_basis: str
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "parts": dict(self.parts),
            "legal_basis": self.legal_basis,
            "notes": list(self.notes),
        }


def _result(table: BenefitTable, parts: dict[str, int], notes: list[str]) -> BenefitResult:
    return BenefitResult(
        total=sum(parts.values()),
        parts=parts,
        legal_basis=table.legal_basis,
        notes=tuple(notes),
    )


def _count(value: int, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuleError(f"{label} harus bilangan bulat tidak negatif.")
    return value


def _income(income: int) -> int:
    if isinstance(income, bool) or not isinstance(income, int) or income <= 0:
        raise RuleError("Penghasilan yang dilaporkan harus bilangan bulat rupiah lebih dari 0.")
    return income


def _amount(value: int, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuleError(f"{label} harus bilangan bulat rupiah tidak negatif.")
    return value


def _decimal(value: int | Decimal, label: str) -> Decimal:
    # Floats are refused: they cannot express legal percentages exactly.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise RuleError(f"{label} harus berupa angka desimal (bukan float).")
    result = Decimal(value)
    if not result.is_finite() or result < 0:
        raise RuleError(f"{label} harus angka tidak negatif.")
    return result


def _scholarship_note(table: BenefitTable) -> str:
    return (
        f"Berhak beasiswa (maks. {format_rupiah(table.scholarship_max_total)} untuk "
        f"{table.scholarship_max_children} anak), dibayar per tahun sesuai jenjang sekolah."
    )


def _jkk_arrears(table: BenefitTable, arrears_months: int) -> tuple[bool, list[str]]:
    """(entitled, notes) for JKK under PP 44/2015 Pasal 39."""
    arrears = _count(arrears_months, "Jumlah bulan tunggakan")
    if arrears > table.max_arrears_months:
        return False, [
            f"Tidak berhak manfaat JKK: tunggakan iuran {arrears} bulan berturut-turut, lebih "
            f"dari {table.max_arrears_months} bulan (PP 44/2015 Pasal 39 ayat (2))."
        ]
    if arrears > 0:
        return True, [
            f"Ada tunggakan iuran {arrears} bulan: pelayanan kesehatan tetap diberikan; santunan "
            "uang dibayar setelah peserta dinyatakan sembuh dan tunggakan dilunasi "
            "(PP 44/2015 Pasal 39 ayat (1))."
        ]
    return True, []


# --------------------------------------------------------------------------------------
# JKM


def jkm_scholarship_eligible(
    *, contribution_months: int, on: date, rulebook: RuleBook = DEFAULT_RULEBOOK
) -> bool:
    """Whether heirs qualify for the JKM scholarship: at least ``jkm_scholarship_min_years``
    of contributions (masa iur) at the death on ``on`` (PP 82/2019 Pasal 34 ayat (1) huruf d).
    """
    table = rulebook.benefits_for(on)
    months = _count(contribution_months, "Masa iur (bulan)")
    return months >= table.jkm_scholarship_min_years * 12


def jkm_death(
    *,
    on: date,
    paid_consecutive_months: int,
    arrears_months: int = 0,
    contribution_months: int = 0,
    rulebook: RuleBook = DEFAULT_RULEBOOK,
) -> BenefitResult:
    """JKM cash benefit for a death not caused by work on ``on``.

    - Full benefit: lump sum + periodic (paid at once) + funeral = Rp 42 juta under
      PP 82/2019 Pasal 34.
    - Fewer than ``jkm_min_consecutive_months`` consecutive paid months: only
      ``jkm_short_membership_total`` (Rp 10 juta; BPJSTK operational rule, Medium confidence).
    - Arrears above ``max_arrears_months``: not entitled (PP 44/2015 Pasal 42 ayat (2));
      up to it: funeral paid, the rest after the heirs settle (Pasal 42 ayat (1)).
    - ``contribution_months`` (total masa iur) decides the scholarship, reported in the notes
      and by ``jkm_scholarship_eligible``; its amount is not part of the total.
    """
    table = rulebook.benefits_for(on)
    paid = _count(paid_consecutive_months, "Jumlah bulan iuran berturut-turut")
    arrears = _count(arrears_months, "Jumlah bulan tunggakan")
    contributed = _count(contribution_months, "Masa iur (bulan)")
    if arrears > table.max_arrears_months:
        return _result(
            table,
            {},
            [
                f"Ahli waris tidak berhak JKM: tunggakan iuran {arrears} bulan, lebih dari "
                f"{table.max_arrears_months} bulan (PP 44/2015 Pasal 42 ayat (2))."
            ],
        )

    notes: list[str] = []
    if paid < table.jkm_min_consecutive_months:
        parts = {"short_membership": table.jkm_short_membership_total}
        notes.append(
            f"Iuran baru dibayar {paid} bulan berturut-turut (kurang dari "
            f"{table.jkm_min_consecutive_months} bulan): hanya santunan "
            f"{format_rupiah(table.jkm_short_membership_total)} (aturan operasional BPJSTK, "
            "dasar hukum belum ditemukan; keyakinan sedang)."
        )
    else:
        parts = {
            "lump_sum": table.jkm_lump_sum,
            "periodic": table.jkm_periodic,
            "funeral": table.jkm_funeral,
        }
        if contributed >= table.jkm_scholarship_min_years * 12:
            notes.append(_scholarship_note(table))
        else:
            notes.append(
                f"Belum berhak beasiswa: masa iur {contributed} bulan, kurang dari "
                f"{table.jkm_scholarship_min_years} tahun (PP 82/2019 Pasal 34)."
            )
    if arrears > 0:
        notes.append(
            f"Ada tunggakan iuran {arrears} bulan: biaya pemakaman dibayar; santunan lainnya "
            "dan beasiswa dibayar setelah ahli waris melunasi tunggakan "
            "(PP 44/2015 Pasal 42 ayat (1))."
        )
    return _result(table, parts, notes)


# --------------------------------------------------------------------------------------
# JKK


def jkk_death(
    *,
    income: int,
    on: date,
    arrears_months: int = 0,
    rulebook: RuleBook = DEFAULT_RULEBOOK,
) -> BenefitResult:
    """Death from a work accident on ``on``: ``death_multiplier`` × income, at least
    ``death_floor``, plus periodic and funeral (Rp 70 juta at Rp 1 juta; PP 82/2019
    Pasal 25 ayat (2) & Lampiran III). Scholarship has no minimum contribution period.
    """
    table = rulebook.benefits_for(on)
    declared = _income(income)
    entitled, notes = _jkk_arrears(table, arrears_months)
    if not entitled:
        return _result(table, {}, notes)
    parts = {
        "lump_sum": max(table.death_multiplier * declared, table.death_floor),
        "periodic": table.death_periodic,
        "funeral": table.death_funeral,
    }
    notes.append(_scholarship_note(table) + " Tanpa masa iur minimum.")
    return _result(table, parts, notes)


def jkk_permanent_total_disability(
    *,
    income: int,
    on: date,
    arrears_months: int = 0,
    rulebook: RuleBook = DEFAULT_RULEBOOK,
) -> BenefitResult:
    """Permanent total disability (cacat total tetap) from an accident on ``on``:
    ``ctt_multiplier`` × income + ``ctt_periodic`` (Rp 68 juta at Rp 1 juta; PP 82/2019
    Lampiran III). Scholarship has no minimum contribution period.
    """
    table = rulebook.benefits_for(on)
    declared = _income(income)
    entitled, notes = _jkk_arrears(table, arrears_months)
    if not entitled:
        return _result(table, {}, notes)
    parts = {
        "lump_sum": table.ctt_multiplier * declared,
        "periodic": table.ctt_periodic,
    }
    notes.append(_scholarship_note(table) + " Tanpa masa iur minimum.")
    return _result(table, parts, notes)


def jkk_stmb(
    *,
    income: int,
    months_off_work: int | Decimal,
    on: date,
    arrears_months: int = 0,
    rulebook: RuleBook = DEFAULT_RULEBOOK,
) -> BenefitResult:
    """Temporary inability to work (STMB) after an accident on ``on``: ``stmb_full_rate`` of
    the declared income for the first ``stmb_full_months`` months, ``stmb_reduced_rate``
    after (PP 82/2019 Lampiran III). Parts are split by phase and each is rounded.
    ``months_off_work`` may be fractional (Decimal); how BPJSTK prorates part months
    (30- or 25-day month) is unconfirmed, so callers convert days to months themselves.
    """
    table = rulebook.benefits_for(on)
    declared = _income(income)
    months = _decimal(months_off_work, "Lama tidak mampu bekerja (bulan)")
    entitled, notes = _jkk_arrears(table, arrears_months)
    if not entitled:
        return _result(table, {}, notes)
    full_months = min(months, Decimal(table.stmb_full_months))
    reduced_months = months - full_months
    parts = {
        "full_phase": round_rupiah(full_months * declared * table.stmb_full_rate),
        "reduced_phase": round_rupiah(reduced_months * declared * table.stmb_reduced_rate),
    }
    notes.append(
        "Bagi peserta BPU, STMB dibayar setelah peserta dinyatakan sembuh dan berkas lengkap "
        "(PP 44/2015 Pasal 30 ayat (3))."
    )
    return _result(table, parts, notes)


def jkk_partial_disability(
    *,
    income: int,
    percent: Decimal,
    on: date,
    function_loss_percent: Decimal = _HUNDRED,
    arrears_months: int = 0,
    rulebook: RuleBook = DEFAULT_RULEBOOK,
) -> BenefitResult:
    """Partial permanent disability from an accident on ``on``: ``percent`` (the Lampiran III
    table percentage, e.g. ``Decimal(40)`` for 40 %) × ``partial_disability_multiplier`` ×
    income, as a lump sum. For a functional disability, ``function_loss_percent`` (the
    doctor's % loss of function) multiplies it too (PP 82/2019 Lampiran III).
    """
    table = rulebook.benefits_for(on)
    declared = _income(income)
    pct = _decimal(percent, "Persentase cacat")
    loss = _decimal(function_loss_percent, "Persentase kehilangan fungsi")
    if pct == 0 or pct > _HUNDRED:
        raise RuleError("Persentase cacat harus lebih dari 0 dan paling tinggi 100.")
    if loss == 0 or loss > _HUNDRED:
        raise RuleError("Persentase kehilangan fungsi harus lebih dari 0 dan paling tinggi 100.")
    entitled, notes = _jkk_arrears(table, arrears_months)
    if not entitled:
        return _result(table, {}, notes)
    amount = pct / _HUNDRED * loss / _HUNDRED * table.partial_disability_multiplier * declared
    return _result(table, {"lump_sum": round_rupiah(amount)}, notes)


def jkk_transport(
    *,
    on: date,
    land: int = 0,
    sea: int = 0,
    air: int = 0,
    arrears_months: int = 0,
    rulebook: RuleBook = DEFAULT_RULEBOOK,
) -> BenefitResult:
    """Transport costs claimed after an accident on ``on``, each mode reimbursed up to its
    own cap (land/river/lake, sea, air; PP 82/2019 Lampiran III). BPU pay first and claim
    (PP 44/2015 Pasal 30 ayat (3)).
    """
    table = rulebook.benefits_for(on)
    claimed = {
        "land": (_amount(land, "Biaya transportasi darat"), table.transport_land_cap, "darat"),
        "sea": (_amount(sea, "Biaya transportasi laut"), table.transport_sea_cap, "laut"),
        "air": (_amount(air, "Biaya transportasi udara"), table.transport_air_cap, "udara"),
    }
    entitled, notes = _jkk_arrears(table, arrears_months)
    if not entitled:
        return _result(table, {}, notes)
    parts: dict[str, int] = {}
    for mode, (amount, cap, label) in claimed.items():
        parts[mode] = min(amount, cap)
        if amount > cap:
            notes.append(
                f"Biaya transportasi {label} {format_rupiah(amount)} melebihi batas; diganti "
                f"{format_rupiah(cap)}."
            )
    return _result(table, parts, notes)
