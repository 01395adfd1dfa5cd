"""Billing writes: a month's bills (`bills`) and the treasury's payments (`payments`)."""

from lindung.billing.services.bills import BillRun, SourceBill, bill_generate, source_code

__all__ = ["BillRun", "SourceBill", "bill_generate", "source_code"]
