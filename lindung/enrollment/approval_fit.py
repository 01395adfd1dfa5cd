"""Room left in a program at the moment of approval: free places under the program quota, the
per-agency and per-region quotas, and money per funding source.

Read with `capacity.capacity_of` inside the approval's locked transaction: the same figures
the allocation engine ranks against.

- A place is held by an enrolment that is approved, sent or active (`HOLDS_SLOT`).
- Money committed by an enrolment is its monthly contribution for every month from its first
  paid month to the program's last month; an ended one is billed through the month of its
  end, not after; one rejected by BPJS commits nothing.
- The monthly contribution is worked out per funding source and month from the Pemda's rule
  book (a relief may apply to some payers and months only)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lindung.domain.allocation import add_months, months_between
from lindung.domain.rulebook import format_rupiah
from lindung.enrollment.capacity import Capacity, capacity_of, program_months
from lindung.programs.models import Program


def months_from(program: Program, start: dt.date) -> int:
    """Months from ``start`` (its month) to the program's last month, both counted."""
    _first, last = program_months(program)
    return months_between(start.replace(day=1), last)


def premiums_by_month(capacity: Capacity) -> dict[int, dict[dt.date, int]]:
    """Per funding source: one person's contribution for each program month."""
    first = capacity.first_month
    return {
        s.source.pk: {add_months(first, i): p for i, p in enumerate(s.premiums)}
        for s in capacity.sources
    }


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


def room_now(program: Program) -> Room:
    """The room left in ``program`` now (`capacity.capacity_of`: the same figures allocation
    ranks against). Call it after taking the program's lock."""
    capacity = capacity_of(program)
    room = Room(
        program_free=capacity.quota_free,
        premiums=premiums_by_month(capacity),
        money_free={s.source.pk: s.source.amount - s.committed for s in capacity.sources},
        source_names={s.source.pk: s.source.name for s in capacity.sources},
    )
    for quota in capacity.quotas:
        if quota.agency_id is not None:
            room.agency_free[quota.agency_id] = quota.quota - quota.used
            room.agency_names[quota.agency_id] = quota.label
        elif quota.region_code is not None:
            room.region_free[quota.region_code] = quota.quota - quota.used
            room.region_names[quota.region_code] = quota.label
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
