"""Reads of enrollment, scoped to the user: the participants register (search and filters
fast at 500.000 participants), one participant's whole history, and what cards and the
participants export read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Upper

from lindung.accounts.access import get_scoped_or_404, scope_to_pemda, scope_to_user
from lindung.accounts.models import User
from lindung.audit.models import AuditEvent
from lindung.audit.selectors import audit_events_for_user
from lindung.enrollment.models import (
    AllocationLine,
    AllocationStatus,
    BpjsExportLine,
    BpjsImportLine,
    LineOutcome,
)
from lindung.programs.models import Program
from lindung.regions.models import Region, RegionLevel
from lindung.verification.models import RowVerdict
from lindung.workers.models import Enrolment, EnrolmentStatus

NAME_SEARCH_MIN = 2
COUNT_CAP = 5_000  # rows counted under a name, area or occupation filter
STATUS_CAP = 50_000  # participants counted per status otherwise
# The largest code point: a prefix range [p, p + TOP) holds exactly the strings starting
# with p, on SQLite and on PostgreSQL (upper-cased names compared as text).
_TOP = "\U0010ffff"


@dataclass(frozen=True)
class ParticipantFilters:
    """What the register is narrowed by. `nik` is never read from a URL (it comes from a
    POST form); `name` is a prefix of the name, any case; `kpj` and `nik` are exact."""

    name: str = ""
    kpj: str = ""
    nik: str = ""
    agency_id: int | None = None
    area: str = ""  # a district ("35.04.15") or village ("35.04.15.2001") code
    occupation_id: int | None = None
    status: str = ""
    funding_source_id: int | None = None

    @property
    def searching(self) -> bool:
        return bool(self.name or self.kpj or self.nik)


@dataclass
class ParticipantCounts:
    """Participants per status for the current filters (all statuses, whichever is chosen).
    `capped`: a figure stopped at `cap` (see `participant_counts`)."""

    by_status: dict[str, int] = field(default_factory=dict)
    capped: bool = False
    cap: int = 0

    @property
    def total(self) -> int:
        total = sum(self.by_status.values())
        return min(total, self.cap) if self.capped else total

    def rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.by_status.get(s.value, 0)) for s in EnrolmentStatus]


def _scoped(user: User, program: Program) -> QuerySet[Enrolment]:
    """The program's enrolments the user may see. The Pemda scope is checked on the program
    (its enrolments are all of its Pemda), so the row filters stay on the program and the
    indexes that start with it (program, village) serve them without reading rows."""
    allowed = scope_to_pemda(Program.objects.filter(pk=program.pk), user).exists()
    if not allowed:
        return Enrolment.objects.none()
    qs = Enrolment.objects.filter(program=program)
    if user.is_agency_scoped:
        return qs.filter(agency_id=user.agency_id) if user.agency_id else qs.none()
    return qs


def _narrow(
    qs: QuerySet[Enrolment], filters: ParticipantFilters, program: Program
) -> QuerySet[Enrolment]:
    """Every filter but the status, each on an indexed column (see `workers.Enrolment`)."""
    if filters.nik:
        qs = qs.filter(worker__nik=filters.nik)
    if filters.kpj:
        # The program's Pemda too: the KPJ's index is (Pemda, KPJ).
        qs = qs.filter(pemda_id=program.pemda_id, kpj=filters.kpj)
    name = filters.name.strip().upper()
    if len(name) >= NAME_SEARCH_MIN:
        # A range on UPPER(name) uses the `worker_name_upper` index on both engines.
        qs = qs.alias(name_key=Upper("worker__name")).filter(
            name_key__gte=name, name_key__lt=name + _TOP
        )
    if filters.agency_id:
        qs = qs.filter(agency_id=filters.agency_id)
    if filters.area:
        code = filters.area
        qs = (
            qs.filter(village_id=code)
            if code.count(".") >= 3
            else qs.filter(village_id__gte=code + ".", village_id__lt=code + "/")
        )
    if filters.occupation_id:
        qs = qs.filter(worker__occupation_id=filters.occupation_id)
    if filters.funding_source_id:
        qs = qs.filter(funding_source_id=filters.funding_source_id)
    return qs


def participant_counts(
    *, user: User, program: Program, filters: ParticipantFilters
) -> ParticipantCounts:
    """How many participants each status holds under the filters, cheaply at 500.000.

    Without a name, area or occupation filter each status is counted on its own from an
    index that ends with the status ((pemda, program, status), (program, agency, status),
    (program, funding_source, status)), up to STATUS_CAP each: a figure past it shows as
    "more than". With one of those filters the first COUNT_CAP matching rows are counted in
    one grouped query (`capped` when there were more)."""
    qs = _narrow(_scoped(user, program), filters, program).order_by()
    if filters.name or filters.area or filters.occupation_id:
        return _counted(qs.values_list("status", flat=True)[: COUNT_CAP + 1], COUNT_CAP)
    if not (filters.agency_id or filters.funding_source_id or user.is_agency_scoped):
        qs = qs.filter(pemda_id=program.pemda_id)  # lets (pemda, program, status) serve
    by_status = {}
    capped = False
    for status in EnrolmentStatus.values:
        n = _count_upto(qs.filter(status=status).values_list("pk", flat=True), STATUS_CAP)
        if n:
            by_status[status] = min(n, STATUS_CAP)
        capped = capped or n > STATUS_CAP
    return ParticipantCounts(by_status=by_status, capped=capped, cap=STATUS_CAP)


def _count_upto(qs: QuerySet[Any], cap: int) -> int:
    sql, params = qs[: cap + 1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) t", params)  # noqa: S608 - ORM SQL
        return int(cursor.fetchone()[0])


def _counted(statuses: QuerySet[Any], cap: int) -> ParticipantCounts:
    sql, params = statuses.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.status, COUNT(*) FROM ({sql}) t GROUP BY t.status",  # noqa: S608 - ORM SQL
            params,
        )
        by_status = {status: int(n) for status, n in cursor.fetchall()}
    return ParticipantCounts(by_status=by_status, capped=sum(by_status.values()) > cap, cap=cap)


def participant_list(
    *, user: User, program: Program, filters: ParticipantFilters
) -> QuerySet[Enrolment]:
    """The program's participants the user may see, narrowed by `filters`: by name when a
    name is searched, else the newest first."""
    qs = _narrow(_scoped(user, program), filters, program)
    if filters.status in EnrolmentStatus.values:
        qs = qs.filter(status=filters.status)
    qs = qs.select_related("worker", "agency", "village", "funding_source")
    if len(filters.name.strip()) >= NAME_SEARCH_MIN:
        return qs.order_by(Upper("worker__name"), "pk")
    return qs.order_by("-pk")


class ParticipantRows:
    """The register's rows for a paginator that is told their count: a page first reads
    the ids of its rows in the list's order (from indexes alone on most filters), then
    only those rows with what the page shows. Joining the worker, agency, village and
    source of every matching row before sorting would read tens of thousands of rows."""

    def __init__(self, qs: QuerySet[Enrolment], count: int) -> None:
        self._qs = qs
        self._count = count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice) -> list[Enrolment]:
        ids = list(self._qs.values_list("pk", flat=True)[window])
        rows = Enrolment.objects.select_related(
            "worker", "agency", "village", "funding_source"
        ).in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


def program_districts(*, program: Program) -> QuerySet[Region]:
    """The districts of the program's regency, for the area filter."""
    return Region.objects.filter(
        parent_id=program.pemda.region_id, level=RegionLevel.DISTRICT
    ).order_by("name")


def participant_get(*, user: User, pk: int) -> Enrolment:
    """One participant the user may see (404 outside the user's Pemda or agency)."""
    qs = scope_to_user(
        Enrolment.objects.select_related(
            "program__pemda",
            "worker__village",
            "worker__occupation",
            "agency",
            "village",
            "funding_source",
        ),
        user,
        agency_field="agency",
    )
    return get_scoped_or_404(qs, pk=pk)


@dataclass(frozen=True)
class ParticipantHistory:
    """Where a participant came from and what happened since: the allocation line (and
    through it the submission row and its verification verdict), the BPJS files, and the
    audit events of the enrolment."""

    line: AllocationLine | None
    verdict: RowVerdict | None
    exports: list[BpjsExportLine]
    results: list[BpjsImportLine]
    events: list[AuditEvent]


def participant_history(*, user: User, enrolment: Enrolment) -> ParticipantHistory:
    line = (
        AllocationLine.objects.filter(enrolment=enrolment)
        .select_related(
            "allocation__proposed_by",
            "allocation__decided_by",
            "row__submission__file",
            "agency",
            "funding_source",
        )
        .order_by("-allocation_id")
        .first()
    )
    verdict = None
    if line is not None and line.row_id is not None:
        verdicts = RowVerdict.objects.filter(row_id=line.row_id)
        if line.allocation.run_id is not None:
            verdicts = verdicts.filter(run_id=line.allocation.run_id)
        verdict = verdicts.order_by("-run_id").first()
    exports = list(
        BpjsExportLine.objects.filter(enrolment=enrolment)
        .select_related("export__created_by")
        .order_by("export__created_at", "pk")
    )
    results = list(
        BpjsImportLine.objects.filter(enrolment=enrolment)
        .select_related("source")
        .order_by("source__created_at", "pk")
    )
    events = list(
        audit_events_for_user(user=user)
        .filter(object_type=Enrolment._meta.label_lower, object_id=str(enrolment.pk))
        .order_by("created_at", "pk")[:200]
    )
    return ParticipantHistory(
        line=line, verdict=verdict, exports=exports, results=results, events=events
    )


def active_participants(*, user: User, program: Program, agency_id: int | None = None,
                        area: str = "") -> QuerySet[Enrolment]:  # fmt: skip
    """Active participants (the ones that get cards), by name, for one agency or area."""
    filters = ParticipantFilters(agency_id=agency_id, area=area, status=EnrolmentStatus.ACTIVE)
    return participant_list(user=user, program=program, filters=filters).order_by(
        "worker__name", "pk"
    )


# --- The participants export (command line) --------------------------------------------

EXPORT_COLUMNS = (
    "nik",
    "name",
    "kpj",
    "status",
    "started_on",
    "ended_on",
    "end_reason",
    "agency",
    "village_code",
    "funding_source",
)


def _iso(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def participants_for_export(*, program: Program) -> Iterator[tuple[str, ...]]:
    """Every enrolment of the program, then the waiting lines of its newest approved
    allocation whose person holds no enrolment, as rows of `EXPORT_COLUMNS`."""
    enrolments = (
        Enrolment.objects.filter(program=program)
        .select_related("worker", "agency", "funding_source")
        .order_by("pk")
    )
    enrolled: set[int] = set()
    for e in enrolments.iterator(chunk_size=5000):
        enrolled.add(e.worker_id)
        yield (
            e.worker.nik,
            e.worker.name,
            e.kpj,
            e.status,
            _iso(e.started_on),
            _iso(e.ended_on),
            e.end_reason,
            e.agency.code if e.agency else "",
            e.village_id or "",
            e.funding_source.code if e.funding_source else "",
        )
    waiting = (
        AllocationLine.objects.filter(
            allocation__program=program,
            allocation__status=AllocationStatus.APPROVED,
            outcome=LineOutcome.WAITING,
        )
        .select_related("agency", "funding_source", "allocation")
        .order_by("-allocation__decided_at", "-allocation_id", "rank")
    )
    newest: int | None = None
    for line in waiting.iterator(chunk_size=5000):
        newest = line.allocation_id if newest is None else newest
        if line.allocation_id != newest:
            break
        if line.worker_id is not None and line.worker_id in enrolled:
            continue
        yield (
            line.nik,
            line.name,
            "",
            "waiting",
            "",
            "",
            "",
            line.agency.code,
            line.village_id or "",
            line.funding_source.code if line.funding_source else "",
        )
