from decimal import Decimal
from fractions import Fraction

import pytest

from lindung.domain.money import parse_rupiah, round_rupiah

# Money is whole rupiah and one named function rounds, half-up.
ROUNDING = [
    pytest.param(16_800, 16_800, id="whole-rupiah-stays"),
    pytest.param(Decimal("16800.00"), 16_800, id="decimal-zero-sen"),
    # JKK 1 % of a declared income of Rp 1.234.567 (PP 44/2015 Lampiran II) = 12.345,67.
    pytest.param(Decimal("0.01") * 1_234_567, 12_346, id="jkk-one-percent-rounds-up"),
    pytest.param(Decimal("8400.49"), 8_400, id="below-half-rounds-down"),
    pytest.param(Decimal("8400.5"), 8_401, id="half-rounds-up"),
    pytest.param(Fraction(5, 2), 3, id="half-rounds-up-from-even"),
    pytest.param(Fraction(7, 2), 4, id="half-rounds-up-from-odd"),
    pytest.param(Fraction(1, 3), 0, id="third-rounds-down"),
    pytest.param(Fraction(2, 3), 1, id="two-thirds-rounds-up"),
    pytest.param(Decimal("-0.5"), -1, id="negative-half-goes-away-from-zero"),
    pytest.param(Decimal("-1.4"), -1, id="negative-below-half-goes-toward-zero"),
]


@pytest.mark.parametrize(("amount", "expected"), ROUNDING)
def test_it_rounds_money_to_whole_rupiah_half_up(amount, expected):
    assert round_rupiah(amount) == expected


def test_it_refuses_a_float_amount():
    with pytest.raises(TypeError):
        round_rupiah(16800.5)


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity")], ids=["nan", "infinity"])
def test_it_refuses_an_amount_that_is_not_a_number(amount):
    with pytest.raises((ValueError, OverflowError)):
        round_rupiah(amount)


# Indonesian number notation: "." groups thousands, "," starts decimals; units ribu/juta/miliar.
WRITTEN_AMOUNTS = [
    pytest.param("Rp 1.700.000.000", 1_700_000_000, id="rp-with-thousands-dots"),
    pytest.param("1.700.000.000", 1_700_000_000, id="thousands-dots"),
    pytest.param("1700000000", 1_700_000_000, id="plain-digits"),
    pytest.param("1,7 miliar", 1_700_000_000, id="decimal-comma-miliar"),
    pytest.param("1,7 Milyar", 1_700_000_000, id="milyar-spelling-any-case"),
    pytest.param("Rp16.800,-", 16_800, id="rp-glued-with-dash-ending"),
    pytest.param("Rp. 16.800,00", 16_800, id="rp-dot-with-zero-sen"),
    pytest.param("1,5 juta", 1_500_000, id="juta"),
    pytest.param("250 rb", 250_000, id="ribu-abbreviated"),
    pytest.param(" 2 triliun ", 2_000_000_000_000, id="triliun-with-spaces"),
]


@pytest.mark.parametrize(("text", "expected"), WRITTEN_AMOUNTS)
def test_it_reads_amounts_as_officers_write_them(text, expected):
    assert parse_rupiah(text) == expected


REFUSED_AMOUNTS = [
    pytest.param("1,700,000", id="english-thousands-commas"),
    pytest.param("1.5 juta", id="english-decimal-point"),
    pytest.param("1.70.000", id="broken-grouping"),
    pytest.param("Rp 1.234,56", id="sen-not-whole-rupiah"),
    pytest.param("1,7 milyard", id="unknown-unit"),
    pytest.param("-16.800", id="negative"),
    pytest.param("", id="empty"),
    pytest.param("Rp", id="no-digits"),
]


@pytest.mark.parametrize("text", REFUSED_AMOUNTS)
def test_it_refuses_amounts_it_would_have_to_guess(text):
    with pytest.raises(ValueError, match="Jumlah uang"):
        parse_rupiah(text)
