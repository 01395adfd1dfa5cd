"""Programme budget arithmetic: cost, how long a budget lasts, how many it covers, and the
coverage rate (Universal Coverage Jamsostek).

All amounts are whole rupiah. The monthly premium per participant is an input (see
``contributions.monthly_premium``), so these functions hold no rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lindung.domain.rulebook import RuleError


def _non_negative(value: int, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(f"{label} harus bilangan bulat.")
    if value < 0:
        raise RuleError(f"{label} tidak boleh negatif.")
    return value


def _positive(value: int, label: str) -> int:
    if _non_negative(value, label) == 0:
        raise RuleError(f"{label} harus lebih dari 0.")
    return value


def program_cost(*, participants: int, months: int, monthly_premium: int) -> int:
    """Participants × months × monthly premium per participant."""
    return (
        _non_negative(participants, "Jumlah peserta")
        * _non_negative(months, "Jumlah bulan")
        * _non_negative(monthly_premium, "Iuran per bulan")
    )


@dataclass(frozen=True)
class BudgetFit:
    """How many full months a budget pays for, and what is left over."""

    months_fundable: int
    remainder: int
    monthly_cost: int

    def to_dict(self) -> dict[str, int]:
        return {
            "months_fundable": self.months_fundable,
            "remainder": self.remainder,
            "monthly_cost": self.monthly_cost,
        }


@dataclass(frozen=True)
class ParticipantsFit:
    """How many participants a budget covers for the whole period, and what is left over."""

    participants: int
    remainder: int
    cost_per_participant: int

    def to_dict(self) -> dict[str, int]:
        return {
            "participants": self.participants,
            "remainder": self.remainder,
            "cost_per_participant": self.cost_per_participant,
        }


def months_fundable(*, budget: int, participants: int, monthly_premium: int) -> BudgetFit:
    """Full months of contributions ``budget`` pays for ``participants`` people.

    Only whole months count: a partly paid month leaves people unpaid, and more than 3
    unpaid months ends entitlement (PP 44/2015 Pasal 39 & 42).
    """
    _non_negative(budget, "Anggaran")
    monthly_cost = _positive(participants, "Jumlah peserta") * _positive(
        monthly_premium, "Iuran per bulan"
    )
    months, remainder = divmod(budget, monthly_cost)
    return BudgetFit(months_fundable=months, remainder=remainder, monthly_cost=monthly_cost)


def participants_fundable(*, budget: int, months: int, monthly_premium: int) -> ParticipantsFit:
    """Participants ``budget`` covers for all ``months`` months at ``monthly_premium``."""
    _non_negative(budget, "Anggaran")
    per_participant = _positive(months, "Jumlah bulan") * _positive(
        monthly_premium, "Iuran per bulan"
    )
    participants, remainder = divmod(budget, per_participant)
    return ParticipantsFit(
        participants=participants, remainder=remainder, cost_per_participant=per_participant
    )


def coverage_rate(*, covered: int, workforce: int) -> Decimal:
    """Covered ÷ workforce as a percentage, rounded half up to 2 decimals
    (e.g. ``Decimal("39.16")``). Not capped at 100: the two figures usually come from
    different sources (BPJSTK participants vs BPS working population).
    """
    _non_negative(covered, "Jumlah pekerja terlindungi")
    total = _positive(workforce, "Jumlah pekerja")
    # Exact integer arithmetic in hundredths of a percent, then half up.
    hundredths, rest = divmod(covered * 10_000, total)
    if 2 * rest >= total:
        hundredths += 1
    return Decimal(hundredths).scaleb(-2)
