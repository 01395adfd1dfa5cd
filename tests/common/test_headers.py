"""Header rows by an import's synonym table (`lindung.common.tabular.headers`)."""

from __future__ import annotations

import pytest

from lindung.common.tabular.headers import HeaderTable, compact, find_header

TABLE = HeaderTable(
    {"nik": ("NIK", "No. KTP"), "name": ("Nama", "Nama Lengkap"), "dob": ("Tgl Lahir",)}
)


def test_a_header_is_matched_folded_and_with_its_hint_ignored():
    assert TABLE.match("  NAMA LENGKAP ") == "name"
    assert TABLE.match("No KTP") == "nik"
    assert TABLE.match("NIK (16 digit)") == "nik"
    assert TABLE.match("Alamat") is None


def test_a_table_keyed_without_spaces_reads_program_written_headers():
    table = HeaderTable({"dob": ("TGL LAHIR",)}, key=compact)

    assert [table.match(h) for h in ("TGL_LAHIR", "TglLahir", "tgl lahir")] == ["dob"] * 3


def test_one_synonym_for_two_fields_is_refused():
    with pytest.raises(ValueError, match="two fields"):
        HeaderTable({"a": ("Nama",), "b": ("NAMA",)})


def test_the_header_under_title_rows_is_found_and_the_leftmost_column_wins():
    rows = [
        ["DAFTAR PEKERJA RENTAN", "", ""],
        ["", "", ""],
        ["No. KTP", "Nama", "Nama"],
        ["3504011208750001", "Slamet", "x"],
    ]

    found = find_header(rows, TABLE, eligible=lambda fields: "nik" in fields)

    assert found is not None
    assert (found.header_row, found.fields) == (2, ["nik", "name", "name"])
    assert TABLE.columns(rows[2]) == {"nik": 0, "name": 1}


def test_no_header_when_no_row_has_what_the_import_requires():
    assert find_header([["Nama", "Tgl Lahir"]], TABLE, eligible=lambda f: "nik" in f) is None
