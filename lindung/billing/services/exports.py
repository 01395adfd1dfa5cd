"""Handing a bill out (PDF or xlsx for BPKAD) and a payment's proof: personal data, so every
download is audited."""

from __future__ import annotations

from typing import IO

from lindung.accounts.access import sees_full_nik
from lindung.accounts.models import User
from lindung.audit.services import audit_record
from lindung.billing.documents import bill_pdf, bill_xlsx
from lindung.billing.models import Bill, Payment
from lindung.billing.selectors import bill_agency_subtotals, bill_lines
from lindung.common.errors_domain import ServiceError
from lindung.common.uploads import upload_path


def bill_export(*, actor: User, bill: Bill, kind: str, out: IO[bytes]) -> int:
    """Write `bill` as "pdf" or "xlsx" into `out` (the bill already scoped to `actor`);
    audited `bill.exported`. Returns the lines written or listed."""
    lines = bill_lines(bill=bill)
    full = False  # the PDF lists masked NIKs
    if kind == "pdf":
        out.write(bill_pdf(bill, bill_agency_subtotals(bill=bill), lines, bill.participants))
        count = bill.participants
    elif kind == "xlsx":
        full = sees_full_nik(actor)
        count = bill_xlsx(bill, lines.iterator(chunk_size=5_000), out, mask_ids=not full)
    else:
        raise ServiceError("Format tagihan harus pdf atau xlsx.")
    audit_record(
        actor=actor,
        action="bill.exported",
        obj=bill,
        changes={
            "format": kind,
            "month": f"{bill.month:%Y-%m}",
            "lines": count,
            "full_nik": full,
        },
    )
    return count


def payment_proof_open(*, actor: User, payment: Payment) -> IO[bytes] | None:
    """A payment's proof (the payment already scoped to `actor`), audited; None when none."""
    if not payment.proof_stored:
        return None
    path = upload_path(payment.proof_stored)
    if not path.is_file():
        return None
    handle = path.open("rb")
    audit_record(
        actor=actor,
        action="payment.proof_downloaded",
        obj=payment,
        changes={"sp2d_number": payment.sp2d_number},
    )
    return handle
