"""BPJS's registration results read back: accepted people become active with their KPJ and
effective date (TMT), rejected ones go back to review with BPJS's reason, NIKs never sent in
the program are reported and change nothing. A second import of the same file changes
nothing (its rows come out `unchanged`).

Synchronous: one transaction, one read of the program's enrolments into a NIK dictionary,
the rows written in bulk, then two UPDATEs that take the KPJ, date and reason from those
rows — no query per row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Final

from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from lindung.accounts.models import Actor
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ConflictError
from lindung.enrollment.bpjs.files import FileSource, bpjs_file_read, import_record, write_lines
from lindung.enrollment.bpjs.recognise import ACCEPTED, REJECTED, BpjsRow, classify_result
from lindung.enrollment.models import BpjsImport, BpjsImportKind, BpjsImportLine, ImportLineOutcome
from lindung.programs.models import Program
from lindung.workers.models import Enrolment, EnrolmentStatus

Outcome = ImportLineOutcome
REPORTED: Final = ("activated", "rejected", "unmatched", "unchanged", "problem", "ignored")
_CHUNK: Final = 2_000
_CAN_ACTIVATE: Final = (EnrolmentStatus.SENT, EnrolmentStatus.APPROVED)
_CAN_REJECT: Final = (EnrolmentStatus.SENT, EnrolmentStatus.APPROVED)


def enrolments_by_nik(program: Program, niks: Iterable[str]) -> dict[str, Enrolment]:
    """The program's enrolments of these NIKs, locked for the transaction."""
    wanted = sorted(set(niks))
    found: dict[str, Enrolment] = {}
    for start in range(0, len(wanted), _CHUNK):
        query: QuerySet[Enrolment] = (
            Enrolment.objects.select_for_update(of=("self",))
            .filter(program=program, worker__nik__in=wanted[start : start + _CHUNK])
            .annotate(worker_nik=F("worker__nik"))
        )
        for enrolment in query:
            found[enrolment.worker_nik] = enrolment  # type: ignore[attr-defined]
    return found


def _apply(row: BpjsRow, enrolment: Enrolment | None, changed: dict[int, Enrolment]) -> BpjsRow:
    """The row's outcome; `enrolment` changed in memory (and noted) when it moves."""
    if row.verdict not in (ACCEPTED, REJECTED):
        return row
    if enrolment is None:
        return replace(row, verdict=Outcome.UNMATCHED, message="NIK tidak pernah dikirim.")
    status = enrolment.status
    if row.verdict == ACCEPTED:
        if status == EnrolmentStatus.ACTIVE:
            if enrolment.kpj == row.kpj and enrolment.started_on == row.effective_on:
                return replace(row, verdict=Outcome.UNCHANGED)
            message = f"Sudah aktif dengan KPJ {enrolment.kpj} TMT {enrolment.started_on:%d-%m-%Y}."
            return replace(row, verdict=Outcome.PROBLEM, message=message)
        if status not in _CAN_ACTIVATE:
            label = EnrolmentStatus(status).label
            return replace(row, verdict=Outcome.PROBLEM, message=f"Status kepesertaan {label}.")
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.kpj = row.kpj
        enrolment.started_on = row.effective_on
        enrolment.bpjs_reason = ""
        enrolment.version += 1
        changed[enrolment.pk] = enrolment
        return replace(row, verdict=Outcome.ACTIVATED)
    reason = (row.reason or row.status_text or "Ditolak BPJS")[:255]
    if status == EnrolmentStatus.REJECTED and enrolment.bpjs_reason == reason:
        return replace(row, verdict=Outcome.UNCHANGED)
    if status not in _CAN_REJECT:
        label = EnrolmentStatus(status).label
        return replace(row, verdict=Outcome.PROBLEM, message=f"Status kepesertaan {label}.")
    enrolment.status = EnrolmentStatus.REJECTED
    enrolment.bpjs_reason = reason
    enrolment.version += 1
    changed[enrolment.pk] = enrolment
    return replace(row, verdict=Outcome.REJECTED, reason=reason)


def _write_changes(source: BpjsImport) -> int:
    """Apply the rows' outcomes to the enrolments in two UPDATEs, reading the KPJ, the date
    and the reason from the lines just written (no statement per row)."""
    now = timezone.now()
    lines = BpjsImportLine.objects.filter(source=source)

    def line_value(outcome: str, field: str) -> Subquery:
        return Subquery(
            lines.filter(outcome=outcome, enrolment_id=OuterRef("pk")).values(field)[:1]
        )

    activated = Enrolment.objects.filter(
        pk__in=lines.filter(outcome=Outcome.ACTIVATED).values("enrolment_id"),
        status__in=_CAN_ACTIVATE,
    ).update(
        status=EnrolmentStatus.ACTIVE,
        kpj=line_value(Outcome.ACTIVATED, "kpj"),
        started_on=line_value(Outcome.ACTIVATED, "effective_on"),
        bpjs_reason="",
        version=F("version") + 1,
        updated_at=now,
    )
    rejected = Enrolment.objects.filter(
        pk__in=lines.filter(outcome=Outcome.REJECTED).values("enrolment_id"),
        status__in=_CAN_REJECT,
    ).update(
        status=EnrolmentStatus.REJECTED,
        bpjs_reason=line_value(Outcome.REJECTED, "reason"),
        version=F("version") + 1,
        updated_at=now,
    )
    return activated + rejected


def bpjs_result_import(
    *, actor: Actor, program: Program, path: FileSource, filename: str
) -> BpjsImport:
    """Read BPJS's result file for `program` and apply it; every row kept with its outcome
    (`BpjsImport.counts`). A file that is no spreadsheet or has no NIK column is refused
    (`ServiceError`) and nothing is written but the refusal's audit event."""
    with bpjs_file_read(
        actor=actor, program=program, source=path, filename=filename, kind=BpjsImportKind.RESULT
    ) as read, transaction.atomic():  # fmt: skip
        rows = [classify_result(row) for row in read.rows]
        known = enrolments_by_nik(
            program, (r.nik for r in rows if r.verdict in (ACCEPTED, REJECTED))
        )
        changed: dict[int, Enrolment] = {}
        outcomes: list[BpjsRow] = []
        enrolment_ids: list[int | None] = []
        for row in rows:
            enrolment = known.get(row.nik) if row.nik else None
            outcome = _apply(row, enrolment, changed)
            outcomes.append(outcome)
            matched = outcome.verdict not in (Outcome.UNMATCHED, Outcome.IGNORED)
            enrolment_ids.append(enrolment.pk if enrolment is not None and matched else None)
        counts = Counter(o.verdict for o in outcomes)
        source = import_record(
            actor=actor, program=program, kind=BpjsImportKind.RESULT, filename=filename, read=read
        )
        source.counts = {key: counts.get(key, 0) for key in REPORTED}
        source.save(update_fields=["counts"])
        write_lines(source, outcomes, enrolment_ids)
        moved = _write_changes(source)
        if moved != len(changed):
            raise ConflictError()
        audit_record(
            actor=actor,
            action="bpjs.result_imported",
            obj=source,
            pemda=program.pemda,
            changes={"file": source.original_name, "counts": source.counts},
        )
    return source
