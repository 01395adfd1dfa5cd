"""A month's bill as documents for BPKAD: PDF (WeasyPrint) under the program's letterhead
with the signatory, and xlsx (openpyxl write-only) with a line per participant. NIKs are text
cells (Excel would round 16 digits), every text cell through `formula_safe`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from lindung.billing.models import Bill, BillLine
from lindung.common.pdf import letterhead_lines, pdf_from_template
from lindung.common.tabular.values import formula_safe
from lindung.domain.nik import mask_nik

PDF_MAX_LINES = 2_000  # past this the PDF carries the summary; the lines are in the xlsx
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINE_COLUMNS = ("No", "NIK", "Nama", "KPJ", "Instansi", "JKK", "JKM", "JHT", "Iuran (Rp)")


def bill_pdf(
    bill: Bill, subtotals: list[dict[str, Any]], lines: Iterable[BillLine], line_count: int
) -> bytes:
    """The bill as a PDF: letterhead, the month, source and totals per benefit, the
    per-agency subtotals, the lines when at most PDF_MAX_LINES, and the signatory."""
    program = bill.program
    return pdf_from_template(
        "billing/bill_pdf.html",
        {
            "bill": bill,
            "program": program,
            "letterhead": letterhead_lines(program.letterhead),
            "subtotals": subtotals,
            "lines": list(lines) if line_count <= PDF_MAX_LINES else None,
            "line_count": line_count,
            "today": timezone.localdate(),
        },
    )


def _text(value: object) -> object:
    return formula_safe(str(value)) if isinstance(value, str) else value


def bill_xlsx(
    bill: Bill, lines: Iterable[BillLine], out: IO[bytes], *, mask_ids: bool = False
) -> int:
    """Write the bill's lines to `out` as xlsx (NIKs masked with `mask_ids`, for a reader who
    does not act on them); returns the lines written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tagihan")
    for width, column in zip((6, 20, 30, 14, 28, 10, 10, 10, 14), "ABCDEFGHI", strict=True):
        sheet.column_dimensions[column].width = width
    program, source = bill.program, bill.funding_source
    sheet.append([_text(f"Tagihan iuran BPJS Ketenagakerjaan {program.name}")])
    code = source.code or source.pk
    heading = f"Bulan {bill.month:%m-%Y} · sumber dana {source.name} ({code})"
    sheet.append([_text(f"{heading} · kode dana BPJS {source.bpjs_code}")])
    sheet.append([])
    bold = Font(bold=True)
    header = []
    for title in LINE_COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for count, line in enumerate(lines, start=1):
        nik = WriteOnlyCell(sheet, value=mask_nik(line.nik) if mask_ids else line.nik)
        nik.number_format = "@"
        kpj = WriteOnlyCell(sheet, value=line.kpj)
        kpj.number_format = "@"
        agency = line.agency.name if line.agency is not None else ""
        sheet.append([count, nik, _text(line.name), kpj, _text(agency),
                      line.jkk, line.jkm, line.jht, line.amount])  # fmt: skip
    total = WriteOnlyCell(sheet, value=bill.total)
    total.font = bold
    sheet.append([None, None, "Jumlah", None, f"{bill.participants} peserta", None, None, None,
                  total])  # fmt: skip
    book.save(out)
    return count
