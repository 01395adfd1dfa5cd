"""Room left in a program at the moment of approval: free places under the program quota, the
per-agency and per-region quotas, and money per funding source.

Counted straight from the enrolments (the approval's own check, inside its locked
transaction); the allocation engine has its own reader of the same figures.

- A place is held by an enrolment that is approved, sent or active (`HOLDS_SLOT`).
- Money committed by an enrolment is its monthly contribution for every month from its first
  paid month to the program's last month; an ended one is billed through the month of its
  end, not after; one rejected by BPJS commits nothing.
- The monthly contribution is worked out per funding source and month from the Pemda's rule
  book (a relief may apply to some payers and months only)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from lindung.common.errors_domain import ServiceError
from lindung.domain.contributions import monthly_premium
from lindung.domain.rulebook import RuleError, Sector, format_rupiah
from lindung.programs.models import FundingKind, FundingSource, Program, Quota
from lindung.programs.selectors import PAYER_BY_FUNDING_KIND
from lindung.rules.selectors import rulebook_for
from lindung.workers.models import HOLDS_SLOT, Enrolment, EnrolmentStatus


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def program_months(program: Program) -> list[dt.date]:
    """First days of the months the program pays for."""
    first = program.start_month.replace(day=1)
    return [add_months(first, i) for i in range(program.coverage_months)]


def months_from(program: Program, start: dt.date) -> int:
    """Months from ``start`` (its month) to the program's last month, both counted."""
    first = start.replace(day=1)
    return sum(1 for m in program_months(program) if m >= first)


@dataclass(frozen=True)
class Demand:
    """One person an approval would add: where they count and who pays."""

    agency_id: int
    village_id: str | None
    source_id: int | None


@dataclass
class Room:
    program_free: int
    agency_free: dict[int, int] = field(default_factory=dict)
    region_free: dict[str, int] = field(default_factory=dict)
    money_free: dict[int, int] = field(default_factory=dict)
    # source id -> {month -> contribution}
    premiums: dict[int, dict[dt.date, int]] = field(default_factory=dict)
    source_names: dict[int, str] = field(default_factory=dict)
    agency_names: dict[int, str] = field(default_factory=dict)
    region_names: dict[str, str] = field(default_factory=dict)

    def cost(self, source_id: int, start: dt.date) -> int:
        """What one person paid by ``source_id`` costs from ``start`` to the program's end."""
        first = start.replace(day=1)
        return sum(p for m, p in self.premiums.get(source_id, {}).items() if m >= first)

    def regions_of(self, village_id: str | None) -> list[str]:
        if not village_id:
            return []
        return [r for r in self.region_free if village_id == r or village_id.startswith(r + ".")]

    def take(self, person: Demand, start: dt.date) -> bool:
        """Reserve room for ``person`` when all of it is there; False (nothing taken) if not."""
        if self.program_free < 1 or person.source_id is None:
            return False
        if self.agency_free.get(person.agency_id, 1) < 1:
            return False
        regions = self.regions_of(person.village_id)
        if any(self.region_free[r] < 1 for r in regions):
            return False
        cost = self.cost(person.source_id, start)
        if self.money_free.get(person.source_id, 0) < cost:
            return False
        self.program_free -= 1
        if person.agency_id in self.agency_free:
            self.agency_free[person.agency_id] -= 1
        for r in regions:
            self.region_free[r] -= 1
        self.money_free[person.source_id] -= cost
        return True


def source_premiums(
    program: Program, sources: Sequence[FundingSource]
) -> dict[int, dict[dt.date, int]]:
    rulebook = rulebook_for(pemda_id=program.pemda_id)
    try:
        return {
            s.pk: {
                month: monthly_premium(
                    income=program.declared_income,
                    benefits=program.benefits,
                    month=month,
                    payer=PAYER_BY_FUNDING_KIND[FundingKind(s.kind)],
                    sector=Sector.OTHER,
                    payer_excluded=s.relief_excluded,
                    rulebook=rulebook,
                ).monthly_total
                for month in program_months(program)
            }
            for s in sources
        }
    except (RuleError, LookupError) as exc:
        raise ServiceError(
            _("Iuran program tidak dapat dihitung: %(error)s") % {"error": exc}
        ) from exc


def _committed(program: Program, premiums: dict[int, dict[dt.date, int]]) -> Counter[int]:
    months = program_months(program)
    committed: Counter[int] = Counter()
    groups = (
        Enrolment.objects.filter(
            program=program,
            funding_source__isnull=False,
            status__in=[*HOLDS_SLOT, EnrolmentStatus.ENDED],
        )
        .values("funding_source_id", "status", "start_month", "ended_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for g in groups:
        first = (g["start_month"] or months[0]).replace(day=1)
        last = months[-1]
        if g["status"] == EnrolmentStatus.ENDED:
            if g["ended_on"] is None:
                continue
            last = min(last, g["ended_on"].replace(day=1))
        per_month = premiums.get(g["funding_source_id"], {})
        committed[g["funding_source_id"]] += g["n"] * sum(
            p for m, p in per_month.items() if first <= m <= last
        )
    return committed


def room_now(program: Program) -> Room:
    """The room left in ``program`` now. Call it after taking the program's lock."""
    held = Enrolment.objects.filter(program=program, status__in=HOLDS_SLOT)
    sources = list(program.funding_sources.all())
    premiums = source_premiums(program, sources)
    committed = _committed(program, premiums)
    room = Room(
        program_free=max(program.quota - held.count(), 0),
        premiums=premiums,
        money_free={s.pk: s.amount - committed[s.pk] for s in sources},
        source_names={s.pk: s.name for s in sources},
    )
    for quota in Quota.objects.filter(program=program).select_related("agency", "region"):
        if quota.agency_id is not None and quota.region_id is None:
            used = held.filter(agency_id=quota.agency_id).count()
            room.agency_free[quota.agency_id] = quota.quota - used
            room.agency_names[quota.agency_id] = quota.agency.name if quota.agency else ""
        elif quota.region_id is not None and quota.agency_id is None:
            code = quota.region_id
            used = (
                held.filter(village_id=code).count()
                + held.filter(village__code__startswith=code + ".").count()
            )
            room.region_free[code] = quota.quota - used
            room.region_names[code] = quota.region.name if quota.region else code
    return room


def shortfalls(room: Room, people: Iterable[Demand], start: dt.date) -> list[str]:
    """Why ``people`` do not all fit in ``room`` (empty when they do), in Indonesian."""
    people = list(people)
    problems: list[str] = []
    if len(people) > room.program_free:
        problems.append(
            _("Kuota program tersisa %(free)s, yang akan disetujui %(n)s.")
            % {"free": room.program_free, "n": len(people)}
        )
    by_agency = Counter(p.agency_id for p in people)
    for agency_id, n in sorted(by_agency.items()):
        if agency_id in room.agency_free and n > room.agency_free[agency_id]:
            problems.append(
                _("Kuota %(agency)s tersisa %(free)s, yang akan disetujui %(n)s.")
                % {
                    "agency": room.agency_names[agency_id],
                    "free": max(room.agency_free[agency_id], 0),
                    "n": n,
                }
            )
    by_region: Counter[str] = Counter(r for p in people for r in room.regions_of(p.village_id))
    for code, n in sorted(by_region.items()):
        if n > room.region_free[code]:
            problems.append(
                _("Kuota wilayah %(region)s tersisa %(free)s, yang akan disetujui %(n)s.")
                % {
                    "region": room.region_names[code],
                    "free": max(room.region_free[code], 0),
                    "n": n,
                }
            )
    if any(p.source_id is None for p in people):
        problems.append(_("Ada peserta yang belum memiliki sumber dana."))
    cost: defaultdict[int, int] = defaultdict(int)
    for p in people:
        if p.source_id is not None:
            cost[p.source_id] += room.cost(p.source_id, start)
    for source_id, amount in sorted(cost.items()):
        free = room.money_free.get(source_id, 0)
        if amount > free:
            problems.append(
                _("Dana %(source)s tersisa %(free)s, biaya yang akan disetujui %(cost)s.")
                % {
                    "source": room.source_names.get(source_id, "?"),
                    "free": format_rupiah(max(free, 0)),
                    "cost": format_rupiah(amount),
                }
            )
    return problems
