"""The roster BPJS keeps of a Pemda's group, imported when the Pemda adopts Lindung
mid-programme: each active row becomes a worker (found by NIK in the Pemda, or new) and an
active enrolment marked as imported, paid by the program's funding source whose BPJS code
the row names. Unknown codes and NIK problems are problem rows; non-active rows are ignored
with a note; nothing is dropped silently. Importing the same roster again changes nothing.

Bulk writes only (37.500 rows in seconds): one read of the Pemda's workers and the program's
enrolments into dictionaries, the new ones written with `common.bulk.insert_rows`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Final

from django.db import connection, transaction
from django.utils import timezone

from lindung.accounts.models import Actor
from lindung.audit.services import audit_record
from lindung.common.bulk import insert_rows
from lindung.domain.nik import parse_nik
from lindung.enrollment.bpjs.files import FileSource, bpjs_file_read, import_record, write_lines
from lindung.enrollment.bpjs.recognise import ACCEPTED, BpjsRow, classify_roster
from lindung.enrollment.models import BpjsImport, BpjsImportKind, ImportLineOutcome
from lindung.intake.models import SubmissionRow
from lindung.programs.models import FundingSource, Program
from lindung.regions.models import Region, RegionLevel
from lindung.workers.models import Enrolment, EnrolmentStatus, Worker

Outcome = ImportLineOutcome
REPORTED: Final = ("imported", "unchanged", "problem", "ignored")
_CHUNK: Final = 2_000


def funding_by_code(program: Program) -> dict[str, FundingSource]:
    """BPJS funding code → the program's source; of several, the one without an agency."""
    chosen: dict[str, FundingSource] = {}
    for source in FundingSource.objects.filter(program=program).order_by("pk"):
        current = chosen.get(source.bpjs_code)
        if current is None or (current.agency_id is not None and source.agency_id is None):
            chosen[source.bpjs_code] = source
    return chosen


def _in_chunks(values: Iterable[str]) -> Iterable[list[str]]:
    wanted = sorted(set(values))
    for start in range(0, len(wanted), _CHUNK):
        yield wanted[start : start + _CHUNK]


@dataclass
class _Plan:
    """What the roster's rows make: new workers, new enrolments (by NIK), outcomes."""

    program: Program
    sources: dict[str, FundingSource]
    workers: dict[str, Worker]
    enrolled: dict[int, Enrolment]  # worker id → the program's enrolment
    as_of: dt.date
    villages: frozenset[str] = frozenset()  # the Pemda's village codes
    new_workers: dict[str, Worker] = field(default_factory=dict)
    new_enrolments: dict[str, Enrolment] = field(default_factory=dict)

    def row(self, row: BpjsRow) -> BpjsRow:
        """The row's outcome; a new worker and enrolment planned when it is imported."""
        if row.verdict != ACCEPTED:
            return row
        planned = self.new_enrolments.get(row.nik)
        worker = self.workers.get(row.nik)
        existing = planned or (self.enrolled.get(worker.pk) if worker is not None else None)
        if existing is not None:
            if existing.kpj == row.kpj:
                return replace(row, verdict=Outcome.UNCHANGED)
            message = f"Sudah tercatat di program ini dengan KPJ {existing.kpj or '-'}."
            return replace(row, verdict=Outcome.PROBLEM, message=message)
        source = self._source(row.funding_code)
        if source is None:
            shown = row.funding_code or "kosong"
            return replace(
                row, verdict=Outcome.PROBLEM, message=f"Kode dana tidak dikenal ({shown})."
            )
        if worker is None:
            made = self._new_worker(row)
            if isinstance(made, str):
                return replace(row, verdict=Outcome.PROBLEM, message=made)
            worker = made
        self.new_enrolments[row.nik] = self._enrolment(row, worker, source)
        return replace(row, verdict=Outcome.IMPORTED)

    def _source(self, code: str) -> FundingSource | None:
        if not code and len(self.sources) == 1:
            return next(iter(self.sources.values()))
        return self.sources.get(code)

    def _new_worker(self, row: BpjsRow) -> Worker | str:
        checked = parse_nik(row.nik, as_of=self.as_of)
        if not checked.valid:
            return checked.errors[0].message[:255] if checked.errors else "NIK tidak sah."
        if not row.name:
            return "Nama kosong."
        worker = Worker(
            pemda_id=self.program.pemda_id,
            nik=row.nik,
            name=row.name[:150],
            birth_date=row.birth_date or checked.birth_date,
            sex=checked.sex or "",
            village_id=self._village(row),
        )
        self.new_workers[row.nik] = worker
        return worker

    def _village(self, row: BpjsRow) -> str | None:
        """The row's village when its code is one of the Pemda's."""
        return row.village_code if row.village_code in self.villages else None

    def _enrolment(self, row: BpjsRow, worker: Worker, source: FundingSource) -> Enrolment:
        effective = row.effective_on
        return Enrolment(
            pemda_id=self.program.pemda_id,
            program=self.program,
            worker=worker,
            agency_id=source.agency_id or worker.agency_id,
            village_id=worker.village_id or self._village(row),
            funding_source=source,
            kpj=row.kpj,
            status=EnrolmentStatus.ACTIVE,
            start_month=effective.replace(day=1) if effective else self.program.start_month,
            started_on=effective,
            imported=True,
        )


def _plan_for(program: Program, rows: list[BpjsRow]) -> _Plan:
    niks = [r.nik for r in rows if r.verdict == ACCEPTED]
    workers: dict[str, Worker] = {}
    for chunk in _in_chunks(niks):
        for worker in Worker.objects.filter(pemda_id=program.pemda_id, nik__in=chunk):
            workers[worker.nik] = worker
    enrolled: dict[int, Enrolment] = {}
    ids = [w.pk for w in workers.values()]
    for start in range(0, len(ids), _CHUNK):
        for enrolment in Enrolment.objects.filter(
            program=program, worker_id__in=ids[start : start + _CHUNK]
        ):
            enrolled[enrolment.worker_id] = enrolment
    villages = frozenset(
        Region.objects.filter(
            code__startswith=f"{program.pemda.region_id}.", level=RegionLevel.VILLAGE
        ).values_list("code", flat=True)
    )
    return _Plan(
        program, funding_by_code(program), workers, enrolled, timezone.localdate(), villages
    )


WORKER_COLUMNS: Final = (
    "pemda_id", "nik", "name", "birth_place", "birth_date", "sex", "address", "rt", "rw",
    "phone", "village_id", "created_at",
)  # fmt: skip
ENROLMENT_COLUMNS: Final = (
    "pemda_id", "program_id", "worker_id", "agency_id", "village_id", "funding_source_id",
    "kpj", "status", "start_month", "started_on", "end_reason", "bpjs_reason", "imported",
    "version", "created_at", "updated_at",
)  # fmt: skip


def _insert(program: Program, plan: _Plan) -> None:
    """Write the planned workers and enrolments with the one bulk writer, then read back
    their ids (the lines point at the enrolments)."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    day = ops.adapt_datefield_value
    insert_rows(
        Worker,
        WORKER_COLUMNS,
        (
            (
                w.pemda_id,
                w.nik,
                w.name,
                "",
                day(w.birth_date),
                w.sex,
                "",
                "",
                "",
                "",
                w.village_id,
                now,
            )
            for w in plan.new_workers.values()
        ),
    )
    for chunk in _in_chunks(plan.new_workers):
        for nik, pk in Worker.objects.filter(pemda_id=program.pemda_id, nik__in=chunk).values_list(
            "nik", "pk"
        ):
            plan.new_workers[nik].pk = pk
    rows = []
    for e in plan.new_enrolments.values():
        e.worker_id = e.worker.pk
        rows.append(
            (
                e.pemda_id,
                e.program_id,
                e.worker_id,
                e.agency_id,
                e.village_id,
                e.funding_source_id,
                e.kpj,
                e.status,
                day(e.start_month),
                day(e.started_on),
                "",
                "",
                True,
                1,
                now,
                now,
            )
        )
    insert_rows(Enrolment, ENROLMENT_COLUMNS, rows)
    by_worker = {e.worker_id: e for e in plan.new_enrolments.values()}
    ids = list(by_worker)
    for start in range(0, len(ids), _CHUNK):
        for worker_id, pk in Enrolment.objects.filter(
            program=program, worker_id__in=ids[start : start + _CHUNK]
        ).values_list("worker_id", "pk"):
            by_worker[worker_id].pk = pk


def _matched_to_submissions(program: Program, niks: Iterable[str]) -> int:
    matched = 0
    for chunk in _in_chunks(niks):
        matched += (
            SubmissionRow.objects.filter(submission__program=program, nik__in=chunk)
            .values("nik")
            .distinct()
            .count()
        )
    return matched


def participants_roster_import(
    *, actor: Actor, program: Program, path: FileSource, filename: str
) -> BpjsImport:
    """Import BPJS's roster of the Pemda's participants into `program`. `counts` holds the
    outcomes and `matched_to_submissions` (imported people an agency had also proposed)."""
    with bpjs_file_read(
        actor=actor, program=program, source=path, filename=filename, kind=BpjsImportKind.ROSTER
    ) as read, transaction.atomic():  # fmt: skip
        rows = [classify_roster(row) for row in read.rows]
        plan = _plan_for(program, rows)
        outcomes = [plan.row(row) for row in rows]
        _insert(program, plan)
        counts = Counter(o.verdict for o in outcomes)
        source = import_record(
            actor=actor, program=program, kind=BpjsImportKind.ROSTER, filename=filename, read=read
        )
        source.counts = {key: counts.get(key, 0) for key in REPORTED}
        source.counts["matched_to_submissions"] = _matched_to_submissions(
            program, plan.new_enrolments
        )
        source.save(update_fields=["counts"])
        enrolment_ids: list[int | None] = []
        for outcome in outcomes:
            planned = plan.new_enrolments.get(outcome.nik)
            keep = outcome.verdict == Outcome.IMPORTED and planned is not None
            enrolment_ids.append(planned.pk if keep and planned is not None else None)
        write_lines(source, outcomes, enrolment_ids)
        audit_record(
            actor=actor,
            action="bpjs.roster_imported",
            obj=source,
            pemda=program.pemda,
            changes={"file": source.original_name, "counts": source.counts},
        )
    return source
