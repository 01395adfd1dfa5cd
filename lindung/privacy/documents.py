"""The subject-access report made for the admin, on the page or as PDF (letterhead) / xlsx,
and audited every time (`subject.access_reported`, the NIK masked in the audit detail)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Role, User
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.common.pdf import letterhead_lines, pdf_from_template
from lindung.common.tabular.values import formula_safe
from lindung.domain.nik import mask_nik
from lindung.privacy.subject import SubjectReport, subject_report
from lindung.programs.selectors import program_current
from lindung.workers.restrictions import nik_typed

FORMATS = ("html", "pdf", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    filename: str
    content_type: str


def report_xlsx(report: SubjectReport) -> bytes:
    """One sheet per section; every cell text, formula-neutralised (a NIK stays text)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for section in report.sections:
        ws = wb.create_sheet(section.title[:31].replace("/", "-"))
        ws.append([formula_safe(c) for c in section.columns])
        for row in section.rows:
            ws.append([formula_safe(c) for c in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_pdf(report: SubjectReport, *, user: User) -> bytes:
    program = program_current(user=user)
    return pdf_from_template(
        "privacy/report_pdf.html",
        {
            "report": report,
            "pemda": report.pemda,
            "program": program,
            "letterhead": letterhead_lines(program.letterhead if program else ""),
            "made_at": timezone.localtime(report.made_at),
        },
    )


def subject_report_make(
    *, actor: Actor, nik: str, fmt: str
) -> tuple[SubjectReport, ReportFile | None]:
    """The report on the person with `nik` in the admin's Pemda, and its file for "pdf" or
    "xlsx" (None for the page); one audit event either way."""
    if not isinstance(actor, User) or not actor.is_active or actor.role != Role.ADMIN:
        raise ServiceError(_("Hanya admin Pemda yang dapat membuat laporan data pribadi."))
    if fmt not in FORMATS:
        raise ServiceError(_("Format laporan harus html, pdf atau xlsx."))
    nik = nik_typed(nik)
    report = subject_report(user=actor, nik=nik)
    document: ReportFile | None = None
    stem = f"laporan-data-pribadi-{mask_nik(nik)[-4:]}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "pdf":
        document = ReportFile(report_pdf(report, user=actor), f"{stem}.pdf", "application/pdf")
    elif fmt == "xlsx":
        document = ReportFile(report_xlsx(report), f"{stem}.xlsx", XLSX)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="subject.access_reported",
            pemda=report.pemda,
            changes={"nik": mask_nik(nik), "format": fmt, "counts": report.counts()},
            label=mask_nik(nik),
        )
    return report, document
