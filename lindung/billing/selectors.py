"""Billing reads, scoped to the user: the program's months with their bills, a bill with its
lines and per-agency subtotals, payments, and billed against paid per source and month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet, Sum

from lindung.accounts.access import get_scoped_or_404, scope_to_pemda
from lindung.accounts.models import Role, User
from lindung.billing.models import Bill, BillLine, Payment
from lindung.domain.billing import apportion_payments, program_month_list
from lindung.programs.models import FundingSource, Program

# Who sees the money pages; only Keuangan and admin generate, only Keuangan pays.
BILL_READERS = (Role.FINANCE, Role.ADMIN, Role.LEADER, Role.VERIFIER)
PAYMENT_READERS = (Role.FINANCE, Role.ADMIN, Role.LEADER)


def source_code(source: FundingSource) -> str:
    """The short code shown on screens, files and the CLI (the pk as text for old data)."""
    return source.code or str(source.pk)


@dataclass
class MonthBills:
    month: date
    bills: list[Bill] = field(default_factory=list)

    @property
    def participants(self) -> int:
        return sum(b.participants for b in self.bills)

    @property
    def total(self) -> int:
        return sum(b.total for b in self.bills)


def program_sources(*, program: Program) -> list[FundingSource]:
    return list(FundingSource.objects.filter(program=program).order_by("pk"))


def bill_months(*, user: User, program: Program) -> list[MonthBills]:
    """Every month of the program with its bills (none yet for a month not generated)."""
    months = {
        m: MonthBills(month=m)
        for m in program_month_list(program.start_month, program.coverage_months)
    }
    bills = scope_to_pemda(Bill.objects.filter(program=program), user).select_related(
        "funding_source", "generated_by"
    )
    for bill in bills.order_by("month", "funding_source_id"):
        if bill.month in months:
            months[bill.month].bills.append(bill)
    return list(months.values())


def bill_get(*, user: User, pk: int) -> Bill:
    return get_scoped_or_404(
        scope_to_pemda(Bill.objects.select_related("program", "funding_source"), user), pk=pk
    )


def bill_lines(*, bill: Bill) -> QuerySet[BillLine]:
    """A bill's lines (the bill is already scoped), by agency then name."""
    return (
        BillLine.objects.filter(bill=bill)
        .select_related("agency")
        .order_by("agency__name", "name", "pk")
    )


def bill_agency_subtotals(*, bill: Bill) -> list[dict[str, Any]]:
    """Participants and amount per proposing agency of a bill."""
    rows = (
        BillLine.objects.filter(bill=bill)
        .values("agency__name")
        .annotate(participants=Count("id"), total=Sum("amount"))
        .order_by("agency__name")
    )
    return [
        {
            "agency": r["agency__name"] or "—",
            "participants": r["participants"],
            "total": r["total"] or 0,
        }
        for r in rows
    ]


def payment_list(*, user: User, program: Program) -> QuerySet[Payment]:
    return scope_to_pemda(Payment.objects.filter(program=program), user).select_related(
        "funding_source", "recorded_by", "corrects"
    )


def payment_get(*, user: User, pk: int) -> Payment:
    return get_scoped_or_404(scope_to_pemda(Payment.objects.all(), user), pk=pk)


@dataclass(frozen=True)
class SourceMonth:
    """Billed against paid for one funding source and month."""

    code: str
    source: str
    month: date
    billed: int
    paid: int
    sp2d: tuple[str, ...]

    @property
    def outstanding(self) -> int:
        return self.billed - self.paid

    @property
    def covered(self) -> bool:
        return bool(self.sp2d)


def billed_vs_paid(*, user: User, program: Program) -> list[SourceMonth]:
    """Per funding source and program month: the month's bill, what payments covering it
    have paid (`domain.billing.apportion_payments`) and their SP2D numbers; months neither
    billed nor paid are left out."""
    months = program_month_list(program.start_month, program.coverage_months)
    billed: dict[tuple[int, date], int] = {
        (b.funding_source_id, b.month): b.total
        for b in scope_to_pemda(Bill.objects.filter(program=program), user)
    }
    payments = payment_list(user=user, program=program).order_by("paid_on", "pk")
    out: list[SourceMonth] = []
    for source in program_sources(program=program):
        own = [p for p in payments if p.funding_source_id == source.pk]
        covered = [(p.amount, [date.fromisoformat(f"{m}-01") for m in p.months]) for p in own]
        source_billed = {m: billed.get((source.pk, m), 0) for m in months}
        paid = apportion_payments(source_billed, covered)
        for month in months:
            numbers = tuple(p.sp2d_number for p in own if f"{month:%Y-%m}" in p.months)
            if not source_billed[month] and not numbers:
                continue
            out.append(
                SourceMonth(
                    code=source_code(source),
                    source=source.name,
                    month=month,
                    billed=source_billed[month],
                    paid=paid.get(month, 0),
                    sp2d=numbers,
                )
            )
    return out
