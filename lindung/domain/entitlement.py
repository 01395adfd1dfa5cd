"""A claim's entitlement, itemised: the benefit of the claim type from the benefit table in
force on the incident day (``domain.benefits``), given the cover on that day
(``domain.cover``), plus transport within its caps (JKK) and the scholarship per child (at
most ``scholarship_max_children``; paid yearly by school level, so shown as a ceiling and not
in the total). Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lindung.domain import benefits
from lindung.domain.cover import ClaimType, Cover
from lindung.domain.rulebook import RuleBook, RuleError


@dataclass(frozen=True)
class Transport:
    land: int = 0
    sea: int = 0
    air: int = 0


@dataclass(frozen=True)
class Entitlement:
    entitled: bool
    total: int
    parts: dict[str, int]
    scholarship: dict[str, int | bool]
    reasons: tuple[str, ...]
    legal_basis: str

    def to_dict(self) -> dict[str, object]:
        return {
            "entitled": self.entitled,
            "total": self.total,
            "parts": dict(self.parts),
            "scholarship": dict(self.scholarship),
            "reasons": list(self.reasons),
            "legal_basis": self.legal_basis,
        }


def _benefit(
    *,
    claim_type: ClaimType,
    cover: Cover,
    income: int,
    months_off_work: int | Decimal | None,
    percent: Decimal | None,
    rulebook: RuleBook,
) -> benefits.BenefitResult:
    on, arrears = cover.incident, len(cover.arrears)
    if claim_type is ClaimType.JKM:
        return benefits.jkm_death(
            on=on,
            paid_consecutive_months=cover.consecutive_paid,
            arrears_months=arrears,
            contribution_months=cover.contribution_months,
            rulebook=rulebook,
        )
    if claim_type is ClaimType.JKK_DEATH:
        return benefits.jkk_death(income=income, on=on, arrears_months=arrears, rulebook=rulebook)
    if claim_type is ClaimType.JKK_CTT:
        return benefits.jkk_permanent_total_disability(
            income=income, on=on, arrears_months=arrears, rulebook=rulebook
        )
    if claim_type is ClaimType.JKK_PARTIAL:
        if percent is None:
            raise RuleError("Persentase cacat menurut tabel wajib diisi untuk cacat sebagian.")
        return benefits.jkk_partial_disability(
            income=income, percent=percent, on=on, arrears_months=arrears, rulebook=rulebook
        )
    if months_off_work is None:
        raise RuleError("Lama tidak mampu bekerja (bulan) wajib diisi untuk STMB.")
    return benefits.jkk_stmb(
        income=income,
        months_off_work=months_off_work,
        on=on,
        arrears_months=arrears,
        rulebook=rulebook,
    )


def entitlement_of(
    *,
    claim_type: ClaimType,
    cover: Cover,
    income: int,
    rulebook: RuleBook,
    months_off_work: int | Decimal | None = None,
    percent: Decimal | None = None,
    transport: Transport | None = None,
    children: int = 0,
) -> Entitlement:
    """The itemised entitlement; nothing when the cover says not entitled."""
    table = rulebook.benefits_for(cover.incident)
    if children < 0:
        raise RuleError("Jumlah anak tidak boleh negatif.")
    if not cover.entitled:
        return Entitlement(False, 0, {}, {}, cover.reasons, table.legal_basis)
    result = _benefit(
        claim_type=claim_type,
        cover=cover,
        income=income,
        months_off_work=months_off_work,
        percent=percent,
        rulebook=rulebook,
    )
    parts = dict(result.parts)
    notes = list(cover.reasons) + list(result.notes)
    if transport is not None and claim_type.is_jkk:
        moved = benefits.jkk_transport(
            on=cover.incident,
            land=transport.land,
            sea=transport.sea,
            air=transport.air,
            arrears_months=len(cover.arrears),
            rulebook=rulebook,
        )
        parts.update({f"transport_{mode}": rp for mode, rp in moved.parts.items() if rp})
        notes.extend(moved.notes)
    scholarship: dict[str, int | bool] = {"eligible": cover.scholarship_eligible}
    if cover.scholarship_eligible:
        counted = min(children, table.scholarship_max_children)
        per_child = table.scholarship_max_total // table.scholarship_max_children
        scholarship.update({"children": counted, "max_per_child": per_child})
        scholarship["max_total"] = counted * per_child
        if children > counted:
            notes.append(
                f"Beasiswa paling banyak untuk {table.scholarship_max_children} anak "
                "(PP 82/2019 Pasal 25 ayat (3), 34 ayat (3))."
            )
    total = sum(parts.values())
    return Entitlement(bool(parts), total, parts, scholarship, tuple(notes), result.legal_basis)
