"""Billing writes: a month's bills (`bills`) and the treasury's payments (`payments`)."""

from lindung.billing.services.bills import BillRun, SourceBill, bill_generate, source_code
from lindung.billing.services.payments import normalise_sp2d, parse_months, payment_record

__all__ = [
    "BillRun",
    "SourceBill",
    "bill_generate",
    "normalise_sp2d",
    "parse_months",
    "payment_record",
    "source_code",
]
