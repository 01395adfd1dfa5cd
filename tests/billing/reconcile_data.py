"""A month billed by us and BPJS's bill for it with one planted difference of each kind.

March 2025, program "pekerja-rentan-2025", JKK + JKM Rp 16.800 a participant:

- Ani: on both at Rp 16.800 → matched
- Budi: on both; BPJS applied relief to APBD money (Rp 8.400) → amount_differs
- Citra: ours only → missing_from_bpjs
- Dewi: died on 10-02-2025, ended in February, still on theirs → ended_still_billed
- Eko: NIK never enrolled in this program → not_ours
- Fajar: his NIK damaged by Excel (a number cell), found by his KPJ → matched
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

from lindung.billing.models import Bill, BillLine
from lindung.workers.models import EndReason, EnrolmentStatus
from tests.factories import EnrolmentFactory, WorkerFactory
from tests.intake import hostile

MONTH = dt.date(2025, 3, 1)
PREMIUM = 16_800

PEOPLE = {
    "ani": ("3504011208750001", "25000000001", "Ani Lestari"),
    "budi": ("3504011208750002", "25000000002", "Budi Santoso"),
    "citra": ("3504011208750003", "25000000003", "Citra Dewi"),
    "dewi": ("3504011208750004", "25000000004", "Dewi Sartika"),
    "eko": ("3504019999990005", "25000000095", "Eko Prasetyo"),
    "fajar": ("3504011208750006", "25000000006", "Fajar Nugroho"),
}


def make_month(program, funding_source):
    """Our March bill (Ani, Budi, Citra, Fajar) and Dewi, who died in February."""
    bill = Bill.objects.create(
        pemda=program.pemda, program=program, funding_source=funding_source, month=MONTH,
        participants=4, total=4 * PREMIUM,
    )  # fmt: skip
    enrolments = {}
    for key in ("ani", "budi", "citra", "dewi", "fajar"):
        nik, kpj, name = PEOPLE[key]
        worker = WorkerFactory(pemda=program.pemda, nik=nik, name=name)
        enrolment = EnrolmentFactory(
            program=program, worker=worker, kpj=kpj, funding_source=funding_source
        )
        enrolments[key] = enrolment
        if key == "dewi":
            enrolment.status = EnrolmentStatus.ENDED
            enrolment.ended_on = dt.date(2025, 2, 10)
            enrolment.end_reason = EndReason.DECEASED
            enrolment.save()
            continue
        BillLine.objects.create(
            bill=bill, pemda=program.pemda, enrolment=enrolment, nik=nik, name=name, kpj=kpj,
            jkk=PREMIUM - 8400, jkm=8400, amount=PREMIUM,
        )  # fmt: skip
    return enrolments


TITLE = ["TAGIHAN IURAN PESERTA BPU - PENERIMA BANTUAN IURAN PEMDA"]
SUBTITLE = ["Periode: Maret 2025", "", "Kantor Cabang Tulungagung"]
HEADER = ["No", "No. KTP", "Nomor Peserta", "Nama TK", "Periode", "Iuran JKK", "Iuran JKM",
          "Total Iuran"]  # fmt: skip


def bpjs_rows(*, numbers: bool) -> list[list[object]]:
    """Their lines as cells: amounts as numbers (`numbers`) or Indonesian text."""

    def money(value: int) -> object:
        return value if numbers else f"Rp {value:,}".replace(",", ".") + ",00"

    rows: list[list[object]] = []
    for n, (key, amount) in enumerate(
        [("ani", 16_800), ("budi", 8_400), ("dewi", 16_800), ("eko", 16_800), ("fajar", 16_800)],
        start=1,
    ):
        nik, kpj, name = PEOPLE[key]
        nik_cell: object = nik
        if key == "fajar":
            nik_cell = 3.50401120875e15 if numbers else "3,50401E+15"
        rows.append([n, nik_cell, kpj, name, "03-2025", money(amount - 8400), money(8400),
                     money(amount)])  # fmt: skip
    rows.append(["", "", "", "TOTAL", "", "", "", money(16_800 * 4 + 8_400)])
    return rows


def write_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tagihan"
    sheet.append(TITLE)
    sheet.append(SUBTITLE)
    sheet.append([])
    sheet.append(HEADER)
    for row in bpjs_rows(numbers=True):
        sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path) -> Path:
    """Amounts as text with Indonesian separators, headers named otherwise (no JKK/JKM parts,
    "NIK", "KPJ", "Nama Peserta", "Jumlah Iuran")."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(TITLE)
        out.writerow(["NIK", "KPJ", "Nama Peserta", "Bulan", "Jumlah Iuran"])
        for row in bpjs_rows(numbers=False):
            out.writerow([row[1], row[2], row[3], row[4], row[7]])
    return path


def _ods_cell(value: object) -> str:
    if isinstance(value, int | float) and value != "":
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return hostile.ods_cell(str(value))


def write_ods(path: Path) -> Path:
    """Title row, then the total made of the parts only (no Total column)."""
    header = ["NIK", "No KPJ", "Nama", "Periode Iuran", "Iuran JKK", "Iuran JKM"]
    rows = [TITLE, header] + [[r[1], r[2], r[3], r[4], r[5], r[6]] for r in bpjs_rows(numbers=True)]
    xml = "".join(
        "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
        for row in rows
    )
    return hostile.write_ods(path, xml)
