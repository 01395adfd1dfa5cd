"""Recording the treasury's payments to BPJS (SP2D) by Keuangan: the funding source, the
months covered, the amount and the proof. Never edited: a correction is a new entry naming
the payment it corrects. The SP2D number is unique per Pemda (constraint `payment_sp2d_once`),
so even two requests at once cannot record it twice."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Role, User
from lindung.audit.services import audit_record
from lindung.billing.models import Payment, PaymentMonth
from lindung.billing.selectors import source_code
from lindung.common.errors_domain import ServiceError
from lindung.common.uploads import UploadRefused, document_received, upload_path
from lindung.domain.billing import month_of
from lindung.enrollment.capacity import program_months
from lindung.programs.models import FundingSource, Program

PAYERS = (Role.FINANCE,)


def normalise_sp2d(number: str) -> str:
    """An SP2D number as kept: without surrounding blanks, in capitals."""
    return " ".join(number.split()).upper()


def _user(actor: Actor, program: Program) -> User:
    if (
        not isinstance(actor, User)
        or actor.pemda_id != program.pemda_id
        or not actor.has_role(*PAYERS)
    ):
        raise ServiceError(_("Hanya Keuangan (BPKAD) Pemda ini yang dapat mencatat pembayaran."))
    return actor


def parse_months(values: Iterable[date | str]) -> list[date]:
    """Months given as dates or "YYYY-MM" text, first of the month, sorted, once each."""
    months: set[date] = set()
    for value in values:
        if isinstance(value, date):
            months.add(month_of(value))
            continue
        try:
            year, month = (int(part) for part in value.strip().split("-"))
            months.add(date(year, month, 1))
        except ValueError as exc:
            raise ServiceError(
                _("Bulan %(value)s harus berformat TTTT-BB.") % {"value": value}
            ) from exc
    return sorted(months)


def _check(
    *,
    program: Program,
    funding_source: FundingSource,
    sp2d: str,
    paid_on: date,
    amount: int,
    months: Sequence[date],
    corrects: Payment | None,
) -> None:
    if funding_source.program_id != program.pk:
        raise ServiceError(_("Sumber dana ini bukan milik program ini."))
    if not sp2d:
        raise ServiceError(_("Nomor SP2D wajib diisi."))
    if len(sp2d) > Payment._meta.get_field("sp2d_number").max_length:  # type: ignore[operator]
        raise ServiceError(_("Nomor SP2D terlalu panjang."))
    if paid_on > timezone.localdate():
        raise ServiceError(_("Tanggal SP2D tidak boleh di masa depan."))
    first, last = program_months(program)
    if not months:
        raise ServiceError(_("Pilih paling sedikit satu bulan yang dibayar."))
    outside = [m for m in months if not first <= m <= last]
    if outside:
        raise ServiceError(
            _("Bulan %(months)s di luar bulan program (%(first)s–%(last)s).")
            % {
                "months": ", ".join(f"{m:%m-%Y}" for m in outside),
                "first": f"{first:%m-%Y}",
                "last": f"{last:%m-%Y}",
            }
        )
    if corrects is None and amount <= 0:
        raise ServiceError(_("Jumlah pembayaran harus lebih dari Rp 0."))
    if corrects is not None:
        if amount == 0:
            raise ServiceError(_("Jumlah koreksi tidak boleh Rp 0."))
        if corrects.program_id != program.pk or corrects.funding_source_id != funding_source.pk:
            raise ServiceError(
                _("Koreksi harus untuk pembayaran dari program dan sumber dana yang sama.")
            )


def _recorded(program: Program, sp2d: str) -> bool:
    """Whether the SP2D number is recorded in the program's Pemda: a friendly early answer;
    the unique constraint is what makes a race impossible."""
    return Payment.objects.filter(pemda_id=program.pemda_id, sp2d_number=sp2d).exists()


def _duplicate(sp2d: str) -> ServiceError:
    return ServiceError(
        _("Nomor SP2D %(number)s sudah pernah dicatat; pembayaran tidak dicatat dua kali.")
        % {"number": sp2d}
    )


def _keep_proof(proof: IO[bytes] | None) -> tuple[str, str, str]:
    """(original name, stored name, sha256) of the proof, kept under payments/."""
    if proof is None:
        return "", "", ""
    try:
        with document_received(proof) as received:
            stored = received.keep(folder="payments")
    except UploadRefused as exc:
        raise ServiceError(exc.message) from exc
    name = str(getattr(proof, "name", "") or f"bukti.{received.kind}")
    return name.rsplit("/", 1)[-1][:255], stored, received.sha256


def payment_record(
    *,
    actor: Actor,
    program: Program,
    funding_source: FundingSource,
    sp2d_number: str,
    paid_on: date,
    amount: int,
    months: Iterable[date | str],
    proof: IO[bytes] | None = None,
    note: str = "",
    corrects: Payment | None = None,
) -> Payment:
    """Record a payment (or, with `corrects`, a correction: a new entry, possibly negative)
    and one `PaymentMonth` per month it covers; audited `payment.recorded` or
    `payment.corrected`. Refused in Indonesian: not Keuangan, an SP2D number already recorded
    in this Pemda (also when two requests race), months outside the program, amount ≤ 0."""
    user = _user(actor, program)
    sp2d = normalise_sp2d(sp2d_number)
    covered = parse_months(months)
    _check(program=program, funding_source=funding_source, sp2d=sp2d, paid_on=paid_on,
           amount=amount, months=covered, corrects=corrects)  # fmt: skip
    if _recorded(program, sp2d):
        raise _duplicate(sp2d)
    proof_name, proof_stored, proof_sha256 = _keep_proof(proof)
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                pemda_id=program.pemda_id,
                program=program,
                funding_source=funding_source,
                sp2d_number=sp2d,
                paid_on=paid_on,
                amount=amount,
                months=[f"{m:%Y-%m}" for m in covered],
                proof_name=proof_name,
                proof_stored=proof_stored,
                proof_sha256=proof_sha256,
                corrects=corrects,
                note=note.strip(),
                recorded_by=user,
            )
            PaymentMonth.objects.bulk_create(
                PaymentMonth(payment=payment, pemda_id=program.pemda_id,
                             funding_source=funding_source, month=m)
                for m in covered
            )  # fmt: skip
            audit_record(
                actor=user,
                action="payment.corrected" if corrects else "payment.recorded",
                obj=payment,
                pemda=program.pemda,
                changes={
                    "sp2d_number": sp2d,
                    "funding_source": source_code(funding_source),
                    "paid_on": paid_on.isoformat(),
                    "amount": amount,
                    "months": payment.months,
                    **({"corrects": corrects.sp2d_number} if corrects else {}),
                },
            )
    except IntegrityError:
        if proof_stored:
            upload_path(proof_stored).unlink(missing_ok=True)
        if _recorded(program, sp2d):
            raise _duplicate(sp2d) from None
        raise
    return payment
