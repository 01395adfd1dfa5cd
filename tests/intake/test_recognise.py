"""Finding the header row and the meaning of each column in agency spreadsheets."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from lindung.common.tabular import Sheet, inspect_file, read_workbook
from lindung.common.tabular.headers import fold as _fold
from lindung.common.tabular.headers import header_signature
from lindung.intake.recognise import (
    FIELD_LABELS,
    FIELDS,
    SYNONYMS,
    guess_header,
    match_header,
    sheets_with_same_layout,
)

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLES = DATA / "samples"
EXPECTED = DATA / "samples_expected"


# --- match_header ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("NIK", "nik"),
        ("No. KTP", "nik"),
        ("No KTP", "nik"),
        ("Nomor KTP", "nik"),
        ("Nomor Induk Kependudukan", "nik"),
        ("NIK KTP", "nik"),
        ("NOMOR NIK", "nik"),
        ("  nik* ", "nik"),
        ("NIK (16 digit)", "nik"),
        ("Nama", "name"),
        ("NAMA LENGKAP", "name"),
        ("Nama Pekerja", "name"),
        ("Nama Peserta", "name"),
        ("Nama Sesuai KTP", "name"),
        ("Nama (sesuai KTP)", "name"),
        ("Tempat Lahir", "birth_place"),
        ("Tmp Lahir", "birth_place"),
        ("Tempat Lhr", "birth_place"),
        ("Tgl Lahir", "birth_date"),
        ("Tanggal Lahir", "birth_date"),
        ("Tgl. Lahir", "birth_date"),
        ("TGL_LAHIR", "birth_date"),
        ("Tanggal Lahir (dd-mm-yyyy)", "birth_date"),
        ("Tempat, Tgl Lahir", "birth_place_date"),
        ("Tempat/Tanggal Lahir", "birth_place_date"),
        ("TTL", "birth_place_date"),
        ("Tempat Tanggal Lahir", "birth_place_date"),
        ("L/P", "sex"),
        ("JK", "sex"),
        ("Jenis Kelamin", "sex"),
        ("JENIS KELAMIN (1=L,2=P)", "sex"),
        ("Kelamin", "sex"),
        ("Sex", "sex"),
        ("Alamat", "address"),
        ("Alamat Lengkap", "address"),
        ("Alamat Domisili", "address"),
        ("Dusun", "address"),
        ("RT", "rt"),
        ("RW", "rw"),
        ("RT/RW", "rt_rw"),
        ("RT / RW", "rt_rw"),
        ("Desa", "village"),
        ("Kelurahan", "village"),
        ("Desa/Kel.", "village"),
        ("Desa/Kelurahan", "village"),
        ("DESA/KEL", "village"),
        ("Kel/Desa", "village"),
        ("Kecamatan", "district"),
        ("Kec.", "district"),
        ("KEC", "district"),
        ("Pekerjaan", "occupation"),
        ("Jenis Pekerjaan", "occupation"),
        ("Jabatan", "occupation"),
        ("Profesi", "occupation"),
        ("Jenis Usaha", "occupation"),
        ("No HP", "phone"),
        ("No. HP", "phone"),
        ("Nomor HP", "phone"),
        ("No Telp", "phone"),
        ("Telepon", "phone"),
        ("HP", "phone"),
        ("WA", "phone"),
        ("No WA", "phone"),
        ("Penghasilan", "income"),
        ("Pendapatan", "income"),
        ("Penghasilan per Bulan", "income"),
        ("Upah", "income"),
        ("Penghasilan (Rp)", "income"),
        ("No KK", "kk"),
        ("Nomor KK", "kk"),
        ("No. Kartu Keluarga", "kk"),
        ("No", "row_no"),
        ("No.", "row_no"),
        ("NO", "row_no"),
        ("Nomor", "row_no"),
        ("Nomor Urut", "row_no"),
        ("NO URUT", "row_no"),
    ],
)
def test_a_header_synonym_names_its_field(text, field):
    assert match_header(text) == field


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Keterangan",
        "Tanggal",
        "Tempat",
        "No. Rekening",
        "DAFTAR PERANGKAT DESA DAN KETUA RT/RW",
        "DATA PEKERJA",
        "USULAN PESERTA JAMSOSTEK NELAYAN TAHUN 2025",
        "(1)",
    ],
)
def test_text_that_is_not_a_known_header_matches_nothing(text):
    assert match_header(text) is None


def test_every_field_has_a_label_and_synonyms_and_no_synonym_names_two_fields():
    assert set(FIELD_LABELS) == set(SYNONYMS) == set(FIELDS)
    seen: dict[str, str] = {}
    for field, synonyms in SYNONYMS.items():
        assert synonyms
        for synonym in synonyms:
            assert seen.setdefault(_fold(synonym), field) == field, synonym
            assert match_header(synonym) == field


# --- the sample files ------------------------------------------------------------------

SAMPLE_LAYOUTS = [
    (
        "dinas-perikanan-nelayan.xlsx",
        5,  # three title rows and the merged "DATA PEKERJA" band above
        {
            "row_no": 0,
            "nik": 1,
            "name": 2,
            "birth_place": 3,
            "birth_date": 4,
            "sex": 5,
            "address": 6,
            "rt": 7,
            "rw": 8,
            "village": 9,
            "district": 10,
            "occupation": 11,
            "phone": 12,
        },
    ),
    (
        "dishub-ojol.xlsx",
        2,
        {
            "row_no": 0,
            "nik": 1,
            "name": 2,
            "birth_place_date": 3,
            "sex": 4,
            "address": 5,
            "village": 6,
            "district": 7,
            "occupation": 8,
            "phone": 9,
        },
    ),
    (
        "satpolpp-becak.csv",
        1,  # NIK;NAMA;JK;TGL_LAHIR;ALAMAT;DESA/KEL;KEC;PEKERJAAN
        {
            "nik": 0,
            "name": 1,
            "sex": 2,
            "birth_date": 3,
            "address": 4,
            "village": 5,
            "district": 6,
            "occupation": 7,
        },
    ),
    (
        "disperindag-pedagang.xls",
        3,
        {
            "row_no": 0,
            "nik": 1,
            "name": 2,
            "birth_date": 3,
            "sex": 4,
            "address": 5,
            "village": 6,
            "district": 7,
            "occupation": 8,
        },
    ),
    (
        "desa-perangkat-rt-rw.ods",
        2,
        {
            "row_no": 0,
            "nik": 1,
            "name": 2,
            "birth_place": 3,
            "birth_date": 4,
            "sex": 5,
            "occupation": 6,
            "village": 7,
        },
    ),
]


@pytest.fixture(scope="module")
def sample_rows() -> dict[str, list[list[object]]]:
    rows = {}
    for name, *_ in SAMPLE_LAYOUTS:
        path = SAMPLES / name
        (sheet,) = read_workbook(path, kind=inspect_file(path, filename=name))
        rows[name] = sheet.rows
    return rows


@pytest.mark.parametrize(("name", "header_line", "columns"), SAMPLE_LAYOUTS)
def test_each_sample_header_row_and_columns_are_found_with_confidence(
    sample_rows, name, header_line, columns
):
    guess = guess_header(sample_rows[name])
    assert guess is not None
    assert guess.header_row + 1 == header_line  # as the person sees it, 1-based
    assert guess.columns == columns
    assert guess.unmapped == []
    assert guess.confident, guess.reasons
    assert guess.reasons == []


@pytest.mark.parametrize(("name", "header_line", "columns"), SAMPLE_LAYOUTS)
def test_each_sample_first_expected_data_row_follows_the_header(
    sample_rows, name, header_line, columns
):
    with (EXPECTED / f"{Path(name).stem}.csv").open(encoding="utf-8") as fh:
        first_expected = int(next(csv.DictReader(fh))["row"])  # 1-based
    guess = guess_header(sample_rows[name])
    assert guess is not None
    first_data_index = guess.header_row + 1  # 0-based index into Sheet.rows
    assert first_expected == first_data_index + 1


# --- layouts built by hand -------------------------------------------------------------

E = ""


def test_title_rows_and_a_merged_band_are_skipped():
    rows = [
        ["PEMERINTAH KABUPATEN TULUNGAGUNG", E, E, E],
        [E, E, E, E],
        ["DATA PEKERJA", E, E, E],
        ["No.", "No. KTP", "Nama", "Tgl Lahir"],
        [1.0, "3504096804874842", "Suwarni", "28-04-1987"],
    ]
    guess = guess_header(rows)
    assert guess is not None
    assert guess.header_row == 3
    assert guess.columns == {"row_no": 0, "nik": 1, "name": 2, "birth_date": 3}
    assert guess.headers == ["No.", "No. KTP", "Nama", "Tgl Lahir"]


def test_a_two_level_header_is_read_through_its_bands():
    rows = [
        ["DAFTAR NELAYAN", E, E, E, E, E, E, E],
        ["No", "NIK", "Nama", "Tempat/Tgl Lahir", E, "Alamat", E, E],
        [E, E, E, "Tempat", "Tanggal", "Dusun", "RT", "RW"],
        [1, "3504096804874842", "Suwarni", "Kediri", "28-04-1987", "Sukorejo", "003", "004"],
    ]
    guess = guess_header(rows)
    assert guess is not None
    assert guess.header_row == 2
    assert guess.columns == {
        "row_no": 0,
        "nik": 1,
        "name": 2,
        "birth_place": 3,
        "birth_date": 4,
        "address": 5,
        "rt": 6,
        "rw": 7,
    }
    assert guess.headers[:5] == [
        "No",
        "NIK",
        "Nama",
        "Tempat/Tgl Lahir / Tempat",
        "Tempat/Tgl Lahir / Tanggal",
    ]
    assert guess.confident


def test_a_numbering_row_under_the_header_does_not_move_it():
    rows = [
        ["NIK", "Nama", "Tgl Lahir", "Alamat"],
        ["(1)", "(2)", "(3)", "(4)"],
        ["3504096804874842", "Suwarni", "28-04-1987", "Dsn. Krajan"],
    ]
    guess = guess_header(rows)
    assert guess is not None
    assert guess.header_row == 0
    assert guess.confident


def test_unrecognised_header_columns_are_listed_for_the_user():
    rows = [["NIK", "Nama", "Keterangan", E, "Tgl Lahir", "Status Kawin", 2025.0]]
    guess = guess_header(rows)
    assert guess is not None
    assert guess.unmapped == [2, 5, 6]
    assert guess.headers == ["NIK", "Nama", "Keterangan", "", "Tgl Lahir", "Status Kawin", "2025"]
    assert guess.confident


@pytest.mark.parametrize(
    ("header", "confident", "reason"),
    [
        (["NIK", "Nama", "Tgl Lahir", "Desa"], True, None),
        (["No", "Nama", "Tgl Lahir", "Desa"], False, "Kolom NIK tidak dikenali"),
        (["NIK", "Pekerjaan", "Tgl Lahir", "Desa"], False, "Kolom nama tidak dikenali"),
        (["NIK", "Nama", "Alamat", "Dusun"], False, r"Alamat cocok dengan beberapa kolom \(C, D\)"),
        (["No", "NIK", "Nama"], False, "Hanya 2 kolom yang dikenali"),
    ],
)
def test_the_guess_says_when_the_user_must_confirm_the_mapping(header, confident, reason):
    guess = guess_header([header, ["3504096804874842", "Ani", "x", "y"]])
    assert guess is not None
    assert guess.confident is confident
    if reason is None:
        assert guess.reasons == []
    else:
        assert any(re.search(reason, r) for r in guess.reasons), guess.reasons


def test_a_field_matched_twice_keeps_the_leftmost_column():
    guess = guess_header([["NIK", "Nama", "Alamat", "Dusun"]])
    assert guess is not None
    assert guess.columns["address"] == 2


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [["3504096804874842", "Suwarni", "28-04-1987"]],
        [["Tgl Lahir", "Alamat", "Desa"]],  # no NIK and no name
        [["NIK"], ["3504096804874842"]],  # NIK alone
    ],
    ids=["empty", "data only", "no nik or name", "one field"],
)
def test_no_header_is_guessed_without_nik_or_name_and_one_more_field(rows):
    assert guess_header(rows) is None


def test_only_the_first_scan_rows_are_searched():
    rows = [["catatan"]] * 40 + [["NIK", "Nama", "Alamat"]]
    assert guess_header(rows) is None
    guess = guess_header(rows, scan_rows=50)
    assert guess is not None
    assert guess.header_row == 40


# --- signatures and sheets sharing a layout --------------------------------------------


def test_the_signature_ignores_case_punctuation_and_spacing():
    a = header_signature(["No.", "No. KTP", "Desa/Kel.", "", ""])
    b = header_signature(["NO", "no ktp", " DESA / KEL "])
    assert a == b
    assert re.fullmatch(r"[0-9a-f]{64}", a)


@pytest.mark.parametrize(
    "other",
    [
        ["No. KTP", "No.", "Desa/Kel."],  # columns swapped
        ["", "No.", "No. KTP", "Desa/Kel."],  # shifted one column right
        ["No.", "No. KTP", "Desa/Kel.", "Kec."],  # one more column
    ],
)
def test_the_signature_changes_when_the_layout_does(other):
    assert header_signature(["No.", "No. KTP", "Desa/Kel."]) != header_signature(other)


def test_sheets_are_grouped_by_layout_in_workbook_order():
    header = ["NIK", "Nama", "Tgl Lahir"]
    sheets = [
        Sheet("Kec. Besuki", [["DATA"], header, ["3504151901784051", "Ani", "1-1-1980"]]),
        Sheet("Kec. Bandung", [["NIK", "Nama", "L/P"], ["3504171907651839", "Budi", "L"]]),
        Sheet("Catatan", [["dibuat oleh operator"]]),
        Sheet("Kec. Gondang", [header, ["3504095806010862", "Siti", "18-06-2001"]]),
    ]
    assert sheets_with_same_layout(sheets) == [["Kec. Besuki", "Kec. Gondang"], ["Kec. Bandung"]]
