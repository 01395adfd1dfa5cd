"""Coverage on any date, reconstructed from enrolment history.

A participant is active on a date when their enrolment started on or before it (`started_on`,
BPJS's effective date — imported roster enrolments too) and had not ended before it (no end,
or `ended_on` on or after the date); rejected enrolments never count. A participant counts in
the district of their village (the first three parts of the Kemendagri code): the
enrolment's village, else the worker's. The rate is
active ÷ working population (`domain.budget.coverage_rate`), the workforce being the latest
year loaded up to the program's year; a district without a workforce figure has no rate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import CharField, Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce, Substr

from lindung.domain.budget import coverage_rate
from lindung.monitoring.models import Workforce
from lindung.monitoring.participation import PLACE, Participation, participation_on
from lindung.programs.models import Program
from lindung.regions.models import Region, RegionLevel
from lindung.workers.models import Enrolment, EnrolmentStatus

DISTRICT_CODE_LENGTH = 8  # "35.04.02"


def active_on(program: Program, as_of: dt.date) -> QuerySet[Enrolment]:
    """The program's enrolments active on `as_of` (see the module docstring)."""
    return (
        Enrolment.objects.filter(program=program, started_on__isnull=False, started_on__lte=as_of)
        .exclude(status=EnrolmentStatus.REJECTED)
        .filter(
            Q(ended_on__gte=as_of) | (Q(ended_on__isnull=True) & ~Q(status=EnrolmentStatus.ENDED))
        )
    )


def rate_of(active: int, workforce: int | None) -> Decimal | None:
    """Coverage in percent (2 decimals), None without a (positive) workforce figure."""
    if not workforce:
        return None
    return coverage_rate(covered=active, workforce=workforce)


@dataclass(frozen=True)
class RegionCoverage:
    code: str
    name: str
    active: int
    workforce: int | None
    rate: Decimal | None  # percent

    @property
    def share(self) -> float | None:
        """The rate as a fraction (0.3916 for 39,16 %), as the command line prints it."""
        return None if self.rate is None else float(self.rate / 100)


@dataclass(frozen=True)
class Coverage:
    program: Program
    as_of: dt.date
    active: int
    quota: int
    workforce_year: int | None
    regions: list[RegionCoverage]  # every district (or every village of `district`)
    unplaced: int  # active participants without a village
    district: Region | None = None

    @property
    def workforce(self) -> int | None:
        figures = [r.workforce for r in self.regions if r.workforce is not None]
        return sum(figures) if figures else None

    @property
    def placed(self) -> int:
        return sum(r.active for r in self.regions)

    @property
    def rate(self) -> Decimal | None:
        """The whole Pemda's (or district's) rate over the regions with a workforce."""
        with_workforce = [r for r in self.regions if r.workforce]
        if not with_workforce:
            return None
        return rate_of(sum(r.active for r in with_workforce), self.workforce)

    def as_json(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "active": self.active,
            "quota": self.quota,
            "workforce_year": self.workforce_year,
            "by_district": [
                {
                    "code": r.code,
                    "name": r.name,
                    "active": r.active,
                    "workforce": r.workforce,
                    "rate": r.share,
                }
                for r in self.regions
            ],
        }


def workforce_year(program: Program) -> int | None:
    """The latest year with workforce figures up to the program's year (else the earliest
    later one: a table published after the program started still beats none)."""
    loaded = Workforce.objects.filter(pemda_id=program.pemda_id)
    year: int | None = loaded.filter(year__lte=program.year).aggregate(y=Max("year"))["y"]
    if year is None:
        year = loaded.order_by("year").values_list("year", flat=True).first()
    return year


def _workforce(program: Program, year: int | None, *, district: str | None) -> dict[str, int]:
    """Workforce per district, or per village of `district`; a district without its own
    figure adds up its villages'."""
    if year is None:
        return {}
    rows = Workforce.objects.filter(pemda_id=program.pemda_id, year=year).values_list(
        "region_id", "working"
    )
    if district is not None:
        return {code: n for code, n in rows if code.startswith(district + ".")}
    own: dict[str, int] = {}
    from_villages: dict[str, int] = {}
    for code, n in rows:
        if len(code) == DISTRICT_CODE_LENGTH:
            own[code] = n
        else:
            key = code[:DISTRICT_CODE_LENGTH]
            from_villages[key] = from_villages.get(key, 0) + n
    return {**from_villages, **own}


def _regions(program: Program, district: str | None) -> list[tuple[str, str]]:
    if district is not None:
        found = Region.objects.filter(code__startswith=district + ".", level=RegionLevel.VILLAGE)
    else:
        regency = program.pemda.region_id or "-"
        found = Region.objects.filter(code__startswith=regency + ".", level=RegionLevel.DISTRICT)
    return list(found.order_by("code").values_list("code", "name"))


def placed(active: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Enrolments with `place`: the enrolment's village, else the worker's (the roster BPJS
    handed over names no village on the enrolment)."""
    return active.annotate(
        place=Coalesce("village_id", "worker__village_id", output_field=CharField())
    )


def in_district(active: QuerySet[Enrolment], district: str) -> QuerySet[Enrolment]:
    """Those placed (see `placed`) in a village of `district`."""
    prefix = district + "."
    return active.filter(
        Q(village__code__startswith=prefix)
        | Q(village__isnull=True, worker__village__code__startswith=prefix)
    )


def counts_by_region(active: QuerySet[Enrolment], district: str | None) -> dict[str | None, int]:
    """Active participants per district (or per village of `district`); None = no village."""
    if district is not None:
        grouped = (
            in_district(active, district)
            .annotate(v=Coalesce("village_id", "worker__village_id", output_field=CharField()))
            .values("v")
            .annotate(n=Count("id"))
        )
        return {row["v"]: row["n"] for row in grouped.order_by()}
    by_district = (
        placed(active)
        .annotate(d=Substr("place", 1, DISTRICT_CODE_LENGTH))
        .values("d")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("d", "n")
    )
    return dict(by_district)


def kept_by_region(kept: Participation, district: str | None) -> dict[str | None, int]:
    """`counts_by_region` from the kept counts: per district, or per village of `district`."""
    regions: dict[str | None, int] = {}
    for place, n in kept.counts.get(PLACE, {}).items():
        key = (place if district else place[:DISTRICT_CODE_LENGTH]) or None
        regions[key] = regions.get(key, 0) + n
    return regions


def active_count(program: Program, as_of: dt.date, district: str | None = None) -> int:
    """How many of the program's participants (of `district`) were active on `as_of`: from
    the kept counts when they are current, else counted from the enrolments."""
    kept = participation_on(program, as_of, district=district, dimensions=(PLACE,))
    if kept is not None:
        return kept.total
    active = active_on(program, as_of)
    if district is not None:
        active = in_district(active, district)
    return active.count()


def coverage_of(
    program: Program,
    as_of: dt.date,
    *,
    district: Region | None = None,
    counts: dict[str | None, int] | None = None,
) -> Coverage:
    """Active participants on `as_of` against quota and workforce, per district of the Pemda
    (every one, ranked by code), or per village of `district`."""
    code = district.code if district is not None else None
    if counts is None:
        kept = participation_on(program, as_of, district=code, dimensions=(PLACE,))
        if kept is not None:
            counts = kept_by_region(kept, code)
        else:
            counts = counts_by_region(active_on(program, as_of), code)
    year = workforce_year(program)
    workforce = _workforce(program, year, district=code)
    regions = [
        RegionCoverage(
            code=region_code,
            name=name,
            active=counts.get(region_code, 0),
            workforce=workforce.get(region_code),
            rate=rate_of(counts.get(region_code, 0), workforce.get(region_code)),
        )
        for region_code, name in _regions(program, code)
    ]
    placed = sum(r.active for r in regions)
    total = placed if code is not None else sum(counts.values())
    return Coverage(
        program=program,
        as_of=as_of,
        active=total,
        quota=program.quota,
        workforce_year=year,
        regions=regions,
        unplaced=total - placed,
        district=district,
    )
