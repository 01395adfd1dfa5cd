"""The column mapping screen lays the file out one line per column, so a file of many columns
shows every one of them (its letter, its header, its first values and the field to choose),
on a desktop as on a phone (tests/browser/test_phone.py checks what the browser shows)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lindung.common.tabular.headers import column_letter as _column_letter
from lindung.intake.models import UploadedFile
from tests.conftest import client_for
from tests.intake.conftest import csv_bytes

# Eleven columns; the NIK column is headed "Identitas", which Lindung does not know.
HEADER = [
    "No",
    "Identitas",
    "Nama",
    "Tempat Lahir",
    "Tanggal Lahir",
    "Jenis Kelamin",
    "Alamat",
    "RT",
    "RW",
    "Desa",
    "Pekerjaan",
]
ROWS = [
    ["1", "3504096804874842", "Suwarni", "Tulungagung", "28-04-1987", "P", "Dusun Krajan", "001"],
    ["2", "3504095806010862", "Siti Aminah", "Blitar", "18-06-2001", "P", "", "002", "", "Besole"],
]


def _mapping_page(operator, program):
    client = client_for(operator)
    client.post(
        reverse("intake:upload"),
        {
            "program": program.pk,
            "file": SimpleUploadedFile("daftar.csv", csv_bytes([HEADER, *ROWS])),
        },
    )
    return client.get(reverse("intake:mapping", args=[UploadedFile.objects.get().pk]))


def test_the_mapping_screen_has_one_line_for_every_column_of_the_file(operator, program):
    page = _mapping_page(operator, program)

    lines = page.context["mapping_rows"]
    assert [line["header"] for line in lines] == HEADER
    assert [line["letter"] for line in lines] == list("ABCDEFGHIJK")
    html = page.content.decode()
    for index in range(len(HEADER)):
        assert f'<select id="col{index}" name="col{index}">' in html


def test_each_line_shows_the_columns_first_values_and_its_field(operator, program):
    lines = _mapping_page(operator, program).context["mapping_rows"]

    by_header = {line["header"]: line for line in lines}
    assert by_header["Identitas"]["samples"] == ["3504096804874842", "3504095806010862"]
    assert by_header["Identitas"]["field"] == ""
    assert by_header["Nama"]["field"] == "name"
    assert by_header["Alamat"]["samples"] == ["Dusun Krajan"]  # blank cells are left out
    assert by_header["Desa"]["samples"] == ["Besole"]  # and so are missing ones
    assert by_header["Pekerjaan"]["samples"] == []


def test_columns_beyond_z_are_named_as_the_spreadsheet_names_them():
    assert [_column_letter(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
