"""Budget realisation per funding source (amount after revisions, committed, billed, paid,
remaining), the month-by-month burn-down with the month the money runs out, how many more
participants the money left funds until the program's end, and budget revisions
(APBD-Perubahan: a new amount from a date, the old one kept).

Burn-down: each program month costs its bill total where a bill was made, else the current
participants billed in that month × that month's contribution; the money left at the end of
a month is the amount less every month's cost up to it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from lindung.accounts.access import scope_to_pemda
from lindung.accounts.models import Actor, Role, User
from lindung.audit.services import audit_record
from lindung.billing.models import Bill, BudgetRevision, Payment
from lindung.billing.paidup import billed_window, source_label, window_months
from lindung.common.errors_domain import ServiceError
from lindung.domain.allocation import add_months, months_between
from lindung.domain.billing import apportion_payments
from lindung.domain.budget import ParticipantsFit, participants_fundable
from lindung.enrollment.capacity import (
    SourceCapacity,
    SpanRow,
    capacity_of,
    program_months,
    span_rows,
)
from lindung.programs.models import FundingSource, Program

BUDGET_READERS = (Role.FINANCE, Role.ADMIN, Role.LEADER, Role.APPROVER)
BUDGET_REVISERS = (Role.FINANCE, Role.ADMIN)


@dataclass(frozen=True)
class BurnMonth:
    month: dt.date
    participants: int
    cost: int  # the bill's total where billed, else the projection
    billed: int | None
    paid: int | None
    left: int  # money left at the end of the month (negative: short)

    @property
    def projected(self) -> bool:
        return self.billed is None


def burn_down(amount: int, costs: list[int]) -> tuple[list[int], int | None]:
    """Money left at the end of each month and the index of the month the money runs out
    in (None when it lasts to the end)."""
    lefts: list[int] = []
    runs_out = None
    left = amount
    for i, cost in enumerate(costs):
        left -= cost
        lefts.append(left)
        if left < 0 and runs_out is None:
            runs_out = i
    return lefts, runs_out


@dataclass(frozen=True)
class SourceBudget:
    source: FundingSource
    committed: int
    billed: int
    paid: int
    months: list[BurnMonth]
    runs_out: dt.date | None
    months_left: int  # months a participant added now would be paid for
    fundable: ParticipantsFit | None

    @property
    def code(self) -> str:
        return source_label(self.source)

    @property
    def amount(self) -> int:
        return self.source.amount

    @property
    def remaining(self) -> int:
        """The amount less what has been paid."""
        return self.amount - self.paid

    @property
    def uncommitted(self) -> int:
        return self.amount - self.committed


@dataclass(frozen=True)
class Budget:
    program: Program
    as_of: dt.date
    sources: list[SourceBudget]
    months: list[BurnMonth]  # all sources together
    runs_out: dt.date | None

    def total(self, name: str) -> int:
        return sum(int(getattr(s, name)) for s in self.sources)

    @property
    def totals(self) -> dict[str, int]:
        names = ("amount", "committed", "billed", "paid", "remaining", "uncommitted")
        return {name: self.total(name) for name in names}

    @property
    def fundable(self) -> int:
        return sum(s.fundable.participants for s in self.sources if s.fundable)

    @property
    def last_month(self) -> dt.date | None:
        return self.months[-1].month if self.months else None


def _participants(
    rows: Iterable[SpanRow], first: dt.date, last: dt.date
) -> dict[int, Counter[dt.date]]:
    """Per funding source: current participants per program month (holders of a slot and
    those who ended, from their effective month, else their first paid month), from the
    enrolments grouped on their dates (`capacity.span_rows`)."""
    windows: Counter[tuple[int, dt.date | None, dt.date | None]] = Counter()
    for source_id, start_month, started_on, ended_on, n in rows:
        start = started_on or start_month
        windows[
            (
                source_id,
                start.replace(day=1) if start else None,
                ended_on.replace(day=1) if ended_on else None,
            )
        ] += n
    out: dict[int, Counter[dt.date]] = defaultdict(Counter)
    for (source_id, start, end), n in windows.items():
        window = billed_window(start or first, end, first, last)
        if window is not None:
            out[source_id].update(dict.fromkeys(window_months(window), n))
    return out


def _paid_per_month(
    program: Program, bills: dict[int, dict[dt.date, int]]
) -> dict[int, Counter[dt.date]]:
    """What each month of each source has received: payments in date order fill the months
    they cover up to what was billed (`domain.billing.apportion_payments`, the rule of the
    payments page)."""
    payments: dict[int, list[tuple[int, list[dt.date]]]] = defaultdict(list)
    for payment in (
        Payment.objects.filter(program=program)
        .only("funding_source_id", "amount", "months")
        .order_by("paid_on", "pk")
    ):
        months = [dt.date.fromisoformat(f"{m}-01") for m in payment.months or []]
        if months:
            payments[payment.funding_source_id].append((payment.amount, months))
    return {
        source_id: Counter(apportion_payments(bills.get(source_id, {}), paid))
        for source_id, paid in payments.items()
    }


def _fundable(
    left: int, premiums: tuple[int, ...], first: dt.date, last: dt.date, as_of: dt.date
) -> tuple[int, ParticipantsFit | None]:
    """A participant added now is paid for from next month to the program's last; priced at
    the highest contribution of those months."""
    start = max(first, add_months(as_of.replace(day=1), 1))
    months = months_between(start, last)
    if months == 0 or left <= 0:
        return months, None
    offset = months_between(first, start) - 1
    premium = max(premiums[offset : offset + months])
    return months, participants_fundable(budget=left, months=months, monthly_premium=premium)


def _source_budget(
    cap_source: SourceCapacity,
    first: dt.date,
    last: dt.date,
    as_of: dt.date,
    people: Counter[dt.date],
    bills: dict[dt.date, int],
    paid: Counter[dt.date],
) -> SourceBudget:
    source, premiums, committed = cap_source.source, cap_source.premiums, cap_source.committed
    months = [add_months(first, i) for i in range(len(premiums))]
    costs = [bills.get(m, people.get(m, 0) * premiums[i]) for i, m in enumerate(months)]
    lefts, runs_out = burn_down(source.amount, costs)
    months_left, fit = _fundable(source.amount - committed, premiums, first, last, as_of)
    return SourceBudget(
        source=source,
        committed=committed,
        billed=sum(bills.values()),
        paid=sum(paid.values()),
        months=[
            BurnMonth(
                month=m,
                participants=people.get(m, 0),
                cost=costs[i],
                billed=bills.get(m),
                paid=paid.get(m),
                left=lefts[i],
            )
            for i, m in enumerate(months)
        ],
        runs_out=months[runs_out] if runs_out is not None else None,
        months_left=months_left,
        fundable=fit,
    )


def _together(sources: list[SourceBudget]) -> list[BurnMonth]:
    months: list[BurnMonth] = []
    for i, month in enumerate(m.month for m in (sources[0].months if sources else [])):
        rows = [s.months[i] for s in sources]
        billed = [r.billed for r in rows if r.billed is not None]
        paid = [r.paid for r in rows if r.paid is not None]
        months.append(
            BurnMonth(
                month=month,
                participants=sum(r.participants for r in rows),
                cost=sum(r.cost for r in rows),
                billed=sum(billed) if billed else None,
                paid=sum(paid) if paid else None,
                left=sum(r.left for r in rows),
            )
        )
    return months


def budget_of(
    program: Program,
    as_of: dt.date,
    *,
    rows: Sequence[SpanRow] | None = None,
    holders: int | None = None,
) -> Budget:
    """The program's budget per funding source and in total on `as_of`. `rows`:
    `span_rows(program)` and `holders`: `capacity.holders_of(program)` when the caller keeps
    them (the monitoring dashboard does)."""
    if rows is None:
        rows = span_rows(program)  # one grouped read for the commitments and the burn-down
    capacity = capacity_of(program, rows=rows, holders=holders)
    first, last = capacity.first_month, capacity.last_month
    people = _participants(rows, first, last)
    bills: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for source_id, month, total in Bill.objects.filter(program=program).values_list(
        "funding_source_id", "month", "total"
    ):
        bills[source_id][month.replace(day=1)] = total
    paid = _paid_per_month(program, bills)
    sources = [
        _source_budget(
            c,
            first,
            last,
            as_of,
            people.get(c.source.pk, Counter()),
            bills.get(c.source.pk, {}),
            paid.get(c.source.pk, Counter()),
        )
        for c in capacity.sources
    ]
    months = _together(sources)
    short = next((m.month for m in months if m.left < 0), None)
    return Budget(program=program, as_of=as_of, sources=sources, months=months, runs_out=short)


def budget_chart(budget: Budget) -> dict[str, object]:
    """The burn-down chart's data (for `json_script`): money left per source and in total
    at the end of each month, and each month's cost."""
    return {
        "labels": [f"{m.month:%m-%Y}" for m in budget.months],
        "cost": [m.cost for m in budget.months],
        "left": [m.left for m in budget.months],
        "sources": [{"label": s.code, "left": [m.left for m in s.months]} for s in budget.sources],
    }


def budget_revisions(*, user: User, program: Program) -> QuerySet[BudgetRevision]:
    """The program's budget revisions, newest first."""
    return (
        scope_to_pemda(BudgetRevision.objects.all(), user)
        .filter(funding_source__program=program)
        .select_related("funding_source", "created_by")
        .order_by("-effective_on", "-pk")
    )


def budget_revise(
    *,
    actor: Actor,
    funding_source: FundingSource,
    amount: int,
    effective_on: dt.date,
    note: str,
) -> BudgetRevision:
    """Set a funding source's amount from `effective_on` (APBD-Perubahan), keeping the old
    amount in a `BudgetRevision`. Finance or an admin of the source's Pemda only; never
    below what has already been paid from it."""
    if (
        not isinstance(actor, User)
        or actor.pemda_id != funding_source.pemda_id
        or not actor.has_role(*BUDGET_REVISERS)
    ):
        raise ServiceError(_("Hanya Keuangan atau admin yang dapat mengubah pagu."))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ServiceError(_("Pagu baru harus bilangan bulat rupiah, tidak negatif."))
    first, last = program_months(funding_source.program)
    if not first <= effective_on < add_months(last, 1):
        raise ServiceError(
            _("Tanggal berlaku harus di dalam masa program (%(first)s s.d. %(last)s).")
            % {"first": f"{first:%m-%Y}", "last": f"{last:%m-%Y}"}
        )
    with transaction.atomic():
        source = FundingSource.objects.select_for_update().get(pk=funding_source.pk)
        if amount == source.amount:
            raise ServiceError(_("Pagu baru sama dengan pagu sekarang."))
        paid = Payment.objects.filter(funding_source=source).aggregate(s=Sum("amount"))["s"] or 0
        if amount < paid:
            raise ServiceError(
                _("Pagu baru tidak boleh kurang dari yang sudah dibayar (Rp %(paid)s).")
                % {"paid": f"{paid:,}".replace(",", ".")}
            )
        revision = BudgetRevision.objects.create(
            pemda_id=source.pemda_id,
            funding_source=source,
            previous_amount=source.amount,
            amount=amount,
            effective_on=effective_on,
            note=note.strip(),
            created_by=actor,
        )
        FundingSource.objects.filter(pk=source.pk).update(amount=amount)
        audit_record(
            actor=actor,
            action="budget.revised",
            obj=revision,
            changes={
                "funding_source": source_label(source),
                "amount": [source.amount, amount],
                "effective_on": effective_on,
                "note": revision.note,
            },
        )
    funding_source.amount = amount
    return revision
