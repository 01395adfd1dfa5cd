"""Monitoring figures: growth from one year to the next and the age bands participants are
counted in. Pure Python; the coverage rate itself is `domain.budget.coverage_rate`.

Sources: DESIGN §4 (coverage rate = covered ÷ working population); the Tulungagung figure
(27.500 participants in one year, 37.500 the next: +36,4 %) is issue 14's public example.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

# Age bands of the dashboard: working age from 15 (UU 13/2003 child labour limit) to the
# BPJS Ketenagakerjaan BPU ceiling band.
AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (15, 24),
    (25, 34),
    (35, 44),
    (45, 54),
    (55, 64),
    (65, None),
)


def growth_rate(*, before: int, after: int, places: int = 1) -> Decimal | None:
    """(after − before) ÷ before as a percentage rounded half up to `places` decimals;
    None when there was nothing before (growth from zero has no rate)."""
    if before < 0 or after < 0:
        raise ValueError("Jumlah peserta tidak boleh negatif.")
    if before == 0:
        return None
    exact = Decimal(after - before) * 100 / Decimal(before)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def age_on(birth_date: dt.date, as_of: dt.date) -> int:
    """Whole years of age on `as_of`."""
    before_birthday = (as_of.month, as_of.day) < (birth_date.month, birth_date.day)
    return as_of.year - birth_date.year - before_birthday


def age_band(age: int) -> str:
    """The band label of an age: "15-24", …, "65+"; "<15" below working age."""
    for low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return f"{low}+" if high is None else f"{low}-{high}"
    return "<15"
