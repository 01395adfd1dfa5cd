import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from lindung.billing.models import Payment, PaymentMonth
from tests.factories import EnrolmentFactory

JAKARTA = ZoneInfo("Asia/Jakarta")


def record_payment(source, months, *, paid_on, recorded_on=None, by, number=None):
    """A treasury payment (SP2D) for `source` covering `months` (first days), entered into
    Lindung on `recorded_on` (09:00 Jakarta time; default: the SP2D date)."""
    payment = Payment.objects.create(
        pemda=source.pemda,
        program=source.program,
        funding_source=source,
        sp2d_number=number or f"SP2D/{source.pk}/{Payment.objects.count() + 1}",
        paid_on=paid_on,
        amount=16_800 * len(months),
        months=[m.strftime("%Y-%m") for m in months],
        recorded_by=by,
    )
    for month in months:
        PaymentMonth.objects.create(
            payment=payment, pemda=source.pemda, funding_source=source, month=month
        )
    at = dt.datetime.combine(recorded_on or paid_on, dt.time(9), tzinfo=JAKARTA)
    Payment.objects.filter(pk=payment.pk).update(recorded_at=at)
    PaymentMonth.objects.filter(payment=payment).update(recorded_at=at)
    return payment


@pytest.fixture
def participant(program, funding_source, agency):
    """An active participant of the 2025 program from 1 January 2025 (TMT), paid by APBD."""
    return EnrolmentFactory(
        program=program,
        funding_source=funding_source,
        agency=agency,
        worker__nik="3504011208750001",
        worker__name="Sutrisno",
        worker__agency=agency,
    )


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def papers_complete(claim, *, by):
    """Upload a (tiny) PDF for every required item of the claim's checklist."""
    import io

    from lindung.claims.checklist import missing
    from lindung.claims.documents import claim_document_upload

    for item in missing(claim.kind, set()):
        claim_document_upload(
            actor=by, claim=claim, item=item.code, upload=io.BytesIO(PDF),
            filename=f"{item.code}.pdf",
        )  # fmt: skip
