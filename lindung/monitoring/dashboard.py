"""The leaders' dashboard: coverage on a date per district (or per village of one district)
against the workforce, the province figure and the Pemda's target; participants by
occupation, agency, funding source, sex and age band; year on year; budget absorption and
months of cover left; claims and benefits paid.

Every figure is an aggregate query: two grouped scans of the active enrolments joined to
their workers — where and who pays (region: the enrolment's village, else the worker's;
agency: the proposing one, else the worker's; funding source), and who (occupation, sex and
age band, the band computed in SQL from the birth date) —, a count per earlier program, and
the budget (one grouped read of the enrolments' dates) and claims totals. No per-participant
Python and no per-row SQL function.

While the kept counts are current (`monitoring.participation`: daily starts and ends per
value, rebuilt by a background job after each counted change), the breakdowns, the earlier
years and the budget's enrolment groups come from them instead — a few thousand rows, under
half a second uncached at 500.000 participants; the grouped scans above are the exact
fallback while they are out of date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Case, CharField, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext as _

from lindung.accounts.models import Agency, Role, User
from lindung.billing.budget import budget_of
from lindung.claims.models import Claim, ClaimKind, ClaimStatus
from lindung.common.errors_domain import ServiceError
from lindung.domain.monitoring import AGE_BANDS, growth_rate
from lindung.enrollment.capacity import SpanRow
from lindung.monitoring.coverage import (
    DISTRICT_CODE_LENGTH,
    Coverage,
    RegionCoverage,
    active_count,
    active_on,
    coverage_of,
    in_district,
    kept_by_region,
    placed,
)
from lindung.monitoring.models import CoverageTarget
from lindung.monitoring.participation import (
    AGENCY,
    OCCUPATION,
    SEX,
    SOURCE,
    Participation,
    age_order,
    fingerprint_of,
    kept_spans,
    participation_fresh,
    participation_on,
)
from lindung.programs.models import FundingSource, Occupation, Program
from lindung.regions.models import Region, RegionLevel
from lindung.workers.models import Sex

MONITORING_READERS = (Role.LEADER, Role.ADMIN, Role.APPROVER, Role.FINANCE)
UNKNOWN = "—"


@dataclass(frozen=True)
class Slice:
    label: str
    count: int


@dataclass(frozen=True)
class YearFigure:
    year: int
    program: str
    on: dt.date
    active: int
    growth: Decimal | None  # percent against the year before


@dataclass(frozen=True)
class BudgetFigure:
    amount: int
    committed: int
    paid: int
    absorption: Decimal | None  # paid ÷ amount, percent
    runs_out: dt.date | None
    last_month: dt.date | None
    months_left: int


@dataclass(frozen=True)
class ClaimFigure:
    label: str
    count: int
    paid: int


@dataclass(frozen=True)
class Dashboard:
    program: Program
    as_of: dt.date
    coverage: Coverage
    target: CoverageTarget | None
    occupation: list[Slice]
    agency: list[Slice]
    source: list[Slice]
    sex: list[Slice]
    age: list[Slice]
    years: list[YearFigure]
    budget: BudgetFigure | None
    claims: list[ClaimFigure]

    @property
    def quota_share(self) -> Decimal | None:
        if not self.coverage.quota:
            return None
        return (Decimal(self.coverage.active) * 100 / self.coverage.quota).quantize(Decimal("0.1"))

    @property
    def ranked(self) -> list[RegionCoverage]:
        """Regions by coverage, highest first; those without a rate last, by count."""
        return sorted(
            self.coverage.regions,
            key=lambda r: (r.rate is None, -(r.rate or 0), -r.active, r.code),
        )


def district_choices(program: Program) -> list[tuple[str, str]]:
    regency = program.pemda.region_id or "-"
    return list(
        Region.objects.filter(code__startswith=regency + ".", level=RegionLevel.DISTRICT)
        .order_by("code")
        .values_list("code", "name")
    )


def district_get(program: Program, code: str) -> Region | None:
    """A district of the program's Pemda, or None (another regency's code is ignored)."""
    regency = program.pemda.region_id or "-"
    if not code.startswith(regency + "."):
        return None
    return Region.objects.filter(code=code, level=RegionLevel.DISTRICT).first()


def _years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_band(as_of: dt.date) -> Case:
    """The age band of `worker__birth_date` on `as_of`, in SQL: born after the day `high + 1`
    years before is younger than high + 1."""
    whens = [When(worker__birth_date__isnull=True, then=Value(UNKNOWN))]
    whens.append(
        When(worker__birth_date__gt=_years_back(as_of, AGE_BANDS[0][0]), then=Value("<15"))
    )
    for low, high in AGE_BANDS:
        if high is not None:
            whens.append(
                When(
                    worker__birth_date__gt=_years_back(as_of, high + 1),
                    then=Value(f"{low}-{high}"),
                )
            )
    last = AGE_BANDS[-1][0]
    return Case(*whens, default=Value(f"{last}+"), output_field=CharField())


def _slices(counts: Counter[object], names: dict[object, str]) -> list[Slice]:
    slices = [
        Slice(names.get(key, UNKNOWN) if key is not None else UNKNOWN, n)
        for key, n in counts.items()
    ]
    return sorted(slices, key=lambda s: (-s.count, s.label))


@dataclass(frozen=True)
class _Parts:
    counts: dict[str | None, int]
    occupation: list[Slice]
    agency: list[Slice]
    source: list[Slice]
    sex: list[Slice]
    age: list[Slice]


def _breakdowns(program: Program, as_of: dt.date, district: Region | None) -> _Parts:
    active = active_on(program, as_of)
    if district is not None:
        active = in_district(active, district.code)
        where = Substr("place", 1, 13)  # the district view lists villages
    else:
        where = Substr("place", 1, DISTRICT_CODE_LENGTH)
    # Two grouped scans with few groups each — where and who pays (district or village,
    # agency, source), and who (occupation, sex, age band) —: one scan grouped on all six
    # made tens of thousands of groups to sort in SQL and add up here.
    base = placed(active).order_by()
    regions: Counter[str | None] = Counter()
    agencies: Counter[object] = Counter()
    sources: Counter[object] = Counter()
    for d, by, source, n in (
        base.annotate(
            d=where,
            by=Coalesce("agency_id", "worker__agency_id", output_field=IntegerField()),
            source=F("funding_source_id"),  # grouped last: SQLite keeps the program's index
        )
        .values("d", "by", "source")
        .annotate(n=Count("id"))
        .values_list("d", "by", "source", "n")
    ):
        regions[d] += n
        agencies[by] += n
        sources[source] += n
    occupations: Counter[object] = Counter()
    sexes: Counter[object] = Counter()
    bands: Counter[object] = Counter()
    for occupation, sex, band, n in (
        base.annotate(band=_age_band(as_of))
        .values("worker__occupation_id", "worker__sex", "band")
        .annotate(n=Count("id"))
        .values_list("worker__occupation_id", "worker__sex", "band", "n")
    ):
        occupations[occupation] += n
        sexes[sex or None] += n
        bands[band] += n
    return _parts(program, regions, agencies, sources, occupations, sexes, bands)


def _parts(
    program: Program,
    regions: Counter[str | None],
    agencies: Counter[object],
    sources: Counter[object],
    occupations: Counter[object],
    sexes: Counter[object],
    bands: Counter[object],
) -> _Parts:
    pemda_id = program.pemda_id
    return _Parts(
        counts=dict(regions),
        agency=_slices(
            agencies, dict(Agency.objects.filter(pemda_id=pemda_id).values_list("pk", "name"))
        ),
        source=_slices(
            sources,
            {
                s.pk: f"{s.code} {s.name}".strip()
                for s in FundingSource.objects.filter(program=program)
            },
        ),
        occupation=_slices(
            occupations,
            dict(Occupation.objects.filter(pemda_id=pemda_id).values_list("pk", "name")),
        ),
        sex=_slices(sexes, {k: str(v) for k, v in Sex.choices}),
        age=[Slice(band, bands[band]) for band in age_order() if bands.get(band)],
    )


def _ids(counts: Counter[str]) -> Counter[object]:
    """Kept counts by id ("" = unknown → None)."""
    found: Counter[object] = Counter()
    for key, n in counts.items():
        found[int(key) if key.isdigit() else None] += n
    return found


def _from_kept(program: Program, kept: Participation, district: Region | None) -> _Parts:
    """The breakdowns from the kept counts (see `participation`)."""
    sexes: Counter[object] = Counter()
    for sex, n in kept.counts.get(SEX, Counter()).items():
        sexes[sex or None] += n
    bands: Counter[object] = Counter(kept.bands)
    return _parts(
        program,
        Counter(kept_by_region(kept, district.code if district else None)),
        _ids(kept.counts.get(AGENCY, Counter())),
        _ids(kept.counts.get(SOURCE, Counter())),
        _ids(kept.counts.get(OCCUPATION, Counter())),
        sexes,
        bands,
    )


def _years(
    program: Program, as_of: dt.date, active: int, district: Region | None
) -> list[YearFigure]:
    """This program and up to four earlier ones of the Pemda, each counted on the same day of
    its own year, with the growth over the year before."""
    earlier = Program.objects.filter(pemda_id=program.pemda_id, year__lt=program.year).order_by(
        "-year", "pk"
    )
    rows: list[tuple[int, str, dt.date, int]] = [(program.year, program.name, as_of, active)]
    seen = {program.year}
    for other in earlier[:8]:
        if other.year in seen or len(seen) >= 5:
            continue
        seen.add(other.year)
        day = _years_back(as_of, program.year - other.year)
        found = active_count(other, day, district.code if district else None)
        rows.append((other.year, other.name, day, found))
    rows.sort()
    figures: list[YearFigure] = []
    for index, (year, name, day, count) in enumerate(rows):
        before = rows[index - 1][3] if index else None
        growth = growth_rate(before=before, after=count) if before is not None else None
        figures.append(YearFigure(year, name, day, count, growth))
    return figures


def _months_between(first: dt.date, last: dt.date) -> int:
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def _budget(
    program: Program, as_of: dt.date, kept: tuple[list[SpanRow], int] | None = None
) -> BudgetFigure | None:
    rows, holders = kept if kept is not None else (None, None)
    try:
        budget = budget_of(program, as_of, rows=rows, holders=holders)
    except ServiceError:
        return None
    totals = budget.totals
    amount = totals["amount"]
    end = budget.runs_out or budget.last_month
    return BudgetFigure(
        amount=amount,
        committed=totals["committed"],
        paid=totals["paid"],
        absorption=(Decimal(totals["paid"]) * 100 / amount).quantize(Decimal("0.1"))
        if amount
        else None,
        runs_out=budget.runs_out,
        last_month=budget.last_month,
        months_left=_months_between(as_of, end) if end else 0,
    )


def _claims(program: Program, as_of: dt.date, district: Region | None) -> list[ClaimFigure]:
    claims = Claim.objects.filter(program=program, incident_on__lte=as_of)
    if district is not None:
        claims = claims.filter(
            Q(enrolment__village__code__startswith=district.code + ".")
            | Q(
                enrolment__village__isnull=True,
                enrolment__worker__village__code__startswith=district.code + ".",
            )
        )
    paid = Q(status__in=[ClaimStatus.PAID, ClaimStatus.HANDED_OVER], paid_on__lte=as_of)
    rows = claims.values("kind").annotate(n=Count("id"), paid=Sum("paid_amount", filter=paid))
    names = dict(ClaimKind.choices)
    return [
        ClaimFigure(str(names.get(r["kind"], r["kind"])), r["n"], r["paid"] or 0)
        for r in rows.order_by("kind")
    ]


def dashboard_of(
    *,
    user: User,
    program: Program,
    as_of: dt.date,
    district: Region | None = None,
    fingerprint: tuple[object, ...] | None = None,
) -> Dashboard:
    """The dashboard of `program` (already scoped to the user) on `as_of`: from the kept
    counts (`participation`) when they are current, else from the enrolments."""
    if program.pemda_id != user.pemda_id:
        raise ServiceError(_("Program ini bukan milik Pemda Anda."))
    fresh = participation_fresh(program, fingerprint)
    kept = participation_on(
        program, as_of, district=district.code if district else None, fresh=fresh
    )
    if kept is not None:
        parts = _from_kept(program, kept, district)
    else:
        parts = _breakdowns(program, as_of, district)
    spans = kept_spans(program) if fresh and district is None else None
    coverage = coverage_of(program, as_of, district=district, counts=parts.counts)
    return Dashboard(
        program=program,
        as_of=as_of,
        coverage=coverage,
        target=CoverageTarget.objects.filter(pemda_id=program.pemda_id, year=program.year).first(),
        years=_years(program, as_of, coverage.active, district),
        budget=_budget(program, as_of, spans) if district is None else None,
        claims=_claims(program, as_of, district),
        occupation=parts.occupation,
        agency=parts.agency,
        source=parts.source,
        sex=parts.sex,
        age=parts.age,
    )


# How long a computed dashboard is reused at most; a write that changes what it counts
# (see `participation.fingerprint_of`) makes a new one sooner.
CACHE_SECONDS = 3600
_fingerprint = fingerprint_of


def dashboard_cached(
    *, user: User, program: Program, as_of: dt.date, district: Region | None = None
) -> Dashboard:
    """`dashboard_of`, reused while nothing it counts has changed (see `_fingerprint`): the
    aggregates over 500.000 participants take seconds, a leader's clicks between filters
    should not."""
    if program.pemda_id != user.pemda_id:
        raise ServiceError(_("Program ini bukan milik Pemda Anda."))
    fingerprint = fingerprint_of(program)
    key = "monitoring:" + ":".join(
        str(part)
        for part in (program.pk, as_of.isoformat(), district.code if district else "", *fingerprint)
    )
    found = cache.get(key)
    if isinstance(found, Dashboard):
        return found
    board = dashboard_of(
        user=user, program=program, as_of=as_of, district=district, fingerprint=fingerprint
    )
    cache.set(key, board, CACHE_SECONDS)
    return board
