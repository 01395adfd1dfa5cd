"""The bills page and the payments page: who sees what, generating a month, a bill's lines
with masked NIKs and subtotals, the PDF and xlsx (audited), recording payments."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.billing.models import Bill, Payment
from lindung.billing.services import bill_generate, payment_record
from tests.conftest import client_for
from tests.factories import AgencyFactory, EnrolmentFactory, FundingSourceFactory, UserFactory

BILLS = reverse("billing:bills")
PAYMENTS = reverse("billing:payments")
MARCH = dt.date(2025, 3, 1)


@pytest.fixture
def leader(pemda):
    return UserFactory(username="bupati", pemda=pemda, role=Role.LEADER)


@pytest.fixture
def billed(program, agency, finance):
    """Two participants of Dinas Perikanan, one of another agency; March billed."""
    source = FundingSourceFactory(program=program, name="APBD Kabupaten", code="apbd")
    other = AgencyFactory(pemda=program.pemda, code="dishub", name="Dinas Perhubungan")
    EnrolmentFactory(program=program, funding_source=source, agency=agency,
                     worker__nik="3504011208750001", worker__name="Siti Aminah")  # fmt: skip
    EnrolmentFactory(program=program, funding_source=source, agency=agency)
    EnrolmentFactory(program=program, funding_source=source, agency=other, worker__name="=1+2")
    bill_generate(actor=finance, program=program, month=MARCH)
    return Bill.objects.get()


@pytest.mark.parametrize(("who", "status"), [
    ("finance", 200), ("admin", 200), ("leader", 200), ("verifier", 200), ("operator", 403),
    ("approver", 403),
])  # fmt: skip
def test_money_people_and_verifiers_see_the_bills(billed, who, status, request):
    response = client_for(request.getfixturevalue(who)).get(BILLS)
    assert response.status_code == status


def test_the_bills_page_shows_every_program_month_and_the_generated_ones(billed, finance):
    page = client_for(finance).get(BILLS).content.decode()
    assert "03-2025" in page
    assert "12-2025" in page
    assert "Rp 50.400" in page
    assert "Buat tagihan" in page


def test_a_verifier_reads_but_cannot_generate(billed, verifier):
    client = client_for(verifier)
    assert "Buat tagihan" not in client.get(BILLS).content.decode()
    response = client.post(reverse("billing:generate"), {"month": "2025-04"})
    assert response.status_code == 403


def test_finance_generates_a_month_from_the_page(billed, finance, program):
    response = client_for(finance).post(
        reverse("billing:generate"), {"program": program.pk, "month": "2025-04"}, follow=True
    )
    assert "Tagihan 04-2025 dibuat: 3 peserta, Rp 50.400." in response.content.decode()
    assert Bill.objects.filter(month=dt.date(2025, 4, 1)).exists()


def test_a_month_outside_the_program_is_refused_without_a_500(billed, finance, program):
    response = client_for(finance).post(
        reverse("billing:generate"), {"program": program.pk, "month": "2026-01"}, follow=True
    )
    assert response.status_code == 200
    assert "Pilih bulan program" in response.content.decode()


def test_a_bill_shows_masked_niks_and_subtotals_per_agency(billed, leader):
    page = client_for(leader).get(reverse("billing:bill", args=[billed.pk])).content.decode()
    assert "3504011208750001" not in page
    assert "Siti Aminah" in page
    # Dinas Perikanan 2 × 16.800; Dinas Perhubungan 1 × 16.800.
    assert "Rp 33.600" in page
    assert "Rp 16.800" in page


def test_another_pemdas_bill_is_not_found(billed, other_pemda):
    stranger = UserFactory(username="asing", pemda=other_pemda, role=Role.FINANCE)
    response = client_for(stranger).get(reverse("billing:bill", args=[billed.pk]))
    assert response.status_code == 404


def test_the_xlsx_has_niks_as_text_no_formulas_and_is_audited(billed, finance):
    response = client_for(finance).get(reverse("billing:bill_download", args=[billed.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    lines = [r for r in rows[4:] if isinstance(r[0], int)]
    assert len(lines) == 3
    assert "3504********0001" in [r[1] for r in lines]  # Keuangan does not act on NIKs
    assert "'=1+2" in [r[2] for r in lines]
    assert rows[-1][-1] == 50_400
    event = AuditEvent.objects.get(action="bill.exported")
    assert event.changes == {"format": "xlsx", "month": "2025-03", "lines": 3, "full_nik": False}


def test_the_xlsx_has_full_niks_for_the_admin_and_the_audit_says_so(billed, admin):
    response = client_for(admin).get(reverse("billing:bill_download", args=[billed.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    lines = [r for r in book.active.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert "3504011208750001" in [r[1] for r in lines]
    assert AuditEvent.objects.get(action="bill.exported").changes["full_nik"] is True


def test_the_pdf_is_a_pdf_under_the_letterhead_and_is_audited(billed, finance, program):
    program.letterhead = "PEMERINTAH KABUPATEN TULUNGAGUNG\nDINAS TENAGA KERJA"
    program.save()
    response = client_for(finance).get(reverse("billing:bill_download", args=[billed.pk, "pdf"]))
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert response["Content-Disposition"].endswith('2025-03-apbd.pdf"')
    assert AuditEvent.objects.filter(action="bill.exported", changes__format="pdf").exists()


def test_an_unknown_format_is_not_found(billed, finance):
    response = client_for(finance).get(reverse("billing:bill_download", args=[billed.pk, "doc"]))
    assert response.status_code == 404


@pytest.mark.parametrize(("who", "status"), [
    ("finance", 200), ("admin", 200), ("leader", 200), ("verifier", 403), ("operator", 403),
])  # fmt: skip
def test_the_payments_page_is_for_money_people(billed, who, status, request):
    assert client_for(request.getfixturevalue(who)).get(PAYMENTS).status_code == status


def _form(program, source, **extra):
    data = {
        "program": program.pk,
        "funding_source": source.pk,
        "sp2d_number": "0042/SP2D/LS/2025",
        "paid_on": "2025-04-10",
        "amount": "33.600",
        "months": ["2025-03"],
    }
    data.update(extra)
    return data


def test_keuangan_records_a_partial_payment_with_proof_and_sees_billed_vs_paid(
    billed, finance, program
):
    client = client_for(finance)
    proof = SimpleUploadedFile("sp2d.pdf", b"%PDF-1.4\n...", content_type="application/pdf")
    response = client.post(PAYMENTS, {**_form(program, billed.funding_source), "proof": proof},
                           follow=True)  # fmt: skip
    page = response.content.decode()
    assert "SP2D 0042/SP2D/LS/2025 dicatat." in page
    # March billed Rp 50.400, paid Rp 33.600: Rp 16.800 outstanding.
    assert "Rp 50.400" in page
    assert "Rp 33.600" in page
    assert "Rp 16.800" in page
    payment = Payment.objects.get()
    download = client.get(reverse("billing:payment_proof", args=[payment.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="payment.proof_downloaded").exists()


def test_the_same_sp2d_twice_is_refused_on_the_form(billed, finance, program):
    client = client_for(finance)
    client.post(PAYMENTS, _form(program, billed.funding_source))
    response = client.post(
        PAYMENTS, _form(program, billed.funding_source, sp2d_number="0042/sp2d/ls/2025 ")
    )
    assert response.status_code == 400
    assert "sudah pernah dicatat" in response.content.decode()
    assert Payment.objects.count() == 1


def test_a_wrong_amount_or_a_proof_that_is_no_document_is_refused(billed, finance, program):
    client = client_for(finance)
    response = client.post(PAYMENTS, _form(program, billed.funding_source, amount="banyak"))
    assert response.status_code == 400
    bad = SimpleUploadedFile("sp2d.pdf", b"PK\x03\x04zip", content_type="application/pdf")
    response = client.post(PAYMENTS, {**_form(program, billed.funding_source), "proof": bad})
    assert response.status_code == 400
    assert "PDF, JPG atau PNG" in response.content.decode()
    assert not Payment.objects.exists()


def test_a_correction_from_the_page_names_the_payment(billed, finance, program):
    paid = payment_record(actor=finance, program=program, funding_source=billed.funding_source,
                          sp2d_number="A-1", paid_on=dt.date(2025, 4, 1), amount=67_200,
                          months=["2025-03"])  # fmt: skip
    client = client_for(finance)
    client.post(PAYMENTS, _form(program, billed.funding_source, sp2d_number="A-2",
                                amount="-16.800", corrects=paid.pk))  # fmt: skip
    fix = Payment.objects.get(sp2d_number="A-2")
    assert (fix.amount, fix.corrects) == (-16_800, paid)


def test_the_leader_sees_payments_but_cannot_record(billed, leader, program):
    client = client_for(leader)
    assert "Catat pembayaran" not in client.get(PAYMENTS).content.decode()
    assert client.post(PAYMENTS, _form(program, billed.funding_source)).status_code == 403


def test_the_nav_has_iuran_for_finance_not_for_operators(billed, finance, operator):
    assert 'href="/iuran/"' in client_for(finance).get("/").content.decode()
    assert 'href="/iuran/"' not in client_for(operator).get("/").content.decode()
