"""Growth and age bands of the monitoring dashboard, worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lindung.domain.monitoring import age_band, age_on, growth_rate


@pytest.mark.parametrize(
    ("before", "after", "rate"),
    [
        (27_500, 37_500, Decimal("36.4")),  # Tulungagung: 10.000 / 27.500 = 36,36 %
        (100, 100, Decimal("0.0")),
        (200, 150, Decimal("-25.0")),
        (3, 4, Decimal("33.3")),
        (0, 10, None),
    ],
)
def test_growth_is_the_change_over_the_year_before(before, after, rate):
    assert growth_rate(before=before, after=after) == rate


def test_age_counts_whole_years_until_the_birthday():
    assert age_on(dt.date(2000, 6, 15), dt.date(2025, 6, 14)) == 24
    assert age_on(dt.date(2000, 6, 15), dt.date(2025, 6, 15)) == 25


@pytest.mark.parametrize(
    ("age", "band"),
    [(14, "<15"), (15, "15-24"), (24, "15-24"), (25, "25-34"), (64, "55-64"), (80, "65+")],
)
def test_ages_fall_in_ten_year_bands(age, band):
    assert age_band(age) == band
