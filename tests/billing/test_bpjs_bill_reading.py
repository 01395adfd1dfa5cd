"""Reading BPJS's bill without a database: amounts, headers under title rows, NIKs damaged
by Excel, and the lines that are not participants."""

from __future__ import annotations

import pytest

from lindung.billing.bpjs_bill import BpjsBillRefused, parse_amount, parse_period, read_bpjs_bill
from lindung.common.tabular import Sheet


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (16800, 16_800),
        (16800.0, 16_800),
        ("16.800", 16_800),
        ("Rp 16.800,00", 16_800),
        ("Rp16.800", 16_800),
        ("16800", 16_800),
        ("16800.00", 16_800),
        ("1.234.567", 1_234_567),
        ("36.800,50", 36_801),
        ("", None),
        ("-", None),
        ("nihil", None),
    ],
)
def test_it_reads_rupiah_amounts(value, expected):
    assert parse_amount(value) == expected


def test_it_finds_the_header_under_title_rows_and_sums_the_parts_without_a_total():
    sheet = Sheet(
        name="Tagihan",
        rows=[
            ["TAGIHAN IURAN BPU", "", "", "", ""],
            ["Nomor Peserta", "Nama Peserta", "Iuran JKK", "Iuran JKM", "Iuran JHT"],
            ["25000000001", "Ani", "8.400", "8.400", "20.000"],
            ["", "Jumlah", "8.400", "8.400", "20.000"],
            ["", "", "", "", ""],
        ],
    )

    read = read_bpjs_bill([sheet])

    assert read.header_row == 2
    assert read.columns == {"kpj": "A", "name": "B", "jkk": "C", "jkm": "D", "jht": "E"}
    assert read.frame.select("row_number", "kpj", "nik", "amount_theirs").rows() == [
        (3, "25000000001", None, 36_800)
    ]


def test_a_nik_stored_as_a_number_is_damaged_and_a_text_nik_is_kept():
    sheet = Sheet(
        name="",
        rows=[
            ["NIK", "KPJ", "Total Iuran"],
            [3504011208750000.0, "25000000001", 16800],
            ["'3504011208750002", "25000000002", 16800],
        ],
    )

    frame = read_bpjs_bill([sheet]).frame

    assert frame.select("nik", "nik_text").rows() == [
        (None, "3504011208750000"),
        ("3504011208750002", "3504011208750002"),
    ]


def test_a_sheet_without_nik_or_kpj_is_refused_with_an_indonesian_message():
    sheet = Sheet(name="", rows=[["Nama", "Total Iuran"], ["Ani", "16.800"]])

    with pytest.raises(BpjsBillRefused, match="Kolom NIK atau KPJ tidak ditemukan"):
        read_bpjs_bill([sheet])


def test_a_header_with_no_participant_line_is_refused():
    sheet = Sheet(name="", rows=[["NIK", "Total Iuran"], ["", "TOTAL"]])

    with pytest.raises(BpjsBillRefused, match="tidak berisi satu pun baris peserta"):
        read_bpjs_bill([sheet])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03-2025", (2025, 3)),
        ("3/2025", (2025, 3)),
        ("2025-03", (2025, 3)),
        ("2025-03-01", (2025, 3)),
        ("01-03-2025", (2025, 3)),
        ("202503", (2025, 3)),
        ("Maret 2025", (2025, 3)),
        ("MAR-2025", (2025, 3)),
        ("13-2025", None),
        ("", None),
        ("bulan ini", None),
    ],
)
def test_it_reads_the_period_of_a_line(text, expected):
    assert parse_period(text) == expected
