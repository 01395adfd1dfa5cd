"""Cell normalisation for agency worker lists, on values as spreadsheet readers hand them over.

Formats come from the lists agencies really send and from the sample files in
tests/data/samples (dates as real cells, dd/mm/yyyy text, "12 Agustus 1975", a combined
"Trenggalek, 20-05-1990" column, sex as L/P, spelled out or 1/2, RT typed as numbers).
"""

from datetime import date, datetime
from decimal import Decimal

import pytest

from lindung.intake.normalise import (
    RowIssue,
    clean_text,
    normalise_phone,
    pad_rt_rw,
    parse_date,
    parse_income,
    parse_sex,
    split_place_date,
    split_rt_rw,
)

AS_OF = date(2026, 11, 22)


# --- dates ---------------------------------------------------------------------------------

READABLE_DATES = [
    pytest.param(date(1990, 5, 20), date(1990, 5, 20), id="a-date-cell"),
    # Spreadsheet readers hand over naive datetimes for date cells.
    pytest.param(datetime(1990, 5, 20, 0, 0), date(1990, 5, 20), id="a-datetime-cell"),  # noqa: DTZ001
    # Excel serials, 1900 date system: serial 1 = 1900-01-01, 61 = 1900-03-01 (after the
    # invented 29 Feb 1900), 25569 = 1970-01-01 (the Unix epoch).
    pytest.param(1, date(1900, 1, 1), id="serial-1"),
    pytest.param(59, date(1900, 2, 28), id="serial-59-before-the-leap-bug"),
    pytest.param(61, date(1900, 3, 1), id="serial-61-after-the-leap-bug"),
    pytest.param(25569, date(1970, 1, 1), id="serial-25569-unix-epoch"),
    pytest.param(25569.0, date(1970, 1, 1), id="serial-as-float"),
    pytest.param(32994.75, date(1990, 5, 1), id="serial-with-a-time-of-day"),
    pytest.param("20-05-1990", date(1990, 5, 20), id="dd-mm-yyyy"),
    pytest.param("20/05/1990", date(1990, 5, 20), id="dd/mm/yyyy"),
    pytest.param("20.05.1990", date(1990, 5, 20), id="dd.mm.yyyy"),
    pytest.param("5-6-1975", date(1975, 6, 5), id="d-m-yyyy"),
    pytest.param(" 20 - 05 - 1990 ", date(1990, 5, 20), id="spaced-out"),
    pytest.param("'20-05-1990", date(1990, 5, 20), id="leading-apostrophe"),
    pytest.param("20-05-1990 00:00", date(1990, 5, 20), id="with-a-time"),
    pytest.param("5-6-75", date(1975, 6, 5), id="d-m-yy-last-century"),
    pytest.param("05/06/01", date(2001, 6, 5), id="dd/mm/yy-this-century"),
    pytest.param("20/05/26", date(2026, 5, 20), id="two-digit-year-up-to-as-of"),
    pytest.param("23/11/26", date(1926, 11, 23), id="two-digit-year-after-as-of-is-1926"),
    pytest.param("22/11/26", date(2026, 11, 22), id="two-digit-year-on-as-of"),
    pytest.param("12 Agustus 1975", date(1975, 8, 12), id="indonesian-month"),
    pytest.param("12 AGUSTUS 1975", date(1975, 8, 12), id="indonesian-month-capitals"),
    pytest.param("12 Agt 1975", date(1975, 8, 12), id="agt"),
    pytest.param("12-Agu-1975", date(1975, 8, 12), id="agu-with-dashes"),
    pytest.param("12 Ags. 1975", date(1975, 8, 12), id="ags-with-a-dot"),
    pytest.param("22 Februari 1979", date(1979, 2, 22), id="februari"),
    pytest.param("1 Pebruari 1980", date(1980, 2, 1), id="pebruari"),
    pytest.param("7 Maret 1972", date(1972, 3, 7), id="maret"),
    pytest.param("5 Mei 1972", date(1972, 5, 5), id="mei"),
    pytest.param("13 Oktober 1979", date(1979, 10, 13), id="oktober"),
    pytest.param("3 Nopember 1980", date(1980, 11, 3), id="nopember"),
    pytest.param("9 Des 1980", date(1980, 12, 9), id="des"),
    pytest.param("12 August 1975", date(1975, 8, 12), id="english-month"),
    pytest.param("12-Aug-75", date(1975, 8, 12), id="english-abbreviation-two-digit-year"),
    pytest.param("August 12, 1975", date(1975, 8, 12), id="english-month-first"),
    pytest.param("1975-08-12", date(1975, 8, 12), id="iso"),
    pytest.param("1975-08-12 00:00:00", date(1975, 8, 12), id="iso-with-time"),
    pytest.param("1975-08-12T00:00:00", date(1975, 8, 12), id="iso-with-t"),
    pytest.param("20051990", date(1990, 5, 20), id="ddmmyyyy-digits"),
    pytest.param("19900520", date(1990, 5, 20), id="yyyymmdd-digits"),
    pytest.param(20051990, date(1990, 5, 20), id="ddmmyyyy-in-a-number-cell"),
    pytest.param(5051990, date(1990, 5, 5), id="ddmmyyyy-number-that-lost-its-zero"),
]


@pytest.mark.parametrize(("value", "expected"), READABLE_DATES)
def test_it_reads_dates_in_the_formats_agencies_use(value, expected):
    assert parse_date(value, as_of=AS_OF) == (expected, None)


@pytest.mark.parametrize("value", [None, "", "   ", "-", float("nan")])
def test_it_reads_a_blank_date_as_none_without_an_issue(value):
    assert parse_date(value, as_of=AS_OF) == (None, None)


BAD_DATES = [
    pytest.param(60, "date_invalid", "29-02-1900", id="serial-60-is-the-invented-29-feb-1900"),
    pytest.param("31-02-1980", "date_invalid", "'31-02-1980'", id="31-february"),
    pytest.param("29-02-1981", "date_invalid", "'29-02-1981'", id="29-february-no-leap-year"),
    pytest.param("32/01/1990", "date_invalid", "'32/01/1990'", id="day-32"),
    pytest.param("05/20/1990", "date_invalid", "bulan 20", id="mm-dd-is-never-swapped"),
    pytest.param("13/13/1990", "date_invalid", "bulan 13", id="month-13"),
    pytest.param("20-05-2030", "date_future", "'20-05-2030'", id="future"),
    pytest.param(date(2027, 1, 1), "date_future", "01-01-2027", id="future-date-cell"),
    pytest.param(50000, "date_future", "'50000'", id="future-serial"),
    pytest.param(date(1850, 1, 1), "date_invalid", "01-01-1850", id="before-1900"),
    pytest.param("kemarin", "date_unreadable", "'kemarin'", id="a-word"),
    pytest.param("12 Foo 1975", "date_unreadable", "'12 Foo 1975'", id="unknown-month"),
    pytest.param("20-05", "date_unreadable", "'20-05'", id="no-year"),
    pytest.param("20-05-199", "date_unreadable", "'20-05-199'", id="three-digit-year"),
    pytest.param("1990", "date_incomplete", "1990", id="year-only-text"),
    pytest.param(1990, "date_incomplete", "1990", id="year-only-number-is-not-a-serial"),
    pytest.param(True, "date_unreadable", "True", id="a-checkbox"),
]


@pytest.mark.parametrize(("value", "code", "quoted"), BAD_DATES)
def test_it_reports_impossible_future_and_unreadable_dates_quoting_the_text(value, code, quoted):
    parsed, issue = parse_date(value, as_of=AS_OF)

    assert parsed is None
    assert issue is not None
    assert (issue.field, issue.code, issue.severity) == ("birth_date", code, "error")
    assert quoted in issue.message
    assert issue.message.startswith("Tanggal lahir")


def test_it_names_the_field_it_was_asked_to_read():
    _, issue = parse_date("kemarin", as_of=AS_OF, field="kk_date")

    assert issue == RowIssue(
        "kk_date",
        "date_unreadable",
        "Tanggal 'kemarin' tidak dikenali; tulis hari-bulan-tahun, mis. 20-05-1990.",
        "error",
    )


# --- sex -----------------------------------------------------------------------------------

SEXES = [
    pytest.param("L", "L", id="L"),
    pytest.param("l", "L", id="lower-l"),
    pytest.param("Laki-laki", "L", id="laki-laki"),
    pytest.param("LAKI - LAKI", "L", id="laki-laki-spaced"),
    pytest.param("Laki Laki", "L", id="laki-laki-without-dash"),
    pytest.param("LAKI2", "L", id="laki2"),
    pytest.param("Lk.", "L", id="lk"),
    pytest.param("Pria", "L", id="pria"),
    pytest.param("Male", "L", id="male"),
    pytest.param("M", "L", id="m"),
    pytest.param(1, "L", id="code-1-int"),
    pytest.param(1.0, "L", id="code-1-float"),
    pytest.param("1", "L", id="code-1-text"),
    pytest.param("1.0", "L", id="code-1-float-as-text"),
    pytest.param("P", "P", id="P"),
    pytest.param("Perempuan", "P", id="perempuan"),
    pytest.param("PR", "P", id="pr"),
    pytest.param("Wanita", "P", id="wanita"),
    pytest.param("Female", "P", id="female"),
    pytest.param("W", "P", id="w"),
    pytest.param("F", "P", id="f"),
    pytest.param(2, "P", id="code-2-int"),
    pytest.param(2.0, "P", id="code-2-float"),
    pytest.param(" 2 ", "P", id="code-2-text"),
]


@pytest.mark.parametrize(("value", "expected"), SEXES)
def test_it_reads_sex_as_l_or_p(value, expected):
    assert parse_sex(value) == (expected, None)


@pytest.mark.parametrize("value", [None, "", "  ", "-"])
def test_it_reads_a_blank_sex_as_none_without_an_issue(value):
    assert parse_sex(value) == (None, None)


@pytest.mark.parametrize("value", ["X", "L/P", 3, "Laki-laki/Perempuan", True])
def test_it_reports_a_sex_it_cannot_read(value):
    sex, issue = parse_sex(value)

    assert sex is None
    assert issue is not None
    assert (issue.field, issue.code, issue.severity) == ("sex", "sex_unreadable", "error")
    assert "isi L atau P" in issue.message


# --- combined place and date of birth -----------------------------------------------------

PLACE_DATES = [
    pytest.param("Trenggalek, 20-05-1990", ("Trenggalek", "20-05-1990"), id="comma"),
    pytest.param("TULUNGAGUNG,12-08-1975", ("TULUNGAGUNG", "12-08-1975"), id="comma-no-space"),
    pytest.param("Kediri 20 Mei 1990", ("Kediri", "20 Mei 1990"), id="no-comma"),
    pytest.param("Blitar, 12 Agustus, 1975", ("Blitar", "12 Agustus, 1975"), id="comma-in-date"),
    pytest.param(
        "Kab. Blitar, Jawa Timur, 20-05-1990",
        ("Kab. Blitar, Jawa Timur", "20-05-1990"),
        id="last-comma",
    ),
    pytest.param("Kediri / 20-05-1990", ("Kediri", "20-05-1990"), id="slash"),
    pytest.param("  Kediri ,  20-05-1990 ", ("Kediri", "20-05-1990"), id="spaces"),
    pytest.param("20-05-1990", ("", "20-05-1990"), id="a-lone-date"),
    pytest.param("Kediri", ("Kediri", ""), id="a-lone-place"),
    pytest.param("Kediri Mei 20, 1990", ("Kediri", "Mei 20, 1990"), id="month-first"),
    pytest.param(date(1990, 5, 20), ("", date(1990, 5, 20)), id="a-date-cell"),
    pytest.param(32994, ("", 32994), id="a-serial"),
    pytest.param("", ("", ""), id="blank"),
]


@pytest.mark.parametrize(("value", "expected"), PLACE_DATES)
def test_it_splits_a_combined_place_and_date_of_birth(value, expected):
    assert split_place_date(value) == expected


def test_a_split_date_part_reads_as_a_date():
    _, date_part = split_place_date("Trenggalek, 20-05-1990")

    assert parse_date(date_part, as_of=AS_OF) == (date(1990, 5, 20), None)


# --- phone numbers -------------------------------------------------------------------------

PHONES = [
    pytest.param("0812-3456-7890", "+6281234567890", id="dashes"),
    pytest.param("0812 3456 7890", "+6281234567890", id="spaces"),
    pytest.param("081234567890", "+6281234567890", id="plain"),
    pytest.param("'081234567890", "+6281234567890", id="leading-apostrophe"),
    pytest.param("812345678", "+62812345678", id="leading-zero-lost-in-text"),
    pytest.param(81234567890.0, "+6281234567890", id="float-cell"),
    pytest.param(81234567890, "+6281234567890", id="int-cell"),
    pytest.param("+62 812-3456-7890", "+6281234567890", id="plus-62"),
    pytest.param("6281234567890", "+6281234567890", id="62-without-plus"),
    pytest.param("+62 0812 3456 7890", "+6281234567890", id="62-then-a-zero"),
    pytest.param("(0812) 3456.7890", "+6281234567890", id="brackets-and-dots"),
    pytest.param("0812345678", "+62812345678", id="ten-digits"),
    pytest.param("0812345678901", "+62812345678901", id="thirteen-digits"),
    pytest.param("0812-3456-7890 / 0813-1111-2222", "+6281234567890", id="two-numbers-first-kept"),
    pytest.param("628778724607", "+628778724607", id="sample-file-form"),
]


@pytest.mark.parametrize(("value", "expected"), PHONES)
def test_it_writes_mobile_numbers_as_e164(value, expected):
    phone, issue = normalise_phone(value)

    assert (phone, issue) == (expected, None)
    assert len(phone) <= 16


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("12345", id="too-short"),
        pytest.param("081234567", id="nine-digits"),
        pytest.param("08123456789012", id="fourteen-digits"),
        pytest.param("0355-321456", id="a-landline"),
        pytest.param("tidak ada", id="words"),
        pytest.param("0812-3456-78xx", id="letters"),
        pytest.param(8.1234567e10 + 0.5, id="a-fraction"),
    ],
)
def test_it_warns_and_drops_a_number_that_is_not_an_indonesian_mobile(value):
    phone, issue = normalise_phone(value)

    assert phone == ""
    assert issue is not None
    assert (issue.field, issue.code, issue.severity) == ("phone", "phone_invalid", "warning")
    assert "0812-3456-7890" in issue.message


@pytest.mark.parametrize("value", [None, "", " ", "-"])
def test_a_blank_phone_is_empty_without_an_issue(value):
    assert normalise_phone(value) == ("", None)


# --- RT / RW -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("4", "004", id="text"),
        pytest.param(4, "004", id="int"),
        pytest.param(4.0, "004", id="float"),
        pytest.param("04", "004", id="two-digits"),
        pytest.param("004", "004", id="already-padded"),
        pytest.param("12", "012", id="twelve"),
        pytest.param("4.0", "004", id="float-as-text"),
        pytest.param("RT 4", "004", id="with-label"),
        pytest.param("", "", id="blank"),
        pytest.param(None, "", id="none"),
        pytest.param("-", "", id="dash"),
        pytest.param("3A", "3A", id="other-text-kept"),
    ],
)
def test_it_pads_rt_and_rw_to_three_digits(value, expected):
    assert pad_rt_rw(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("003/005", ("003", "005"), id="padded"),
        pytest.param("3/5", ("003", "005"), id="bare"),
        pytest.param("003 / 005", ("003", "005"), id="spaced"),
        pytest.param("RT 3 RW 5", ("003", "005"), id="labelled"),
        pytest.param("RT.003/RW.005", ("003", "005"), id="labelled-with-dots"),
        pytest.param("RW 5 RT 3", ("003", "005"), id="labelled-other-order"),
        pytest.param("003-005", ("003", "005"), id="dash"),
        pytest.param("3", ("003", ""), id="rt-only"),
        pytest.param(3, ("003", ""), id="a-number"),
        pytest.param("", ("", ""), id="blank"),
        pytest.param(date(2026, 5, 3), ("", ""), id="a-date-excel-made-of-3-5-is-not-guessed"),
    ],
)
def test_it_splits_a_combined_rt_rw(value, expected):
    assert split_rt_rw(value) == expected


# --- text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("  Abdul  Gantar ", "Abdul Gantar", id="spaces"),
        pytest.param("Abdul\u00a0Gantar\u200b", "Abdul Gantar", id="non-breaking-and-zero-width"),
        pytest.param("Dsn.\tKrajan\n", "Dsn. Krajan", id="tab-and-newline"),
        pytest.param(12.0, "12", id="whole-float"),
        pytest.param(12, "12", id="int"),
        pytest.param(1.5, "1.5", id="fraction"),
        pytest.param(Decimal("12"), "12", id="decimal"),
        pytest.param(date(1990, 5, 20), "20-05-1990", id="date"),
        pytest.param(None, "", id="none"),
        pytest.param(float("nan"), "", id="nan"),
    ],
)
def test_it_tidies_text(value, expected):
    assert clean_text(value) == expected


# --- income --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(1000000, 1000000, id="int"),
        pytest.param(1000000.0, 1000000, id="float"),
        pytest.param("1000000", 1000000, id="plain-text"),
        pytest.param("1.000.000", 1000000, id="dotted"),
        pytest.param("Rp 1.000.000", 1000000, id="rp"),
        pytest.param("Rp. 1.500.000,-", 1500000, id="rp-dot-and-dash"),
        pytest.param("1 juta", 1000000, id="juta"),
        pytest.param("1,5 jt", 1500000, id="decimal-comma-jt"),
        pytest.param("", None, id="blank"),
    ],
)
def test_it_reads_declared_income_in_whole_rupiah(value, expected):
    assert parse_income(value) == (expected, None)


@pytest.mark.parametrize("value", ["banyak", "1.5 juta", -5, 1.5, "Rp 1.234,56"])
def test_it_warns_about_an_income_it_cannot_read(value):
    income, issue = parse_income(value)

    assert income is None
    assert issue is not None
    assert (issue.field, issue.code, issue.severity) == ("income", "income_invalid", "warning")
