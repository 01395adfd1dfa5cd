"""Bills and payments made directly for the budget, arrears and report tests (the bills
engineer's services are not used here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lindung.billing.models import Bill, BillLine, Payment, PaymentMonth
from lindung.programs.models import FundingSource
from lindung.workers.models import Enrolment
from tests.factories import UserFactory


def pay(
    source: FundingSource,
    months: Sequence[dt.date],
    *,
    paid_on: dt.date,
    amount: int,
    sp2d: str | None = None,
) -> Payment:
    """An SP2D of `source` covering `months`."""
    user = UserFactory(pemda=source.pemda, role="finance")
    payment = Payment.objects.create(
        pemda=source.pemda,
        program=source.program,
        funding_source=source,
        sp2d_number=sp2d or f"SP2D-{Payment.objects.count() + 1}",
        paid_on=paid_on,
        amount=amount,
        months=[f"{m:%Y-%m}" for m in months],
        recorded_by=user,
    )
    PaymentMonth.objects.bulk_create(
        PaymentMonth(payment=payment, pemda=source.pemda, funding_source=source, month=m)
        for m in months
    )
    return payment


def bill(
    source: FundingSource, month: dt.date, enrolments: Sequence[Enrolment], *, each: int
) -> Bill:
    """A bill of `source` for `month` with a line of `each` rupiah per enrolment."""
    made = Bill.objects.create(
        pemda=source.pemda,
        program=source.program,
        funding_source=source,
        month=month,
        participants=len(enrolments),
        total=each * len(enrolments),
    )
    BillLine.objects.bulk_create(
        BillLine(
            bill=made,
            pemda=source.pemda,
            enrolment=e,
            nik=e.worker.nik,
            name=e.worker.name,
            kpj=e.kpj,
            agency=e.agency,
            jkk=0,
            jkm=0,
            amount=each,
        )
        for e in enrolments
    )
    return made
