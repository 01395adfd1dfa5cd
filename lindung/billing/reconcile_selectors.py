"""Reads of the reconciliation with BPJS's bill (selectors), scoped to the user's Pemda."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from lindung.accounts.access import get_scoped_or_404, scope_to_pemda
from lindung.accounts.models import User
from lindung.billing.models import Bill, BpjsBill, BpjsBillLine, ReconcileOutcome
from lindung.programs.models import Program


def bpjs_bill_list(*, user: User, program: Program) -> QuerySet[BpjsBill]:
    """The program's reconciled months, the newest month (and within it the newest
    comparison) first."""
    return (
        scope_to_pemda(BpjsBill.objects.all(), user)
        .filter(program=program)
        .select_related("created_by")
        .order_by("-month", "-pk")
    )


def bpjs_bill_get(*, user: User, pk: int) -> BpjsBill:
    return get_scoped_or_404(
        scope_to_pemda(BpjsBill.objects.select_related("program", "created_by"), user), pk=pk
    )


def bpjs_bill_superseded(*, bill: BpjsBill) -> bool:
    """A newer comparison of the same month exists (this one was kept for its resolutions)."""
    return BpjsBill.objects.filter(
        program_id=bill.program_id, month=bill.month, pk__gt=bill.pk
    ).exists()


def bpjs_bill_lines(*, bill: BpjsBill, outcome: str) -> QuerySet[BpjsBillLine]:
    """One outcome's lines: theirs in file order, then ours they lack (by name)."""
    if outcome not in ReconcileOutcome.values:
        outcome = ReconcileOutcome.MATCHED
    return (
        BpjsBillLine.objects.filter(bpjs_bill=bill, outcome=outcome)
        .select_related("resolved_by")
        .order_by("row_number", "name", "pk")
    )


def bpjs_bill_line_get(*, user: User, pk: int) -> BpjsBillLine:
    return get_scoped_or_404(
        scope_to_pemda(BpjsBillLine.objects.select_related("bpjs_bill"), user), pk=pk
    )


def bill_latest_month(*, program: Program) -> date | None:
    """The newest month we billed the program for (the upload form's default month)."""
    return (
        Bill.objects.filter(program=program)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
