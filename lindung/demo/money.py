"""The demo year's money, through the billing services as Keuangan uses them: a bill for every
program month from January through the month before the demo's day, an SP2D payment for each
billed month and source on the 10th of that month (one month paid late, on the 20th), the
month before the demo's day still unpaid (the amber alert on the Keuangan home page), and
BPJS's bill for that month reconciled with three planted differences, one disputed.

The demo builds its year in one run, so each payment is dated as entered on its SP2D day
(`recorded_at`): cover on an earlier incident day (claims) counts it as it would have.

Two steps, because a death reported between them ends an enrolment: `demo_money_paid` (the
months before the death month's next one) and `demo_money_due` (the month before the demo's
day, its BPJS bill and the reconciliation)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from lindung.accounts.models import User
from lindung.billing.models import (
    Bill,
    BillLine,
    BpjsBill,
    BpjsBillLine,
    Payment,
    ReconcileOutcome,
    Resolution,
)
from lindung.billing.reconciliation import bpjs_bill_reconcile, reconcile_line_resolve
from lindung.billing.services.bills import bill_generate
from lindung.billing.services.payments import payment_record
from lindung.domain.allocation import add_months
from lindung.programs.models import Program
from lindung.workers.models import Enrolment

PAID_ON_DAY = 10  # the treasury pays each month on the 10th, before its due date (the 15th)
LATE_DAY = 20  # the month paid late: after its 15th
MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
               "September", "Oktober", "November", "Desember")  # fmt: skip
DISPUTE_NOTE = (
    "Peserta meninggal dunia; kepesertaan berakhir. Disanggah ke BPJS Cabang Tulungagung "
    "dengan surat keterangan kematian."
)


def billed_months(program: Program, as_of: dt.date) -> list[dt.date]:
    """The program's months from its first through the month before `as_of`."""
    first = program.start_month.replace(day=1)
    last = add_months(as_of.replace(day=1), -1)
    months: list[dt.date] = []
    month = first
    while month <= last and len(months) < program.coverage_months:
        months.append(month)
        month = add_months(month, 1)
    return months


def late_month(program: Program, as_of: dt.date) -> dt.date | None:
    """The one month paid after its due date: three months before `as_of`'s, if billed."""
    month = add_months(as_of.replace(day=1), -3)
    return month if month in billed_months(program, as_of) else None


def sp2d_number(program: Program, sequence: int) -> str:
    return f"SP2D-{sequence:04d}/BPKAD/{program.year}"


def demo_money_paid(
    *, program: Program, users: dict[str, User], as_of: dt.date, through: dt.date
) -> None:
    """Bills of the months not yet billed up to `through` (never past the month before
    `as_of`'s) and a payment for each, except the month before `as_of`'s: it stays unpaid."""
    billed = set(Bill.objects.filter(program=program).values_list("month", flat=True))
    months = [m for m in billed_months(program, as_of) if m <= through and m not in billed]
    unpaid = add_months(as_of.replace(day=1), -1)
    late = late_month(program, as_of)
    sequence = Payment.objects.filter(program=program).count()
    for month in months:
        bill_generate(actor=users["keuangan"], program=program, month=month)
        if month == unpaid:
            continue
        for bill in Bill.objects.filter(program=program, month=month, total__gt=0).order_by(
            "funding_source_id"
        ):
            sequence += 1
            day = LATE_DAY if month == late else PAID_ON_DAY
            payment = payment_record(
                actor=users["keuangan"],
                program=program,
                funding_source=bill.funding_source,
                sp2d_number=sp2d_number(program, sequence),
                paid_on=min(month.replace(day=day), as_of),
                amount=bill.total,
                months=[month],
                note="Dibayar terlambat (lewat tanggal 15)." if month == late else "",
            )
            _entered_on_its_day(program, payment)


def _entered_on_its_day(program: Program, payment: Payment) -> None:
    """Date the payment as entered on its SP2D day (the demo's history is built today)."""
    entered = dt.datetime.combine(
        payment.paid_on, dt.time(10), tzinfo=ZoneInfo(program.pemda.timezone)
    )
    Payment.objects.filter(pk=payment.pk).update(recorded_at=entered)
    payment.covered.update(recorded_at=entered)


def demo_money_due(*, program: Program, users: dict[str, User], as_of: dt.date) -> None:
    """The month before `as_of`: billed, not yet paid, and BPJS's bill for it reconciled."""
    months = billed_months(program, as_of)
    if not months:
        return
    month = months[-1]
    if not Bill.objects.filter(program=program, month=month).exists():
        bill_generate(actor=users["keuangan"], program=program, month=month)
    with tempfile.TemporaryDirectory(prefix="lindung-demo-") as folder:
        path = bpjs_bill_file(program, month, Path(folder) / f"tagihan-bpjs-{month:%Y-%m}.xlsx")
        reconciled = bpjs_bill_reconcile(
            actor=users["keuangan"], program=program, month=month, filename=path.name, path=path
        )
    _dispute_the_deceased(reconciled, users["keuangan"])


def _deceased_before(program: Program, month: dt.date) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(program=program, ended_on__lt=month)
        .select_related("worker")
        .order_by("pk")
    )


def bpjs_bill_file(program: Program, month: dt.date, path: Path) -> Path:
    """BPJS's bill for `month` as the branch sends it: a title row, then No. KTP / No. KPJ /
    Nama TK / Periode / Iuran JKK / Iuran JKM / Total Iuran. Planted: the first of our lines
    is missing, the second has PP 50/2025 relief applied to APBD money (half), and everyone
    whose enrolment ended before the month (the deceased) is still billed."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tagihan")
    period = f"{MONTH_NAMES[month.month - 1]} {month.year}"
    sheet.append([f"TAGIHAN IURAN PESERTA BPU - {program.bpjs_branch.upper()} - {period.upper()}"])
    sheet.append(["No", "No. KTP", "No. KPJ", "Nama TK", "Periode", "Iuran JKK", "Iuran JKM",
                  "Total Iuran"])  # fmt: skip
    lines = BillLine.objects.filter(bill__program=program, bill__month=month).order_by(
        "enrolment_id"
    )
    rows = lines.values_list("nik", "kpj", "name", "jkk", "jkm", "amount")
    number = 0
    for index, (nik, kpj, name, jkk, jkm, amount) in enumerate(rows.iterator(chunk_size=5000)):
        if index == 0:
            continue  # BPJS misses our first participant
        if index == 1:
            jkk, jkm, amount = jkk // 2, jkm // 2, amount // 2  # relief applied to APBD money
        number += 1
        sheet.append([number, nik, kpj, name.upper(), period, jkk, jkm, amount])
    jkk, jkm, amount = lines.values_list("jkk", "jkm", "amount").first() or (0, 0, 0)
    for ended in _deceased_before(program, month):
        number += 1
        sheet.append([number, ended.worker.nik, ended.kpj, ended.worker.name.upper(), period,
                      jkk, jkm, amount])  # fmt: skip
    book.save(path)
    return path


def _dispute_the_deceased(reconciled: BpjsBill, user: User) -> None:
    """Keuangan disputes the deceased participant still billed; the rest await a decision."""
    line = (
        BpjsBillLine.objects.filter(
            bpjs_bill=reconciled, outcome=ReconcileOutcome.ENDED_STILL_BILLED
        )
        .order_by("pk")
        .first()
    )
    if line is not None:
        reconcile_line_resolve(
            actor=user, line=line, resolution=Resolution.DISPUTED, note=DISPUTE_NOTE
        )
