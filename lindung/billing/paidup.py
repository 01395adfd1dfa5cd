"""Paid-through months and arrears of a program, in bulk.

Everybody a funding source pays for shares its payments, so the months are worked out per
source × month, and participants are counted by the window of months they are billed for
(effective month → end month, clipped to the program's months): one `paid_status` per
(source, first month, last month) group, never one per person.

A month counts as paid for a source once a payment of that source covering it is recorded
with an SP2D date on or before `as_of` (a correction with a negative amount pays nothing).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from lindung.billing.models import PaymentMonth
from lindung.domain.allocation import add_months, months_between
from lindung.domain.arrears import (
    RED_UNPAID,
    MonthState,
    PaidState,
    PaidStatus,
    due_date,
    month_state,
    paid_status,
)
from lindung.enrollment.capacity import program_months, source_premiums
from lindung.programs.models import FundingSource, Program
from lindung.rules.selectors import rulebook_for
from lindung.workers.models import Enrolment, EnrolmentStatus

# Enrolments BPJS has (or had) on its books: billed from their effective date (TMT).
BILLED_STATUSES = (EnrolmentStatus.SENT, EnrolmentStatus.ACTIVE, EnrolmentStatus.ENDED)

Window = tuple[dt.date, dt.date]  # first and last month billed

PAID_STATE_LABELS = {
    PaidState.PAID_UP: _("Lunas"),
    PaidState.DUE_SOON: _("Segera jatuh tempo"),
    PaidState.IN_ARREARS: _("Menunggak 1 bulan"),
    PaidState.RED: _("Menunggak 2 bulan atau lebih"),
    PaidState.LAPSED: _("Hak JKK/JKM berakhir (lebih dari 3 bulan)"),
}
MONTH_STATE_LABELS = {
    MonthState.PAID: _("Dibayar"),
    MonthState.NOT_DUE: _("Belum jatuh tempo"),
    MonthState.DUE_SOON: _("Segera jatuh tempo"),
    MonthState.OVERDUE: _("Lewat jatuh tempo"),
}


def billed_window(
    started_on: dt.date | None, ended_on: dt.date | None, first: dt.date, last: dt.date
) -> Window | None:
    """The months a participant is billed for: from the month of their effective date
    through the month their enrolment ends, within the program's months (None: none).
    A private stand-in for the bills engineer's rule in `lindung.domain.billing`."""
    if started_on is None:
        return None
    begin = max(started_on.replace(day=1), first)
    end = min(ended_on.replace(day=1), last) if ended_on else last
    return (begin, end) if begin <= end else None


def window_months(window: Window) -> list[dt.date]:
    begin, end = window
    return [add_months(begin, i) for i in range(months_between(begin, end))]


def source_label(source: FundingSource) -> str:
    """The short code shown on screens and files (the pk in old data without one)."""
    return source.code or str(source.pk)


@dataclass(frozen=True)
class SourceMonth:
    month: dt.date
    participants: int
    amount: int  # participants × that month's contribution
    state: MonthState

    @property
    def due(self) -> dt.date:
        return due_date(self.month)

    @property
    def state_label(self) -> str:
        return str(MONTH_STATE_LABELS[self.state])


@dataclass(frozen=True)
class SourceArrears:
    source: FundingSource
    status: PaidStatus  # of the source as a whole
    by_state: dict[str, int]  # participants per PaidState
    months: list[SourceMonth]
    windows: dict[Window, PaidStatus] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return source_label(self.source)

    @property
    def state_label(self) -> str:
        return str(PAID_STATE_LABELS[self.status.state])

    @property
    def unpaid(self) -> list[SourceMonth]:
        """Months unpaid and due within 5 days or past due, oldest first."""
        return [
            m
            for m in self.months
            if m.state in (MonthState.OVERDUE, MonthState.DUE_SOON) and m.participants
        ]

    @property
    def overdue(self) -> list[SourceMonth]:
        return [m for m in self.months if m.state == MonthState.OVERDUE and m.participants]

    @property
    def red(self) -> bool:
        return len(self.overdue) >= RED_UNPAID


@dataclass(frozen=True)
class Alert:
    """One line on a home page per funding source with unpaid months: the oldest of them
    (its due date), how many there are and the participants not paid up."""

    source: SourceArrears
    months: list[SourceMonth]  # unpaid, oldest first
    red: bool  # 2 or more months past due: entitlement ends after 3

    @property
    def month(self) -> SourceMonth:
        return self.months[0]

    @property
    def participants(self) -> int:
        return sum(n for state, n in self.source.by_state.items() if state != PaidState.PAID_UP)


@dataclass(frozen=True)
class Arrears:
    program: Program
    as_of: dt.date
    sources: list[SourceArrears]

    @property
    def alerts(self) -> list[Alert]:
        """Per funding source, its months unpaid near or past their due date; red when
        2 or more are past due."""
        return [Alert(source=s, months=s.unpaid, red=s.red) for s in self.sources if s.unpaid]

    @property
    def by_state(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for s in self.sources:
            total.update(s.by_state)
        return {str(state): total.get(str(state), 0) for state in PaidState}

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(state, label, participants) in the order of the states."""
        return [(k, str(PAID_STATE_LABELS[PaidState(k)]), n) for k, n in self.by_state.items()]


def _groups(program: Program) -> dict[int, Counter[Window]]:
    """Per funding source: the number of participants billed for each window of months."""
    first, last = program_months(program)
    rows = (
        Enrolment.objects.filter(
            program=program,
            funding_source__isnull=False,
            status__in=BILLED_STATUSES,
            started_on__isnull=False,
        )
        .annotate(s=TruncMonth("started_on"), e=TruncMonth("ended_on"))
        .values("funding_source_id", "s", "e")
        .annotate(n=Count("id"))
        .order_by()
    )
    groups: dict[int, Counter[Window]] = defaultdict(Counter)
    for row in rows:
        window = billed_window(_as_date(row["s"]), _as_date(row["e"]), first, last)
        if window is not None:
            groups[row["funding_source_id"]][window] += row["n"]
    return groups


def _as_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def paid_months(program: Program, as_of: dt.date) -> dict[int, set[dt.date]]:
    """Per funding source of the program: the months paid by an SP2D dated on or before
    `as_of`."""
    rows = (
        PaymentMonth.objects.filter(
            funding_source__program=program,
            payment__paid_on__lte=as_of,
            payment__amount__gt=0,
        )
        .values_list("funding_source_id", "month")
        .distinct()
    )
    paid: dict[int, set[dt.date]] = defaultdict(set)
    for source_id, month in rows:
        paid[source_id].add(month.replace(day=1))
    return paid


def _source_arrears(
    source: FundingSource,
    windows: Counter[Window],
    paid: set[dt.date],
    premiums: tuple[int, ...],
    first: dt.date,
    as_of: dt.date,
) -> SourceArrears:
    per_month: Counter[dt.date] = Counter()
    statuses: dict[Window, PaidStatus] = {}
    by_state: Counter[str] = Counter()
    for window, n in windows.items():
        billed_months = window_months(window)
        per_month.update(dict.fromkeys(billed_months, n))
        statuses[window] = paid_status(billed=billed_months, paid=paid, as_of=as_of)
        by_state[str(statuses[window].state)] += n
    months = [
        SourceMonth(
            month=month,
            participants=per_month.get(month, 0),
            amount=per_month.get(month, 0) * premiums[i],
            state=month_state(month, paid=month in paid, as_of=as_of),
        )
        for i, month in enumerate(add_months(first, i) for i in range(len(premiums)))
    ]
    billed = [m.month for m in months if m.participants]
    return SourceArrears(
        source=source,
        status=paid_status(billed=billed, paid=paid, as_of=as_of),
        by_state={str(s): by_state.get(str(s), 0) for s in PaidState},
        months=months,
        windows=statuses,
    )


def arrears_of(program: Program, as_of: dt.date, *, priced: bool = True) -> Arrears:
    """Where each funding source of the program stands on `as_of`: per month its
    participants, amount (0 unless `priced`) and state; the source's paid-through month, run
    and state; and its participants counted by state. A few queries whatever the number of
    participants, one when nobody is billed yet."""
    first, _last = program_months(program)
    groups = _groups(program)
    if not groups:
        return Arrears(program=program, as_of=as_of, sources=[])
    rulebook = rulebook_for(pemda_id=program.pemda_id) if priced else None
    paid = paid_months(program, as_of)
    sources = []
    for source in FundingSource.objects.filter(program=program).order_by("pk"):
        premiums = (
            source_premiums(
                program=program, source=source, benefits=list(program.benefits), rulebook=rulebook
            )
            if rulebook is not None
            else (0,) * program.coverage_months
        )
        sources.append(
            _source_arrears(
                source,
                groups.get(source.pk, Counter()),
                paid.get(source.pk, set()),
                premiums,
                first,
                as_of,
            )
        )
    return Arrears(program=program, as_of=as_of, sources=sources)


@dataclass(frozen=True)
class ParticipantArrears:
    enrolment: Enrolment
    source: SourceArrears
    status: PaidStatus


def arrears_participants(arrears: Arrears) -> Iterator[ParticipantArrears]:
    """Every billed participant not paid up on the arrears' date (due soon included), by
    source then name, read in chunks."""
    first, last = program_months(arrears.program)
    by_pk = {s.source.pk: s for s in arrears.sources}
    rows = (
        Enrolment.objects.filter(
            program=arrears.program,
            funding_source__isnull=False,
            status__in=BILLED_STATUSES,
            started_on__isnull=False,
        )
        .select_related("worker", "agency")
        .order_by("funding_source_id", "worker__name", "pk")
    )
    for enrolment in rows.iterator(chunk_size=2000):
        source = by_pk.get(enrolment.funding_source_id or 0)
        window = billed_window(enrolment.started_on, enrolment.ended_on, first, last)
        if source is None or window is None:
            continue
        status = source.windows.get(window)
        if status is None or status.state == PaidState.PAID_UP:
            continue
        yield ParticipantArrears(enrolment=enrolment, source=source, status=status)


def arrears_alerts(*, program: Program, as_of: dt.date) -> list[Alert]:
    """The home pages' alerts: unpaid months near or past their due date (none when the
    program's rates cannot be priced: the budget page says why)."""
    from lindung.common.errors_domain import ServiceError

    try:
        return arrears_of(program, as_of, priced=False).alerts
    except ServiceError:
        return []
