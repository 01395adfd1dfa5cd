import csv
import json
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lindung.domain.nik import (
    NikResult,
    check_consistency,
    compose_nik,
    detect_spreadsheet_damage,
    mask_nik,
    parse_nik,
)
from lindung.domain.regions import load_region_codes

AS_OF = date(2026, 11, 22)
SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples_expected"


def parse(raw, **kwargs):
    return parse_nik(raw, as_of=AS_OF, **kwargs)


def codes(issues):
    return [issue.code for issue in issues]


# NIK structure: Dukcapil, https://dukcapil.klaten.go.id/arti-16-digit-nomor-induk-kependudukan-nik
# (digits 1-6 region, 7-8 day +40 for women, 9-10 month, 11-12 year, 13-16 serial).
VALID = [
    pytest.param(
        "3504011203850001", "35.04.01", date(1985, 3, 12), "L", id="man-in-kec-tulungagung"
    ),
    pytest.param("3504025208900002", "35.04.02", date(1990, 8, 12), "P", id="woman-day-plus-40"),
    pytest.param("3504037112990003", "35.04.03", date(1999, 12, 31), "P", id="woman-on-day-71"),
    pytest.param("3504190101010010", "35.04.19", date(2001, 1, 1), "L", id="serial-0010-as-text"),
    pytest.param("3504012902000001", "35.04.01", date(2000, 2, 29), "L", id="29-feb-2000-leap"),
    pytest.param("3504156902040004", "35.04.15", date(2004, 2, 29), "P", id="woman-29-feb-2004"),
    pytest.param("9301011203850001", "93.01.01", date(1985, 3, 12), "L", id="new-papua-selatan"),
]


@pytest.mark.parametrize(("raw", "district", "birth_date", "sex"), VALID)
def test_it_reads_region_birth_date_and_sex_from_a_valid_nik(raw, district, birth_date, sex):
    result = parse(raw)

    assert result.valid
    assert result.errors == ()
    assert result.warnings == ()
    assert result.nik == raw
    assert (result.province, result.regency, result.district) == (
        district[:2],
        district[:5],
        district,
    )
    assert (result.birth_date, result.sex) == (birth_date, sex)


# Year digits 11-12 carry no century: the latest one not after as_of.
CENTURIES = [
    pytest.param("3504012211260001", date(2026, 11, 22), id="born-on-as-of-is-this-century"),
    pytest.param("3504012311260001", date(1926, 11, 23), id="day-after-as-of-is-last-century"),
    pytest.param("3504010101250001", date(2025, 1, 1), id="last-year-is-this-century"),
    pytest.param("3504010101270001", date(1927, 1, 1), id="next-year-is-last-century"),
    pytest.param("3504010101000001", date(2000, 1, 1), id="year-00-is-2000"),
    pytest.param("3504010101990001", date(1999, 1, 1), id="year-99-is-1999"),
]


@pytest.mark.parametrize(("raw", "birth_date"), CENTURIES)
def test_it_infers_the_century_from_as_of(raw, birth_date):
    assert parse(raw).birth_date == birth_date


# Invalid NIKs: structure, region codes, birth date digits and serial.
INVALID = [
    pytest.param("3504013102850001", "nik_date_invalid", id="31-february"),
    pytest.param("3504017102850001", "nik_date_invalid", id="woman-31-february"),
    pytest.param("3504012902990001", "nik_date_invalid", id="29-february-1999-not-leap"),
    pytest.param("3504010003850001", "nik_date_invalid", id="day-00"),
    pytest.param("3504013201850001", "nik_date_invalid", id="day-32"),
    pytest.param("3504014001850001", "nik_date_invalid", id="day-40"),
    pytest.param("3504017201850001", "nik_date_invalid", id="day-72"),
    pytest.param("3504011200850001", "nik_date_invalid", id="month-00"),
    pytest.param("3504011213850001", "nik_date_invalid", id="month-13"),
    pytest.param("3504011203850000", "nik_serial_zero", id="serial-0000"),
    pytest.param("0004011203850001", "nik_province_unknown", id="province-00"),
    pytest.param("9904011203850001", "nik_province_unknown", id="province-99"),
    pytest.param("3599011203850001", "nik_regency_unknown", id="regency-3599"),
    pytest.param("3500011203850001", "nik_regency_unknown", id="regency-00"),
    pytest.param("3504001203850001", "nik_district_zero", id="district-00"),
    pytest.param("350401120385001", "nik_length", id="15-digits"),
    pytest.param("35040112038500011", "nik_length", id="17-digits"),
    pytest.param("3504011203A50001", "nik_not_digits", id="a-letter"),
    pytest.param("3504'011203850001", "nik_not_digits", id="apostrophe-inside"),
    pytest.param("NIK belum ada", "nik_not_digits", id="words"),
    pytest.param("35040112038500E1", "nik_not_digits", id="letter-e-is-not-e-notation"),
    pytest.param("３５０４０１１２０３８５０００１", "nik_not_digits", id="full-width-digits"),
]


@pytest.mark.parametrize(("raw", "code"), INVALID)
def test_it_rejects_an_invalid_nik(raw, code):
    result = parse(raw)

    assert not result.valid
    assert not result.damaged
    assert codes(result.errors) == [code]


def test_it_reports_every_fault_of_a_nik_at_once():
    result = parse("3599013102850000")

    assert codes(result.errors) == ["nik_regency_unknown", "nik_date_invalid", "nik_serial_zero"]


def test_it_tells_the_officer_how_many_digits_were_written():
    assert parse("350401120385001").errors[0].message == (
        "NIK harus 16 digit angka (tertulis 15 digit)."
    )


# Retired pre-2022 Papua codes persist in old NIKs: warn, don't reject (UU 14/2022 and
# lindung/data/wilayah/README.md, "Papua split of 2022").
RETIRED = [
    pytest.param("9101011203850001", "91.01", "93.01 Kabupaten Merauke", id="merauke"),
    pytest.param("9102051203850001", "91.02", "95.01 Kabupaten Jayawijaya", id="jayawijaya"),
    pytest.param("9271011203850001", "92.71", "96.71 Kota Sorong", id="kota-sorong"),
]


@pytest.mark.parametrize(("raw", "regency", "current"), RETIRED)
def test_it_accepts_a_retired_papua_code_with_a_warning(raw, regency, current):
    result = parse(raw)

    assert result.valid
    assert result.regency == regency
    assert codes(result.warnings) == ["nik_retired_region"]
    assert current in result.warnings[0].message


def test_it_accepts_an_unknown_district_with_a_warning():
    # New or merged kecamatan persist in old NIKs (wilayah README, "New kecamatan").
    result = parse("3504991203850001")

    assert result.valid
    assert result.district == "35.04.99"
    assert codes(result.warnings) == ["nik_district_unknown"]


# Harmless noise is cleaned and reported.
CLEANED = [
    pytest.param(" 3504011203850001 ", id="surrounding-spaces"),
    pytest.param("350401 120385 0001", id="inner-spaces"),
    pytest.param("3504011203850001\u00a0", id="non-breaking-space"),
    pytest.param("\u00a0350401\u00a0120385\u00a00001", id="inner-non-breaking-spaces"),
    pytest.param("\t3504011203850001\n", id="tab-and-newline"),
    pytest.param("35.04.01.1203850001", id="dots"),
    pytest.param("3504-0112-0385-0001", id="dashes"),
    pytest.param("'3504011203850001", id="leading-apostrophe"),
    pytest.param("’3504011203850001", id="leading-typographic-apostrophe"),
    pytest.param("35O4O11203850001", id="capital-o-for-zero"),
    pytest.param("35o4011203850001", id="small-o-for-zero"),
    pytest.param(" '35.04.01 1203-85 OOO1", id="everything-at-once"),
]


@pytest.mark.parametrize("raw", CLEANED)
def test_it_cleans_harmless_noise_and_says_so(raw):
    result = parse(raw)

    assert result.valid
    assert result.nik == "3504011203850001"
    assert codes(result.warnings) == ["nik_cleaned"]


def test_it_names_what_it_cleaned():
    message = parse(" '35.04.01 1203-85 OOO1").warnings[0].message

    assert message == (
        "NIK dirapikan: spasi, tanda petik, titik, tanda hubung dihapus; huruf O diganti angka 0."
    )


MISSING = [
    pytest.param(None, id="none"),
    pytest.param("", id="empty"),
    pytest.param(" \u00a0 ", id="only-spaces"),
    pytest.param("-", id="dash-for-nothing"),
    pytest.param(float("nan"), id="nan-from-pandas"),
]


@pytest.mark.parametrize("raw", MISSING)
def test_it_reports_a_missing_nik(raw):
    result = parse(raw)

    assert not result.valid
    assert result.nik is None
    assert codes(result.errors) == ["nik_missing"]


# Excel keeps 15 significant digits: a NIK in a number cell loses its last digit or turns into
# E-notation, and must be flagged, never repaired (Microsoft KB 269370).
DAMAGED = [
    pytest.param("3,50401E+15", {}, id="e-notation-decimal-comma"),
    pytest.param("3.50401E+15", {}, id="e-notation-decimal-point"),
    pytest.param("3.504011203850010e+15", {}, id="e-notation-all-digits"),
    pytest.param(" 3,504011E+15 ", {}, id="e-notation-with-spaces"),
    pytest.param(3504011203850010.0, {}, id="float-ending-in-0"),
    pytest.param(3504011203850010, {}, id="int-from-numeric-cell"),
    pytest.param(3504011203850011, {}, id="int-with-16-significant-digits"),
    pytest.param(9101011203850013.0, {}, id="float-beyond-double-precision"),
    pytest.param(Decimal("3504011203850010"), {}, id="decimal-ending-in-0"),
    pytest.param("3504011203850010.0", {}, id="float-rendered-as-text"),
    pytest.param("3504011203850010,0", {}, id="float-rendered-with-comma"),
    pytest.param("3.504.011.203.850.010", {}, id="number-with-thousands-dots"),
    pytest.param("3504011203850010", {"numeric_cell": True}, id="text-of-a-numeric-cell"),
]


@pytest.mark.parametrize(("raw", "kwargs"), DAMAGED)
def test_it_rejects_nik_from_excel_number_cell(raw, kwargs):
    result = parse(raw, **kwargs)

    assert not result.valid
    assert result.damaged
    assert codes(result.errors) == ["nik_excel_damaged"]
    assert "Format kolom NIK sebagai Teks" in result.errors[0].message


def test_it_rejects_nik_from_excel_float():
    result = parse(3504196005906740.0)

    assert result.errors[0].message == (
        "NIK rusak karena kolom diformat angka di Excel (digit terakhir menjadi 0). "
        "Format kolom NIK sebagai Teks di Excel lalu ketik ulang NIK lengkap."
    )
    assert result.nik == "3504196005906740"  # kept for matching on the first 15 digits


NOT_DAMAGED = [
    pytest.param("3504011203850010", {}, id="text-ending-in-0-is-serial-0010"),
    pytest.param(3504011203850010, {"numeric_cell": False}, id="int-the-reader-took-from-text"),
    pytest.param("35.04.01.1203850010", {}, id="dotted-text"),
    pytest.param(350401120385001, {}, id="15-digit-number-is-only-too-short"),
    pytest.param("350401120385001.0", {}, id="15-digit-float-text-is-only-too-short"),
    pytest.param(None, {}, id="nothing"),
]


@pytest.mark.parametrize(("raw", "kwargs"), NOT_DAMAGED)
def test_it_does_not_call_other_values_spreadsheet_damage(raw, kwargs):
    assert detect_spreadsheet_damage(raw, **kwargs) is None


@pytest.mark.parametrize(
    "raw",
    [3504011203850010, Decimal("3504011203850010")],
    ids=["int", "decimal"],
)
def test_it_reads_a_number_the_reader_took_from_a_text_cell(raw):
    result = parse(raw, numeric_cell=False)

    assert result.valid
    assert result.nik == "3504011203850010"
    assert result.warnings == ()


def test_it_does_not_stretch_a_short_float_text_into_a_nik():
    # Dropping the dot of "…001.0" would give 16 digits: the ".0" is a number format, not noise.
    result = parse("350401120385001.0")

    assert result.nik == "350401120385001"
    assert codes(result.errors) == ["nik_length"]


NOT_NUMBERS = [
    pytest.param(-3504011203850001, id="negative-int"),
    pytest.param(3504.5, id="float-with-a-fraction"),
    pytest.param(True, id="boolean"),
    pytest.param(float("inf"), id="infinity"),
    pytest.param(date(1985, 3, 12), id="a-date"),
]


@pytest.mark.parametrize("raw", NOT_NUMBERS)
def test_it_rejects_a_number_that_cannot_be_a_nik(raw):
    assert codes(parse(raw).errors) == ["nik_not_digits"]


# Stated birth date and sex against the NIK (digits 7-12). The first two rows
# are satpolpp-becak.csv row 2 and desa-perangkat-rt-rw.ods row 22 of the samples.
MISMATCHES = [
    pytest.param(
        "3504022907696320",
        date(1969, 7, 23),
        "L",
        {"nik_birth_date_mismatch": "Tanggal lahir 23-07-1969 tidak sama dengan NIK (29-07-1969)."},
        id="becak-driver-day-differs",
    ),
    pytest.param(
        "3504152310045789",
        date(1982, 6, 6),
        "P",
        {
            "nik_birth_date_mismatch": (
                "Tanggal lahir 06-06-1982 tidak sama dengan NIK (23-10-2004)."
            ),
            "nik_sex_mismatch": "Jenis kelamin perempuan tidak sama dengan NIK (laki-laki).",
        },
        id="village-official-date-and-sex-differ",
    ),
    pytest.param(
        "3504025208900002",
        date(1990, 8, 12),
        "L",
        {"nik_sex_mismatch": "Jenis kelamin laki-laki tidak sama dengan NIK (perempuan)."},
        id="woman-stated-as-man",
    ),
]


@pytest.mark.parametrize(("raw", "birth_date", "sex", "expected"), MISMATCHES)
def test_it_flags_a_stated_birth_date_or_sex_that_differs_from_the_nik(
    raw, birth_date, sex, expected
):
    issues = check_consistency(parse(raw), birth_date=birth_date, sex=sex)

    assert {issue.code: issue.message for issue in issues} == expected


CONSISTENT = [
    pytest.param("3504025208900002", date(1990, 8, 12), "P", id="same-date-and-sex"),
    pytest.param("3504025208900002", None, None, id="nothing-stated"),
    pytest.param("3504010101250001", date(1925, 1, 1), "L", id="stated-century-nik-cannot-hold"),
    pytest.param("3504013102850001", date(1970, 1, 1), "P", id="invalid-nik-is-not-compared"),
]


@pytest.mark.parametrize(("raw", "birth_date", "sex"), CONSISTENT)
def test_it_finds_no_mismatch_where_there_is_none(raw, birth_date, sex):
    assert check_consistency(parse(raw), birth_date=birth_date, sex=sex) == ()


def test_it_wants_sex_as_l_or_p():
    with pytest.raises(ValueError, match="'L' or 'P'"):
        check_consistency(parse("3504025208900002"), birth_date=None, sex="Perempuan")


MASKS = [
    pytest.param("3504011203850001", "3504********0001", id="nik"),
    pytest.param("350401120385001", "***********5001", id="short-value"),
    pytest.param("123", "123", id="shorter-than-four"),
]


@pytest.mark.parametrize(("nik", "masked"), MASKS)
def test_it_masks_a_nik_for_lists_and_public_answers(nik, masked):
    # NIKs are masked in lists and public answers.
    assert mask_nik(nik) == masked


def test_it_composes_a_womans_nik():
    nik = compose_nik(district="35.04.02", birth_date=date(1990, 8, 12), sex="P", serial=2)

    assert nik == "3504025208900002"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"district": "35.04", "serial": 1},
        {"district": "35.04.0a", "serial": 1},
        {"district": "35.04.01", "serial": 0},
        {"district": "35.04.01", "serial": 10_000},
    ],
    ids=["regency-not-district", "letter-in-district", "serial-0", "serial-10000"],
)
def test_it_refuses_to_compose_an_impossible_nik(kwargs):
    with pytest.raises(ValueError, match=r"district|serial"):
        compose_nik(birth_date=date(1990, 8, 12), sex="L", **kwargs)


def test_it_reads_back_every_nik_it_composes():
    regions = load_region_codes()
    districts = sorted(
        code for code in regions.districts if code[:5] not in regions.retired_regencies
    )
    # Within the 100 years up to as_of the century inference is exact.
    first, last = date(1926, 11, 23).toordinal(), AS_OF.toordinal()
    rng = random.Random(7)
    for _ in range(2_000):
        district = rng.choice(districts)
        birth_date = date.fromordinal(rng.randint(first, last))
        sex = rng.choice(["L", "P"])
        serial = rng.randint(1, 9999)

        nik = compose_nik(district=district, birth_date=birth_date, sex=sex, serial=serial)
        result = parse_nik(nik, as_of=AS_OF, regions=regions)

        assert result.valid, (nik, result.errors)
        assert result.warnings == ()
        assert (result.district, result.birth_date, result.sex) == (district, birth_date, sex)


def test_it_gives_a_json_ready_dict():
    result = parse(" 3504025208900002")

    as_dict = json.loads(json.dumps(result.to_dict()))

    assert as_dict == {
        "valid": True,
        "nik": "3504025208900002",
        "province": "35",
        "regency": "35.04",
        "district": "35.04.02",
        "birth_date": "1990-08-12",
        "sex": "P",
        "errors": [],
        "warnings": [{"code": "nik_cleaned", "message": "NIK dirapikan: spasi dihapus."}],
        "damaged": False,
    }


# The agency sample files (tests/data/samples, outcomes in tests/data/samples_expected) say per row
# what intake should conclude; "nik_mismatch" and "dup_in_file" rows hold well-formed NIKs.
INVALID_CODES = {
    "nik_length",
    "nik_not_digits",
    "nik_province_unknown",
    "nik_regency_unknown",
    "nik_district_zero",
    "nik_date_invalid",
    "nik_serial_zero",
}


def concludes_as_expected(result: NikResult, expect: str) -> bool:
    errors, warnings = set(codes(result.errors)), set(codes(result.warnings))
    if expect in {"ok", "nik_mismatch", "dup_in_file"}:
        return result.valid and "nik_cleaned" not in warnings
    if expect == "ok_cleaned":
        return result.valid and "nik_cleaned" in warnings
    if expect == "nik_invalid":
        return not result.valid and not result.damaged and bool(errors) and errors <= INVALID_CODES
    if expect == "nik_excel_damaged":
        return result.damaged and errors == {"nik_excel_damaged"}
    if expect == "nik_missing":
        return errors == {"nik_missing"}
    raise AssertionError(f"unknown expectation {expect!r}")


def sample_rows(name):
    with (SAMPLES / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.mark.parametrize(
    "name",
    [
        "desa-perangkat-rt-rw.csv",
        "dinas-perikanan-nelayan.csv",
        "dishub-ojol.csv",
        "disperindag-pedagang.csv",
        "satpolpp-becak.csv",
    ],
)
def test_it_concludes_what_the_sample_files_expect(name):
    rows = sample_rows(name)
    regions = load_region_codes()

    wrong = [
        (row["row"], row["nik_as_written"], row["expect"], codes(result.errors))
        for row in rows
        if not concludes_as_expected(
            result := parse_nik(row["nik_as_written"], as_of=AS_OF, regions=regions),
            row["expect"],
        )
    ]

    assert len(rows) > 50
    assert wrong == []


@pytest.mark.parametrize(
    "as_read",
    [
        pytest.param(lambda text: int(Decimal(text)), id="int-as-openpyxl-reads-it"),
        pytest.param(float, id="float-as-pandas-reads-it"),
        pytest.param(Decimal, id="decimal"),
    ],
)
def test_it_flags_every_number_cell_nik_of_the_ojol_sample(as_read):
    # dishub-ojol.xlsx stores these NIKs in number cells; the expected file shows them as floats.
    numbers = [
        row["nik_as_written"]
        for row in sample_rows("dishub-ojol.csv")
        if row["expect"] == "nik_excel_damaged"
    ]

    results = [parse(as_read(text)) for text in numbers]

    assert len(numbers) > 800
    assert all(result.damaged for result in results)
