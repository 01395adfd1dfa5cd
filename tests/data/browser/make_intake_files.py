"""Write the messy agency list the intake browser test uploads (tests/browser/test_intake.py).

    .venv/bin/python tests/data/browser/make_intake_files.py

The file is as a fisheries office might send it: two title rows and a blank row above the
table, a NIK column headed "Nomor Kependudukan" (no synonym Lindung knows, so the column
mapping must be confirmed), dates as real date cells, and these problems:

- row 7 (No 3): a NIK of 15 digits;
- row 8 (No 4): a birth date with day and month swapped, so it disagrees with the NIK;
- row 10 (No 6): a NIK with a letter in it;
- a blank row and a JUMLAH (total) row at the end, which are ignored.

Every other row is clean and is accepted. No real person: names are common words, NIKs are
composed with lindung.domain.nik.compose_nik.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from lindung.domain.nik import compose_nik  # noqa: E402

OUT = Path(__file__).with_name("daftar-nelayan-berantakan.xlsx")
HEADERS = ("No", "Nomor Kependudukan", "Nama", "Tgl Lhr", "Kelamin", "Desa", "Pekerjaan")


def nik(district: str, born: dt.date, sex: str, serial: int) -> str:
    return compose_nik(district=district, birth_date=born, sex=sex, serial=serial)


def rows() -> list[list[object]]:
    d = dt.date
    return [
        [
            1,
            nik("35.04.15", d(1978, 3, 12), "L", 9101),
            "Sutrisno",
            d(1978, 3, 12),
            "L",
            "Besole",
            "Nelayan",
        ],
        [
            2,
            nik("35.04.15", d(1985, 11, 2), "P", 9102),
            "Siti Aminah",
            d(1985, 11, 2),
            "P",
            "Tanggulwelahan",
            "Pembudidaya Ikan",
        ],
        # 15 digits: the last one was never typed.
        [
            3,
            nik("35.04.12", d(1990, 1, 20), "L", 9103)[:15],
            "Bambang Hermanto",
            d(1990, 1, 20),
            "L",
            "Pucanglaban",
            "Nelayan",
        ],
        # Day and month swapped: the NIK says 07-05-1980.
        [
            4,
            nik("35.04.19", d(1980, 5, 7), "L", 9104),
            "Slamet Riyadi",
            d(1980, 7, 5),
            "L",
            "Jengglungharjo",
            "Nelayan",
        ],
        [
            5,
            nik("35.04.14", d(1972, 8, 17), "L", 9105),
            "Joko Susilo",
            d(1972, 8, 17),
            "Laki-laki",
            "Ds. Kalibatur",
            "nelayan tradisional",
        ],
        # A letter typed for a digit.
        [
            6,
            "35041208089A9106",
            "Dwi Lestari",
            d(1989, 8, 8),
            "P",
            "Panggungkalak",
            "Pembudidaya Ikan",
        ],
        [
            7,
            nik("35.04.15", d(1995, 12, 30), "P", 9107),
            "Rina Wulandari",
            d(1995, 12, 30),
            "Perempuan",
            "Keboireng",
            "Pembudidaya Ikan",
        ],
        [
            8,
            nik("35.04.19", d(1968, 4, 1), "L", 9108),
            "Suparman",
            d(1968, 4, 1),
            "L",
            "Ngrejo",
            "Nelayan",
        ],
        [None, None, None, None, None, None, None],
        [None, None, "JUMLAH", None, None, None, "8 orang"],
    ]


def main() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Nelayan 2025"
    ws.append(["DAFTAR NELAYAN CALON PESERTA BPJS KETENAGAKERJAAN"])
    ws.append(["DINAS PERIKANAN KABUPATEN TULUNGAGUNG TAHUN 2025"])
    ws.append([])
    ws.append(list(HEADERS))
    for row in rows():
        ws.append(row)
        ws.cell(row=ws.max_row, column=2).number_format = "@"
        ws.cell(row=ws.max_row, column=4).number_format = "DD-MM-YYYY"
    for letter, width in zip("ABCDEFG", (5, 20, 22, 12, 10, 18, 20), strict=True):
        ws.column_dimensions[letter].width = width
    wb.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
