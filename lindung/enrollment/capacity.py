"""What a program can still take: free quota (program, per agency, per region) and the money
each funding source has not yet committed. Allocation reads it before ranking; approval
reads the same numbers before it turns a proposal into enrolments.

Committed money (DESIGN §3 step 4): for every enrolment of a source that holds a slot
(approved, sent, active) or has ended, its monthly contribution for each month from its
first paid month (`Enrolment.start_month`, else the program's first) to its end month
(billed through the month of the end) or the program's last month.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from lindung.common.errors_domain import ServiceError
from lindung.domain.allocation import add_months, months_between
from lindung.domain.contributions import monthly_premium
from lindung.domain.rulebook import RuleBook, RuleError, Sector
from lindung.programs.models import FundingKind, FundingSource, Program, Quota
from lindung.programs.selectors import PAYER_BY_FUNDING_KIND
from lindung.rules.selectors import rulebook_for
from lindung.workers.models import HOLDS_SLOT, Enrolment, EnrolmentStatus


@dataclass(frozen=True)
class SourceCapacity:
    source: FundingSource
    committed: int
    premiums: tuple[int, ...]  # the monthly contribution of each program month

    @property
    def left(self) -> int:
        return max(self.source.amount - self.committed, 0)


@dataclass(frozen=True)
class QuotaCapacity:
    """A per-agency or per-region quota with the slots its holders take."""

    label: str
    quota: int
    used: int
    agency_id: int | None = None
    region_code: str | None = None

    @property
    def free(self) -> int:
        return max(self.quota - self.used, 0)


@dataclass(frozen=True)
class Capacity:
    program: Program
    first_month: date
    last_month: date
    holders: int
    sources: list[SourceCapacity]
    quotas: list[QuotaCapacity] = field(default_factory=list)

    @property
    def quota_free(self) -> int:
        return max(self.program.quota - self.holders, 0)

    @property
    def budget_total(self) -> int:
        return sum(s.source.amount for s in self.sources)

    @property
    def budget_available(self) -> int:
        return sum(s.left for s in self.sources)

    @property
    def agency_free(self) -> dict[int, int]:
        return {q.agency_id: q.free for q in self.quotas if q.agency_id is not None}

    @property
    def region_free(self) -> dict[str, int]:
        return {q.region_code: q.free for q in self.quotas if q.region_code is not None}

    def month_index(self, month: date) -> int:
        return months_between(self.first_month, month) - 1


def program_months(program: Program) -> tuple[date, date]:
    """The program's first and last contribution months."""
    first = program.start_month.replace(day=1)
    return first, add_months(first, program.coverage_months - 1)


def source_premiums(
    *,
    program: Program,
    source: FundingSource,
    benefits: Sequence[str],
    rulebook: RuleBook,
) -> tuple[int, ...]:
    """One person's monthly contribution paid by `source` for every month of the program
    (rates and reliefs as dated in the rule book). Refused in Indonesian when the rules do
    not allow the program's income or benefits."""
    first, _last = program_months(program)
    try:
        return tuple(
            monthly_premium(
                income=program.declared_income,
                benefits=benefits,
                month=add_months(first, i),
                payer=PAYER_BY_FUNDING_KIND[FundingKind(source.kind)],
                sector=Sector.OTHER,
                payer_excluded=source.relief_excluded,
                rulebook=rulebook,
            ).monthly_total
            for i in range(program.coverage_months)
        )
    except (RuleError, LookupError) as exc:
        raise ServiceError(str(exc)) from exc


def _committed(
    premiums: Sequence[int], first: date, spans: Iterable[tuple[date, date, int]]
) -> int:
    total = 0
    for start, end, count in spans:
        begin = max(months_between(first, start) - 1, 0)
        stop = min(months_between(first, end), len(premiums))
        total += count * sum(premiums[begin:stop])
    return total


# One group of a program's enrolments that count for money: (funding source, first paid
# month, effective date, end date, number of enrolments). Few groups (dates repeat), so the
# budget reads them once for both its commitments and its burn-down.
SpanRow = tuple[int, date | None, date | None, date | None, int]


def span_rows(program: Program) -> list[SpanRow]:
    """The program's enrolments of a source that hold a slot or have ended, grouped on their
    raw dates (no per-row SQL function, so SQLite does not call back into Python)."""
    sources = list(FundingSource.objects.filter(program=program).values_list("pk", flat=True))
    return list(
        Enrolment.objects.filter(
            program=program,
            funding_source_id__in=sources,  # reads index `enrolment_budget_spans` only
            status__in=[*HOLDS_SLOT, EnrolmentStatus.ENDED],
        )
        .values("funding_source_id", "start_month", "started_on", "ended_on")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("funding_source_id", "start_month", "started_on", "ended_on", "n")
    )


def _spans(
    rows: Iterable[SpanRow], first: date, last: date
) -> dict[int, list[tuple[date, date, int]]]:
    """Per funding source: (first paid month, end month, number of enrolments)."""
    spans: dict[int, list[tuple[date, date, int]]] = {}
    for source_id, start_month, _started_on, ended_on, n in rows:
        start = (start_month or first).replace(day=1)
        end = (ended_on or last).replace(day=1)
        spans.setdefault(source_id, []).append((start, min(end, last), n))
    return spans


def _quotas(program: Program) -> list[QuotaCapacity]:
    quotas = list(Quota.objects.filter(program=program).select_related("agency", "region"))
    if not quotas:  # no per-agency or per-region quota: no need to count the holders
        return []
    holders = Enrolment.objects.filter(program=program, status__in=HOLDS_SLOT)
    by_agency = dict(
        holders.values("agency_id").annotate(n=Count("id")).order_by().values_list("agency_id", "n")
    )
    by_village = list(
        holders.filter(village__isnull=False)
        .values("village_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("village_id", "n")
    )
    out: list[QuotaCapacity] = []
    for quota in quotas:
        if quota.agency_id is not None and quota.region_id is None:
            out.append(
                QuotaCapacity(
                    label=str(quota.agency),
                    quota=quota.quota,
                    used=by_agency.get(quota.agency_id, 0),
                    agency_id=quota.agency_id,
                )
            )
        elif quota.region_id is not None and quota.agency_id is None:
            code = str(quota.region_id)
            used = sum(n for village, n in by_village if str(village).startswith(code))
            out.append(
                QuotaCapacity(
                    label=str(quota.region.name if quota.region else code),
                    quota=quota.quota,
                    used=used,
                    region_code=code,
                )
            )
    return out


def holders_of(program: Program) -> int:
    """How many of the program's enrolments hold a slot of its quota now."""
    return Enrolment.objects.filter(program=program, status__in=HOLDS_SLOT).count()


def capacity_of(
    program: Program, *, rows: Sequence[SpanRow] | None = None, holders: int | None = None
) -> Capacity:
    """The program's free quota and uncommitted money now (committed money priced at the
    program's own benefits). `rows`: `span_rows(program)` and `holders`: `holders_of(program)`
    when the caller has read them (the monitoring dashboard keeps both)."""
    first, last = program_months(program)
    rulebook = rulebook_for(pemda_id=program.pemda_id)
    spans = _spans(span_rows(program) if rows is None else rows, first, last)
    sources = []
    for source in FundingSource.objects.filter(program=program).select_related("agency"):
        premiums = source_premiums(
            program=program,
            source=source,
            benefits=list(program.benefits),
            rulebook=rulebook,
        )
        committed = _committed(premiums, first, spans.get(source.pk, []))
        sources.append(SourceCapacity(source=source, committed=committed, premiums=premiums))
    if holders is None:
        holders = holders_of(program)
    return Capacity(
        program=program,
        first_month=first,
        last_month=last,
        holders=holders,
        sources=sorted(sources, key=lambda s: s.source.pk),
        quotas=_quotas(program),
    )
