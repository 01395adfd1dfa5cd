"""Recording SP2D payments: who may, what is checked, corrections as new entries, proofs,
and the same SP2D number never twice."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.billing.models import Payment, PaymentMonth
from lindung.billing.services import payment_record
from lindung.common.errors_domain import ServiceError
from lindung.common.uploads import upload_path
from tests.factories import FundingSourceFactory, UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.7\n" + b"x" * 64


@pytest.fixture
def source(program):
    return FundingSourceFactory(program=program, code="apbd")


def _pay(user, program, source, **kwargs):
    values = {
        "sp2d_number": " 00123/sp2d/ls/2025 ",
        "paid_on": dt.date(2025, 3, 10),
        "amount": 33_600,
        "months": ["2025-02", "2025-03"],
    }
    values.update(kwargs)
    return payment_record(actor=user, program=program, funding_source=source, **values)


def test_keuangan_records_a_multi_month_payment_with_one_month_row_each(finance, program, source):
    payment = _pay(finance, program, source)
    assert payment.sp2d_number == "00123/SP2D/LS/2025"
    assert payment.months == ["2025-02", "2025-03"]
    assert list(PaymentMonth.objects.order_by("month").values_list("month", flat=True)) == [
        dt.date(2025, 2, 1),
        dt.date(2025, 3, 1),
    ]
    event = AuditEvent.objects.get(action="payment.recorded")
    assert event.changes["amount"] == 33_600
    assert event.changes["funding_source"] == "apbd"


def test_a_partial_payment_for_one_month_is_allowed(finance, program, source):
    payment = _pay(finance, program, source, amount=1, months=[dt.date(2025, 4, 9)])
    assert payment.months == ["2025-04"]


def test_the_same_sp2d_number_is_refused_however_it_is_typed(finance, program, source):
    _pay(finance, program, source)
    with pytest.raises(ServiceError, match="sudah pernah dicatat"):
        _pay(finance, program, source, sp2d_number="00123/SP2D/LS/2025")
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": 0}, "lebih dari Rp 0"),
        ({"amount": -5}, "lebih dari Rp 0"),
        ({"months": ["2026-01"]}, "di luar bulan program"),
        ({"months": ["2024-12", "2025-01"]}, "12-2024"),
        ({"months": []}, "paling sedikit satu bulan"),
        ({"months": ["Maret"]}, "TTTT-BB"),
        ({"sp2d_number": "   "}, "wajib diisi"),
        ({"paid_on": dt.date(2999, 1, 1)}, "masa depan"),
    ],
    ids=["zero", "negative", "next-year", "before-program", "no-month", "bad-month", "no-sp2d",
         "future"],
)  # fmt: skip
def test_it_refuses_wrong_entries(finance, program, source, kwargs, message):
    with pytest.raises(ServiceError, match=message):
        _pay(finance, program, source, **kwargs)
    assert not Payment.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.VERIFIER, Role.LEADER, Role.APPROVER])
def test_only_keuangan_records(pemda, program, source, role):
    user = UserFactory(username="someone", pemda=pemda, role=role)
    with pytest.raises(ServiceError, match="Hanya Keuangan"):
        _pay(user, program, source)


def test_keuangan_of_another_pemda_is_refused(other_pemda, program, source):
    user = UserFactory(username="other", pemda=other_pemda, role=Role.FINANCE)
    with pytest.raises(ServiceError, match="Hanya Keuangan"):
        _pay(user, program, source)


def test_a_source_of_another_program_is_refused(finance, program, source):
    stranger = FundingSourceFactory(code="lain")
    with pytest.raises(ServiceError, match="bukan milik program"):
        _pay(finance, program, stranger)


def test_a_correction_is_a_new_negative_entry_naming_the_payment(finance, program, source):
    paid = _pay(finance, program, source)
    fix = _pay(finance, program, source, sp2d_number="00124/SP2D/LS/2025", amount=-16_800,
               months=["2025-03"], corrects=paid, note="kelebihan bayar")  # fmt: skip
    paid.refresh_from_db()
    assert (paid.amount, fix.amount, fix.corrects) == (33_600, -16_800, paid)
    assert AuditEvent.objects.get(action="payment.corrected").changes["corrects"] == (
        "00123/SP2D/LS/2025"
    )


def test_a_correction_of_another_source_is_refused(finance, program, source):
    paid = _pay(finance, program, source)
    other = FundingSourceFactory(program=program, code="add")
    with pytest.raises(ServiceError, match="sumber dana yang sama"):
        _pay(finance, program, other, sp2d_number="X-2", amount=-1, corrects=paid)


@pytest.mark.parametrize("content", [PNG, PDF, b"\xff\xd8\xff\xe0" + b"j" * 64],
                         ids=["png", "pdf", "jpg"])  # fmt: skip
def test_a_proof_is_kept_by_content(finance, program, source, content):
    proof = io.BytesIO(content)
    proof.name = "bukti.bin"
    payment = _pay(finance, program, source, proof=proof)
    assert payment.proof_name == "bukti.bin"
    assert upload_path(payment.proof_stored).read_bytes() == content
    assert len(payment.proof_sha256) == 64


@pytest.mark.parametrize(
    "content", [b"PK\x03\x04 a zip", b"", b"MZ\x90\x00 an exe"], ids=["zip", "empty", "exe"]
)
def test_a_proof_that_is_not_pdf_or_image_is_refused(finance, program, source, content):
    proof = io.BytesIO(content)
    proof.name = "bukti.pdf"
    with pytest.raises(ServiceError, match="PDF, JPG atau PNG"):
        _pay(finance, program, source, proof=proof)
    assert not Payment.objects.exists()


def test_a_proof_over_the_cap_is_refused(finance, program, source, monkeypatch):
    monkeypatch.setattr("lindung.common.uploads.DOCUMENT_MAX_BYTES", 10)
    with pytest.raises(ServiceError, match="lebih dari"):
        _pay(finance, program, source, proof=io.BytesIO(PDF))
