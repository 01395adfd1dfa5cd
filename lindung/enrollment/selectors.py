"""Reads of enrollment, scoped to the user: the participants register (search and filters
fast at 500.000 participants), one participant's whole history, and what cards and the
participants export read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import Upper

from lindung.accounts.access import get_scoped_or_404, scope_to_user
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
from lindung.verification.models import RowVerdict
from lindung.workers.models import Enrolment, EnrolmentStatus

NAME_SEARCH_MIN = 2
COUNT_CAP = 10_000
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
    `capped`: more than COUNT_CAP matched a filter no index counts cheaply (name, area,
    occupation); the figures then stop at the first COUNT_CAP rows."""

    by_status: dict[str, int] = field(default_factory=dict)
    capped: bool = False

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.by_status.get(s.value, 0)) for s in EnrolmentStatus]


def _scoped(user: User, program: Program) -> QuerySet[Enrolment]:
    return scope_to_user(Enrolment.objects.filter(program=program), user, agency_field="agency")


def _narrow(qs: QuerySet[Enrolment], filters: ParticipantFilters) -> QuerySet[Enrolment]:
    """Every filter but the status, each on an indexed column (see `workers.Enrolment`)."""
    if filters.nik:
        qs = qs.filter(worker__nik=filters.nik)
    if filters.kpj:
        qs = qs.filter(kpj=filters.kpj)
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
    """How many participants each status holds under the filters, in one grouped query.
    Program, agency and funding source are counted exactly from the covering indexes
    (program, agency, status) and (program, funding_source, status); a name, area or
    occupation filter counts at most COUNT_CAP rows (at 500.000 participants an exact count
    there would read tens of thousands of rows on every page)."""
    qs = _narrow(_scoped(user, program), filters).order_by()
    if not (filters.name or filters.area or filters.occupation_id):
        return ParticipantCounts(by_status=dict(qs.values_list("status").annotate(n=Count("pk"))))
    sql, params = qs.values_list("status", flat=True)[: COUNT_CAP + 1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.status, COUNT(*) FROM ({sql}) t GROUP BY t.status",  # noqa: S608 - ORM SQL
            params,
        )
        by_status = dict(cursor.fetchall())
    if sum(by_status.values()) > COUNT_CAP:
        return ParticipantCounts(by_status=by_status, capped=True)
    return ParticipantCounts(by_status=by_status)


def participant_list(
    *, user: User, program: Program, filters: ParticipantFilters
) -> QuerySet[Enrolment]:
    """The program's participants the user may see, narrowed by `filters`: by name when a
    name is searched, else the newest first."""
    qs = _narrow(_scoped(user, program), filters)
    if filters.status in EnrolmentStatus.values:
        qs = qs.filter(status=filters.status)
    qs = qs.select_related("worker", "agency", "village", "funding_source")
    if len(filters.name.strip()) >= NAME_SEARCH_MIN:
        return qs.order_by(Upper("worker__name"), "pk")
    return qs.order_by("-pk")


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
