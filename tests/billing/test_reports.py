"""The monthly recap per funding source and agency (xlsx, PDF) and the arrears list (xlsx),
every download audited with its kind."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from lindung.audit.models import AuditEvent
from lindung.billing.reports import recap_of, report_download
from lindung.common.errors_domain import ServiceError
from tests.billing.money_rows import bill, pay
from tests.factories import AgencyFactory, EnrolmentFactory

JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)


@pytest.fixture
def billed(program, funding_source):
    """January: 2 people of Dinas A and 1 of Desa B at Rp 16.800, paid; February unpaid."""
    a = AgencyFactory(pemda=program.pemda, name="Dinas A")
    b = AgencyFactory(pemda=program.pemda, name="Desa B")
    people = [
        EnrolmentFactory(program=program, funding_source=funding_source, agency=agency)
        for agency in (a, a, b)
    ]
    people[0].worker.name = "=HYPERLINK(1)"
    people[0].worker.save()
    bill(funding_source, JAN, people, each=16_800)
    bill(funding_source, FEB, people, each=16_800)
    pay(funding_source, [JAN], paid_on=dt.date(2025, 1, 14), amount=50_400)
    return people


def test_the_recap_counts_per_source_and_agency(billed, program) -> None:
    january = recap_of(program, JAN)
    assert [(r.agency, r.participants, r.billed, r.paid) for r in january.rows] == [
        ("Desa B", 1, 16_800, 16_800),
        ("Dinas A", 2, 33_600, 33_600),
    ]
    february = recap_of(program, FEB)
    assert february.total("billed") == 50_400
    assert february.total("outstanding") == 50_400


def test_the_recap_xlsx_is_audited(billed, program, finance) -> None:
    document = report_download(
        actor=finance, program=program, kind="recap_xlsx", month=FEB, as_of=dt.date(2025, 2, 20)
    )
    wb = load_workbook(io.BytesIO(document.content))
    rows = list(wb["Per sumber dana"].iter_rows(values_only=True))
    assert rows[1][3:] == (3, 50_400, 0, 50_400)
    event = AuditEvent.objects.get(action="billing.report_downloaded")
    assert event.changes["kind"] == "recap_xlsx"


def test_the_recap_pdf_is_on_the_letterhead(billed, program, finance) -> None:
    program.letterhead = "PEMERINTAH KABUPATEN TULUNGAGUNG\nDINAS TENAGA KERJA"
    program.save()
    document = report_download(
        actor=finance, program=program, kind="recap_pdf", month=JAN, as_of=dt.date(2025, 2, 20)
    )
    assert document.content.startswith(b"%PDF")
    assert document.filename == f"rekap-iuran-{program.code}-2025-01.pdf"


def test_the_arrears_list_masks_niks_and_neutralises_formulas(billed, program, finance) -> None:
    document = report_download(
        actor=finance,
        program=program,
        kind="arrears_xlsx",
        month=None,
        as_of=dt.date(2025, 2, 20),
    )
    wb = load_workbook(io.BytesIO(document.content))
    per_month = list(wb["Per sumber dan bulan"].iter_rows(values_only=True))
    assert per_month[1][2:] == ("02-2025", "15-02-2025", "Lewat jatuh tempo", 3, 50_400)
    people = list(wb["Per peserta"].iter_rows(values_only=True))[1:]
    assert len(people) == 3
    niks = {e.worker.nik for e in billed}
    assert all(row[0] not in niks and "*" in row[0] for row in people)
    assert "'=HYPERLINK(1)" in {row[1] for row in people}


def test_a_verifier_reads_the_arrears_list_but_not_the_recap(billed, program, verifier) -> None:
    report_download(
        actor=verifier, program=program, kind="arrears_xlsx", month=None, as_of=dt.date(2025, 2, 20)
    )
    with pytest.raises(ServiceError):
        report_download(
            actor=verifier,
            program=program,
            kind="recap_xlsx",
            month=JAN,
            as_of=dt.date(2025, 2, 20),
        )


def test_another_pemdas_user_may_not_download(billed, program, foreign_admin) -> None:
    with pytest.raises(ServiceError):
        report_download(
            actor=foreign_admin,
            program=program,
            kind="arrears_xlsx",
            month=None,
            as_of=dt.date(2025, 2, 20),
        )
    assert not AuditEvent.objects.filter(action="billing.report_downloaded").exists()
