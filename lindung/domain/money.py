"""Money is whole rupiah, held as ``int``.

Rates and regulations produce fractions (1 % of an income band, half of a contribution under
PP 50/2025); every such amount becomes money through ``round_rupiah`` and nowhere else
(money is whole rupiah, and one named function rounds).
"""

import re
from decimal import Decimal
from fractions import Fraction

_UNITS = {
    "ribu": 10**3,
    "rb": 10**3,
    "juta": 10**6,
    "jt": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "triliun": 10**12,
}

# Indonesian notation only: "." groups thousands, "," starts the decimals. A bare "1.5" or
# "1,700,000" is refused rather than guessed.
_RUPIAH = re.compile(
    r"(?:rp\.?)?\s*(?P<whole>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<fraction>\d+))?"
    r"\s*(?P<unit>[a-z]+)?\s*(?:,-)?",
    re.IGNORECASE,
)


def round_rupiah(amount: int | Decimal | Fraction) -> int:
    """Round an amount to whole rupiah, half-up (ROUND_HALF_UP: a tie goes away from zero).

    Money is whole rupiah and this one function rounds it. Floats are
    refused: they cannot hold most decimal amounts exactly.
    """
    if isinstance(amount, float):
        raise TypeError("money must not be a float; use int, Decimal or Fraction")
    exact = Fraction(amount)  # exact for int and Decimal; rejects NaN and infinity
    whole, remainder = divmod(abs(exact.numerator), exact.denominator)
    if 2 * remainder >= exact.denominator:
        whole += 1
    return whole if exact >= 0 else -whole


def parse_rupiah(text: str) -> int:
    """Read an amount as officers write it: "Rp 1.700.000.000", "16.800,-", "1,7 miliar".

    Source: Indonesian number notation (thousands ".", decimals ","; PUEBI). The result must
    be whole rupiah: "Rp 1.234,56" is refused, not rounded.
    """
    match = _RUPIAH.fullmatch(text.strip())
    unit = match["unit"].lower() if match and match["unit"] else None
    if match is None or (unit is not None and unit not in _UNITS):
        raise ValueError(f"Jumlah uang tidak dikenali: {text!r}. Tulis seperti 1.700.000.")
    value = Fraction(int(match["whole"].replace(".", "")))
    if match["fraction"]:
        value += Fraction(int(match["fraction"]), 10 ** len(match["fraction"]))
    if unit is not None:
        value *= _UNITS[unit]
    if value.denominator != 1:
        raise ValueError(f"Jumlah uang harus rupiah utuh tanpa sen: {text!r}.")
    return value.numerator
