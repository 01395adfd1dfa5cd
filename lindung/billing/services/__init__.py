"""Billing writes: a month's bills (`bills`) and the treasury's payments (`payments`)."""

from lindung.billing.selectors import source_code
from lindung.billing.services.bills import BillRun, SourceBill, bill_generate
from lindung.billing.services.exports import bill_export, payment_proof_open
from lindung.billing.services.payments import normalise_sp2d, parse_months, payment_record

__all__ = [
    "BillRun",
    "SourceBill",
    "bill_export",
    "bill_generate",
    "normalise_sp2d",
    "parse_months",
    "payment_proof_open",
    "payment_record",
    "source_code",
]
