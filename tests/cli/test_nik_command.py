"""`lindung nik`: what a NIK says, as JSON for scripts (issue acceptance: the CLI prints the
figures exactly). Structure per Dukcapil: province, regency, district, DDMMYY (+40 on the day
for women), serial."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from lindung.common.commands import UsageError


def _nik(*args: str) -> dict:
    out = StringIO()
    call_command("nik", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("nik", "sex"),
    [
        # 35 Jawa Timur · 04 Tulungagung · 12 district · born 12-08-75 · serial 0001.
        ("3504121208750001", "L"),
        # A woman born the same day: 12 + 40 = 52.
        ("3504125208750001", "P"),
    ],
)
def test_a_valid_nik_is_read_into_region_birth_date_and_sex(nik, sex):
    result = _nik(nik, "--json", "--as-of", "2026-11-22")

    assert result == {
        "valid": True,
        "nik": nik,
        "province": "35",
        "regency": "35.04",
        "district": "35.04.12",
        "birth_date": "1975-08-12",
        "sex": sex,
        "errors": [],
        "warnings": [],
        "damaged": False,
    }


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("350412120875", "nik_length"),  # 12 digits: cut short
        ("3504123208750001", "nik_date_invalid"),  # day 32: neither a man's nor a woman's (41–71)
    ],
)
def test_an_invalid_nik_is_reported_with_its_errors(nik, code):
    result = _nik(nik, "--json", "--as-of", "2026-11-22")

    assert result["valid"] is False
    assert code in [error["code"] for error in result["errors"]]
    assert all(error["message"] for error in result["errors"])


def test_the_text_output_names_the_district_birth_date_and_sex():
    out = StringIO()

    call_command("nik", "3504125208750001", "--as-of", "2026-11-22", stdout=out)

    assert out.getvalue().strip() == (
        "NIK 3504125208750001 sah: wilayah 35.04.12, lahir 12-08-1975, jenis kelamin P."
    )


def test_a_reference_date_in_the_wrong_format_is_a_usage_error():
    with pytest.raises(UsageError, match="--as-of harus berformat TTTT-BB-HH"):
        _nik("3504121208750001", "--json", "--as-of", "22-11-2026")
