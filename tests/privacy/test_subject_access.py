"""The subject-access report (UU PDP Pasal 7 and 32): from a NIK typed by the admin (POST,
never in the address), everything the admin's Pemda holds on the person and who saw or changed
it; as a page, PDF and xlsx; every report audited with the NIK masked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lindung.audit.models import AuditEvent
from lindung.audit.services import audit_record
from lindung.billing.models import Bill, BillLine
from lindung.claims.models import Claim, ClaimKind, Reporter
from lindung.privacy.documents import subject_report_make
from lindung.workers.models import EnrolmentStatus
from tests.conftest import client_for
from tests.enrollment.allocation_data import candidates, finished_run
from tests.factories import EnrolmentFactory, WorkerFactory

NIK = "3504010101800002"  # the second person candidates() hands in


@pytest.fixture
def sari(program, agency, funding_source, verifier, other_pemda):
    """Sari, handed in by Dinas Perikanan, verified eligible, enrolled and active, billed
    Rp 16.800 for September 2025, her death claimed; her NIK also in another Pemda."""
    candidates(finished_run(program), agency, 3)
    worker = WorkerFactory(pemda=program.pemda, nik=NIK, name="Sari Wulandari", agency=agency)
    enrolment = EnrolmentFactory(
        program=program, worker=worker, agency=agency, funding_source=funding_source,
        status=EnrolmentStatus.ACTIVE, kpj="25012345678",
    )  # fmt: skip
    bill = Bill.objects.create(
        pemda=program.pemda, program=program, funding_source=funding_source,
        month=dt.date(2025, 9, 1), participants=1, total=16_800,
    )  # fmt: skip
    BillLine.objects.create(
        bill=bill, pemda=program.pemda, enrolment=enrolment, nik=NIK, name=worker.name,
        jkk=6_800, jkm=10_000, amount=16_800,
    )  # fmt: skip
    Claim.objects.create(
        pemda=program.pemda, program=program, enrolment=enrolment, agency=agency,
        kind=ClaimKind.JKM, incident_on=dt.date(2025, 10, 3), place="Tulungagung",
        reported_by=Reporter.FAMILY, reporter_name="Adi",
    )  # fmt: skip
    audit_record(actor=verifier, action="nik.full_shown", obj=enrolment, changes={"count": 1})
    WorkerFactory(pemda=other_pemda, nik=NIK, name="Sari Lain")
    return worker


def _sections(report):
    return {s.key: s for s in report.sections}


def test_the_report_holds_everything_on_the_person_in_the_admins_pemda(admin, sari):
    report, document = subject_report_make(actor=admin, nik=NIK, fmt="html")
    assert document is None
    s = _sections(report)
    assert ["Nama", "Sari Wulandari"] in s["worker"].rows
    assert "Sari Lain" not in str(report.sections)  # the other Pemda's record stays out
    assert [r[1] for r in s["rows"].rows] == ["Dinas Perikanan"]  # one row, its agency
    assert [r[4] for r in s["verdicts"].rows] == ["Memenuhi syarat"]
    assert s["enrolments"].rows[0][2] == "Aktif"
    assert s["enrolments"].rows[0][7] == "25012345678"
    assert s["bills"].rows == [["09-2025", "APBD Kabupaten", "Rp 6.800", "Rp 10.000", "Rp 0",
                                "Rp 16.800"]]  # fmt: skip
    assert [r[1] for r in s["claims"].rows] == ["JKM: meninggal bukan karena kecelakaan kerja"]
    # Who saw her: the verifier's view of her full NIK.
    assert [(r[1], r[2]) for r in s["audit"].rows] == [("erin", "NIK lengkap ditampilkan")]
    event = AuditEvent.objects.get(action="subject.access_reported")
    assert event.changes["nik"] == "3504********0002"
    assert event.changes["counts"]["rows"] == 1
    assert NIK not in str(event.changes) + event.object_label


def test_the_page_is_posted_and_offers_pdf_and_xlsx(admin, sari, verifier):
    client = client_for(admin)
    page = client.post(reverse("privacy:report"), {"nik": NIK, "format": "html"})
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "Sari Wulandari" in page.content.decode()
    xlsx = client.post(reverse("privacy:report"), {"nik": NIK, "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[0] == "Data pekerja"
    assert [c.value for c in book["Data pekerja"][2]] == ["NIK", NIK]  # text, whole
    pdf = client.post(reverse("privacy:report"), {"nik": NIK, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert list(
        AuditEvent.objects.filter(action="subject.access_reported")
        .order_by("pk")
        .values_list("changes__format", flat=True)
    ) == ["html", "xlsx", "pdf"]
    # Only the admin; a NIK in the query string is never read.
    assert client_for(verifier).post(reverse("privacy:report"), {"nik": NIK}).status_code == 403
    assert client.get(reverse("privacy:report"), {"nik": NIK}).status_code == 405


def test_a_nik_not_held_says_so_and_a_malformed_one_is_refused_on_the_form(admin, program):
    client = client_for(admin)
    page = client.post(reverse("privacy:report"), {"nik": "3504019999999999", "format": "html"})
    assert "tidak menyimpan data tentang NIK ini" in page.content.decode()
    bad = client.post(reverse("privacy:report"), {"nik": "12345", "format": "html"})
    assert bad.status_code == 200
    assert "NIK harus 16 angka" in bad.content.decode()
