"""Money reports: the monthly recap per funding source and agency (participants, billed, paid,
outstanding) as xlsx and PDF on the program's letterhead, and the arrears list (per source and
month, and per participant with the NIK masked) as xlsx. Every download is audited
(`billing.report_downloaded` with its kind).

Paid in the recap: a source's bill for a month counts as paid in full once a payment covering
that month is recorded (partial payments show on the budget page, spread over their months).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Role, User
from lindung.audit.services import audit_record
from lindung.billing.budget import BUDGET_READERS
from lindung.billing.models import Bill, BillLine, PaymentMonth
from lindung.billing.paidup import (
    MONTH_STATE_LABELS,
    PAID_STATE_LABELS,
    arrears_of,
    arrears_participants,
    source_label,
)
from lindung.common.errors_domain import ServiceError
from lindung.common.pdf import letterhead_lines, pdf_from_template
from lindung.common.tabular.values import formula_safe
from lindung.domain.nik import mask_nik
from lindung.enrollment.approval import Document
from lindung.programs.models import FundingSource, Program

REPORT_KINDS = ("recap_xlsx", "recap_pdf", "arrears_xlsx")
# The Disnaker (admin, verifier, Kepala Dinas) reads the arrears list its home alert links
# to; the recap is for those who read the budget.
ARREARS_READERS = (*BUDGET_READERS, Role.VERIFIER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class RecapRow:
    source: str  # short code
    source_name: str
    agency: str
    participants: int
    billed: int
    paid: int

    @property
    def outstanding(self) -> int:
        return self.billed - self.paid


@dataclass(frozen=True)
class Recap:
    program: Program
    month: dt.date
    rows: list[RecapRow]  # per source and agency
    sources: list[RecapRow]  # per source (agency blank)

    def total(self, name: str) -> int:
        return sum(int(getattr(r, name)) for r in self.sources)


def recap_months(program: Program) -> list[dt.date]:
    """The months the program has bills for, newest first."""
    return list(
        Bill.objects.filter(program=program)
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )


def recap_of(program: Program, month: dt.date) -> Recap:
    """The recap of `month`'s bills, per funding source and agency."""
    month = month.replace(day=1)
    sources = {s.pk: s for s in FundingSource.objects.filter(program=program)}
    paid = set(
        PaymentMonth.objects.filter(
            funding_source__program=program, month=month, payment__amount__gt=0
        ).values_list("funding_source_id", flat=True)
    )
    lines = (
        BillLine.objects.filter(bill__program=program, bill__month=month)
        .values("bill__funding_source_id", "agency__name")
        .annotate(n=Count("id"), billed=Sum("amount"))
        .order_by("bill__funding_source_id", "agency__name")
    )
    rows = []
    for line in lines:
        source = sources[line["bill__funding_source_id"]]
        rows.append(
            RecapRow(
                source=source_label(source),
                source_name=source.name,
                agency=line["agency__name"] or "—",
                participants=line["n"],
                billed=line["billed"] or 0,
                paid=(line["billed"] or 0) if source.pk in paid else 0,
            )
        )
    per_source = []
    for bill in Bill.objects.filter(program=program, month=month).order_by("funding_source_id"):
        source = sources[bill.funding_source_id]
        per_source.append(
            RecapRow(
                source=source_label(source),
                source_name=source.name,
                agency="",
                participants=bill.participants,
                billed=bill.total,
                paid=bill.total if source.pk in paid else 0,
            )
        )
    return Recap(program=program, month=month, rows=rows, sources=per_source)


def _xlsx(sheets: Iterable[tuple[str, list[str], Iterable[list[Any]]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, str):
                    cell = WriteOnlyCell(ws, value=formula_safe(value))
                    cell.number_format = "@"
                    cells.append(cell)
                else:
                    cells.append(value)
            ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


RECAP_HEADER = [
    "Kode sumber dana",
    "Sumber dana",
    "Instansi",
    "Peserta",
    "Tagihan (Rp)",
    "Dibayar (Rp)",
    "Belum dibayar (Rp)",
]


def recap_xlsx(recap: Recap) -> bytes:
    def rows(items: list[RecapRow]) -> Iterable[list[Any]]:
        for r in items:
            yield [
                r.source,
                r.source_name,
                r.agency,
                r.participants,
                r.billed,
                r.paid,
                r.outstanding,
            ]

    return _xlsx(
        [
            ("Per sumber dan instansi", RECAP_HEADER, rows(recap.rows)),
            ("Per sumber dana", RECAP_HEADER, rows(recap.sources)),
        ]
    )


def recap_pdf(recap: Recap) -> bytes:
    program = recap.program
    return pdf_from_template(
        "billing/budget_recap_pdf.html",
        {
            "recap": recap,
            "program": program,
            "letterhead": letterhead_lines(program.letterhead),
            "made_on": timezone.localdate(),
            "totals": {
                name: recap.total(name)
                for name in ("participants", "billed", "paid", "outstanding")
            },
        },
    )


ARREARS_SOURCE_HEADER = [
    "Kode sumber dana",
    "Sumber dana",
    "Bulan iuran",
    "Jatuh tempo",
    "Status",
    "Peserta",
    "Iuran (Rp)",
]
ARREARS_PEOPLE_HEADER = [
    "NIK (disamarkan)",
    "Nama",
    "KPJ",
    "Instansi",
    "Kode sumber dana",
    "Status",
    "Lunas sampai",
    "Bulan berturut-turut dibayar",
    "Bulan belum dibayar",
]


def arrears_xlsx(program: Program, as_of: dt.date) -> bytes:
    arrears = arrears_of(program, as_of)
    per_month = (
        [
            s.code,
            s.source.name,
            f"{m.month:%m-%Y}",
            f"{m.due:%d-%m-%Y}",
            str(MONTH_STATE_LABELS[m.state]),
            m.participants,
            m.amount,
        ]
        for s in arrears.sources
        for m in s.unpaid
    )
    people = (
        [
            mask_nik(p.enrolment.worker.nik),
            p.enrolment.worker.name,
            p.enrolment.kpj,
            p.enrolment.agency.name if p.enrolment.agency else "",
            p.source.code,
            str(PAID_STATE_LABELS[p.status.state]),
            f"{p.status.paid_through:%m-%Y}" if p.status.paid_through else "",
            p.status.paid_run,
            ", ".join(f"{m:%m-%Y}" for m in p.status.unpaid_due),
        ]
        for p in arrears_participants(arrears)
    )
    return _xlsx(
        [
            ("Per sumber dan bulan", ARREARS_SOURCE_HEADER, per_month),
            ("Per peserta", ARREARS_PEOPLE_HEADER, people),
        ]
    )


def report_download(
    *, actor: Actor, program: Program, kind: str, month: dt.date | None, as_of: dt.date
) -> Document:
    """A money report made now; every download is audited with its kind."""
    if (
        not isinstance(actor, User)
        or actor.pemda_id != program.pemda_id
        or not actor.has_role(*(ARREARS_READERS if kind == "arrears_xlsx" else BUDGET_READERS))
    ):
        raise ServiceError(_("Anda tidak berhak mengunduh laporan ini."))
    if kind not in REPORT_KINDS:
        raise ServiceError(_("Jenis laporan tidak dikenal."))
    if kind == "arrears_xlsx":
        content = arrears_xlsx(program, as_of)
        document = Document(content, f"tunggakan-{program.code}-{as_of:%Y-%m-%d}.xlsx", XLSX)
    else:
        if month is None:
            raise ServiceError(_("Belum ada tagihan untuk direkap."))
        recap = recap_of(program, month)
        stem = f"rekap-iuran-{program.code}-{month:%Y-%m}"
        if kind == "recap_pdf":
            document = Document(recap_pdf(recap), f"{stem}.pdf", "application/pdf")
        else:
            document = Document(recap_xlsx(recap), f"{stem}.xlsx", XLSX)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="billing.report_downloaded",
            obj=program,
            changes={
                "kind": kind,
                "month": f"{month:%Y-%m}" if month else "",
                "as_of": as_of,
                "bytes": len(document.content),
            },
        )
    return document
