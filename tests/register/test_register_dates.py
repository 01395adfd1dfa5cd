"""Birth dates in register extracts: the written forms registers use, two-digit years pivoted
on the snapshot's date, Excel serial numbers and Indonesian month names. Expected dates are
worked out by hand (Excel's 1900 system: day 1 = 1900-01-01, day 60 = the 29 February 1900
that never was, from day 61 on day n = 1899-12-30 + n)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from lindung.register.clean import parse_dates
from lindung.register.models import RegisterRecord
from lindung.register.services import snapshot_load

D = dt.date
AS_OF = dt.date(2025, 6, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # day-month-year with "-", "/" or "."
        ("27-05-2006", D(2006, 5, 27)),
        ("27/05/2006", D(2006, 5, 27)),
        ("27.05.2006", D(2006, 5, 27)),
        ("7-5-2006", D(2006, 5, 7)),
        (" 27-05-2006 ", D(2006, 5, 27)),
        # ISO, also as spreadsheets export a date cell with its time
        ("2006-05-27", D(2006, 5, 27)),
        ("2006-05-27 00:00:00", D(2006, 5, 27)),
        ("2006-05-27T00:00:00", D(2006, 5, 27)),
        # two-digit years: the latest century that does not put the date after the snapshot
        # (30-06-2025), the rule intake and NIKs follow too
        ("27-05-06", D(2006, 5, 27)),
        ("03/02/25", D(2025, 2, 3)),
        ("31/12/25", D(1925, 12, 31)),  # 31-12-2025 would be after the snapshot
        ("03/02/26", D(1926, 2, 3)),
        ("31-12-99", D(1999, 12, 31)),
        ("01-01-00", D(2000, 1, 1)),
        # Excel serial numbers
        ("1", D(1900, 1, 1)),
        ("59", D(1900, 2, 28)),
        ("61", D(1900, 3, 1)),
        ("36526", D(2000, 1, 1)),
        ("45658", D(2025, 1, 1)),
        ("33512", D(1991, 10, 1)),
        ("33512.0", D(1991, 10, 1)),
        # Indonesian (and English) month names, full or short, any case
        ("12 Agustus 1975", D(1975, 8, 12)),
        ("12 Agt 1975", D(1975, 8, 12)),
        ("12-AGT-75", D(1975, 8, 12)),
        ("12 agu. 1975", D(1975, 8, 12)),
        ("5 Okt 1980", D(1980, 10, 5)),
        ("24 Des 1990", D(1990, 12, 24)),
        ("1 Mei 2001", D(2001, 5, 1)),
        ("30 Juni 1988", D(1988, 6, 30)),
        ("7 Nopember 1970", D(1970, 11, 7)),
        ("29 Pebruari 1996", D(1996, 2, 29)),
        ("3 Sept 1970", D(1970, 9, 3)),
        ("3 Oct 1970", D(1970, 10, 3)),
    ],
)
def test_it_reads_the_date_as_written(text: str, expected: dt.date) -> None:
    assert parse_dates(pl.Series([text]), as_of=AS_OF).to_list() == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "kemarin",
        "31-02-2000",  # no 31 February
        "29-02-1999",  # not a leap year
        "13-13-2000",
        "0",  # before serial 1
        "60",  # Excel's 29 February 1900
        "60001",  # past the plausible range
        "1975",  # a year of birth alone is not a serial number
        "33512.5",  # a serial with a time of day is not a birth date
        "12 Agustusan 1975",
        "27-05-206",
        "3.50415E+09",
    ],
)
def test_it_leaves_unreadable_dates_empty(text: str) -> None:
    assert parse_dates(pl.Series([text]), as_of=AS_OF).to_list() == [None]


def test_the_pivot_follows_the_snapshot_year() -> None:
    texts = pl.Series(["01-01-24", "01-01-25"])
    assert parse_dates(texts, as_of=dt.date(2024, 12, 31)).to_list() == [
        D(2024, 1, 1),
        D(1925, 1, 1),
    ]
    assert parse_dates(texts, as_of=dt.date(2025, 1, 1)).to_list() == [
        D(2024, 1, 1),
        D(2025, 1, 1),
    ]


def _load(pemda, path: Path, as_of: dt.date = AS_OF):
    return snapshot_load(
        actor="cli", pemda=pemda, path=path, filename=path.name, source="dtks", as_of=as_of
    )


def test_a_csv_with_mixed_date_forms_is_read_row_by_row(pemda, tmp_path):
    path = tmp_path / "dtks.csv"
    path.write_text(
        "ID DTKS;NOMOR NIK;NAMA;TANGGAL LAHIR\n"
        "R1;3504152705060001;SATU;27/05/2006\n"
        "R2;3504152705060002;DUA;12 Agustus 1975\n"
        "R3;3504152705060003;TIGA;33512\n"
        "R4;3504152705060004;EMPAT;03-02-26\n"
        "R5;3504152705060005;LIMA;03-02-25\n"
        "R6;3504152705060006;ENAM;31-02-2000\n"
        "R7;3504152705060007;TUJUH;\n",
        encoding="utf-8",
    )
    snapshot = _load(pemda, path)
    records = {r.register_id: r for r in RegisterRecord.objects.filter(snapshot=snapshot)}
    assert snapshot.rows == 7
    assert {k: r.birth_date for k, r in records.items()} == {
        "R1": D(2006, 5, 27),
        "R2": D(1975, 8, 12),
        "R3": D(1991, 10, 1),
        "R4": D(1926, 2, 3),
        "R5": D(2025, 2, 3),
        "R6": None,
        "R7": None,
    }
    assert records["R6"].issues == [
        {
            "field": "birth_date",
            "code": "date_unreadable",
            "message": "Tanggal lahir tidak terbaca (pakai HH-BB-TTTT).",
            "severity": "warning",
        }
    ]
    assert records["R6"].raw[3] == "31-02-2000"
    assert records["R7"].issues == []  # blank is not unreadable
    assert all(r.issues == [] for k, r in records.items() if k not in {"R6", "R7"})


def test_an_xlsx_with_serial_numbers_and_date_cells(pemda, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["ID DTKS", "NIK", "NAMA", "TGL LAHIR"])
    ws.append(["X1", "3504152705060001", "SERIAL", 33512])
    ws.append(["X2", "3504152705060002", "SERIAL FLOAT", 36526.0])
    ws.append(["X3", "3504152705060003", "SEL TANGGAL", dt.datetime(1980, 12, 24)])  # noqa: DTZ001 - an Excel date cell has no zone
    ws.append(["X4", "3504152705060004", "TEKS", "24 Des 1980"])
    ws.append(["X5", "3504152705060005", "TERLALU BESAR", 99999])
    path = tmp_path / "dtks.xlsx"
    wb.save(path)
    snapshot = _load(pemda, path)
    records = {r.register_id: r for r in RegisterRecord.objects.filter(snapshot=snapshot)}
    assert {k: r.birth_date for k, r in records.items()} == {
        "X1": D(1991, 10, 1),
        "X2": D(2000, 1, 1),
        "X3": D(1980, 12, 24),
        "X4": D(1980, 12, 24),
        "X5": None,
    }
    assert [i["code"] for i in records["X5"].issues] == ["date_unreadable"]
    assert records["X1"].raw == ["X1", "3504152705060001", "SERIAL", "33512"]
