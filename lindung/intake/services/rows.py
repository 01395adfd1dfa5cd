"""Rows and states shared by the intake services: checking rows, storing their fields and
issues, revisions and recounts, job progress, and the audited state transitions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Agency
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import JobStatus, job_beat, job_failed
from lindung.common.tabular import Sheet
from lindung.intake.models import (
    ImportJob,
    RowOutcome,
    RowRevision,
    Submission,
    SubmissionRow,
    SubmissionStatus,
)
from lindung.intake.normalise import RowIssue
from lindung.intake.resolvers import OccupationResolver, RegionResolver
from lindung.intake.rowcheck import (
    CheckContext,
    RowResult,
)
from lindung.intake.services.base import ROW_FIELDS, user_or_none
from lindung.programs.models import Occupation, Program, ProgramStatus
from lindung.regions.models import Region, RegionLevel


def check_can_submit(*, program: Program, agency: Agency) -> None:
    if program.pemda_id != agency.pemda_id:
        raise ServiceError(_("Instansi tidak ditemukan di Pemda ini."))
    if program.status != ProgramStatus.OPEN:
        raise ServiceError(_("Program %(p)s tidak sedang menerima usulan.") % {"p": program.name})
    if not agency.is_active:
        raise ServiceError(_("Instansi %(a)s tidak aktif.") % {"a": agency.name})


def duplicate_in_submission(
    submission: Submission, result: RowResult, *, exclude: int | None
) -> RowResult | None:
    nik = result.values.get("nik")
    if not nik or result.outcome == "rejected":
        return None
    others = SubmissionRow.objects.filter(submission=submission, nik=nik)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    other = others.exclude(outcome=RowOutcome.REJECTED).first()
    if other is None:
        return None
    return duplicate_of(result, other.row_number)


def duplicate_of(result: RowResult, row_number: int) -> RowResult:
    """`result` rejected as having the NIK of row `row_number` of the same submission."""
    issue = RowIssue(
        field="nik",
        code="dup_in_file",
        severity="error",
        message=_("NIK sama dengan baris %(n)s.") % {"n": row_number},
    )
    return RowResult(
        row_number=result.row_number,
        values=result.values,
        issues=[*result.issues, issue],
        outcome="rejected",
    )


def transition(
    *,
    actor: Actor,
    submission: Submission,
    source: str,
    target: str,
    action: str,
    refusal: str,
    **extra: Any,
) -> Submission:
    """Move a submission from `source` to `target` with a conditional UPDATE on its status and
    the version the caller saw, so two people acting at once cannot both succeed; audited."""
    with transaction.atomic():
        updated = Submission.objects.filter(
            pk=submission.pk, status=source, version=submission.version
        ).update(status=target, version=submission.version + 1, **extra)
        if not updated:
            raise ServiceError(refusal)
        submission.refresh_from_db()
        audit_record(
            actor=actor, action=action, obj=submission, changes={"status": [source, target]}
        )
    return submission


def touch_draft(submission: Submission) -> None:
    """Inside a transaction: bump the version of a submission that must still be a draft.

    The conditional UPDATE locks the row (PostgreSQL) and changes its version, so a hand-in
    racing with a correction or an entry either waits and then sees a new version (and is
    refused as stale), or has already locked the submission (and the change is refused)."""
    touched = Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.DRAFT).update(
        version=F("version") + 1
    )
    if not touched:
        raise ServiceError(_("Usulan sudah diserahkan dan terkunci."))
    submission.version = Submission.objects.values_list("version", flat=True).get(pk=submission.pk)


def raw_with(row: SubmissionRow, values: Mapping[str, object]) -> list[object]:
    """The row's cells in its original layout with the corrected values written into the
    columns they came from, so the feedback file still lines up with the agency's own."""
    sheets: list[dict[str, Any]] = row.submission.layout.get("sheets", [])
    spec: dict[str, Any] = next((s for s in sheets if s.get("name") == row.sheet), {})
    columns: dict[str, int] = {k: int(v) for k, v in (spec.get("columns") or {}).items()}
    raw = list(row.raw) + [""] * max(0, max(columns.values(), default=-1) + 1 - len(row.raw))
    combined = {
        "birth_place_date": ", ".join(
            str(values[k]) for k in ("birth_place", "birth_date") if values.get(k)
        ),
        "rt_rw": "/".join(str(values.get(k) or "") for k in ("rt", "rw")).strip("/"),
    }
    for field, column in columns.items():
        if field in values:
            raw[column] = jsonable_cell(values[field])
        elif field in combined:
            raw[column] = combined[field]
    return raw


def revise(
    row: SubmissionRow,
    *,
    raw: list[object],
    result: RowResult,
    source: str,
    actor: Actor | None,
) -> SubmissionRow:
    """Keep the row's current state as a revision, then write the new one."""
    RowRevision.objects.create(
        row=row,
        revision=row.revision,
        raw=row.raw,
        values={name: jsonable_cell(getattr(row, name)) for name in ROW_FIELDS}
        | {"village": row.village_id, "district": row.district_id, "occupation": row.occupation_id},
        outcome=row.outcome,
        issues=row.issues,
        source=source,
        changed_by=user_or_none(actor),
    )
    for name, value in row_fields(result).items():
        setattr(row, name, value)
    row.raw = raw
    row.outcome = result.outcome
    row.issues = issues_of(result)
    row.revision += 1
    row.save()
    return row


def submission_recount(submission: Submission) -> dict[str, int]:
    counts = dict(
        SubmissionRow.objects.filter(submission=submission)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    fields = {
        "accepted": counts.get(RowOutcome.ACCEPTED, 0),
        "accepted_with_warnings": counts.get(RowOutcome.ACCEPTED_WITH_WARNINGS, 0),
        "rejected": counts.get(RowOutcome.REJECTED, 0),
        "ignored": counts.get(RowOutcome.IGNORED, 0),
    }
    fields["rows_total"] = sum(fields.values())
    Submission.objects.filter(pk=submission.pk).update(**fields)
    for key, value in fields.items():
        setattr(submission, key, value)
    return fields


def job_progress(job: ImportJob, *, phase: str, percent: int) -> None:
    job_beat(job, progress=percent, phase=phase)


def check_context(program: Program) -> CheckContext:
    """What rows are checked against: the Pemda's districts and villages, and the program's
    occupations (all the Pemda's active ones when the program does not restrict them)."""
    regency = program.pemda.region_id
    districts = list(
        Region.objects.filter(
            code__startswith=regency + ".", level=RegionLevel.DISTRICT
        ).values_list("code", "name")
    )
    villages = list(
        Region.objects.filter(
            code__startswith=regency + ".", level=RegionLevel.VILLAGE
        ).values_list("code", "name")
    )
    # Job texts are recognised against the Pemda's whole list; whether the program covers
    # the job is a separate finding (see `program_occupation_check`).
    occupations = Occupation.objects.filter(pemda_id=program.pemda_id, is_active=True)
    return CheckContext(
        as_of=timezone.localdate(),
        regions=RegionResolver(districts, villages),
        occupations=OccupationResolver([(o.pk, o.name, list(o.synonyms)) for o in occupations]),
    )


def program_occupation_check(program: Program) -> Callable[[RowResult], RowResult]:
    """A warning for a recognised job the program does not cover (eligibility is decided at
    verification, so the row is kept)."""
    allowed = dict(program.occupations.filter(is_active=True).values_list("pk", "name"))
    if not allowed:
        return lambda result: result
    names = dict(Occupation.objects.filter(pemda_id=program.pemda_id).values_list("pk", "name"))

    issues: dict[int, RowIssue] = {}

    def check(result: RowResult) -> RowResult:
        occupation_id = result.values.get("occupation_id")
        if not isinstance(occupation_id, int) or occupation_id in allowed:
            return result
        if result.outcome == "ignored":
            return result
        if occupation_id not in issues:
            issues[occupation_id] = RowIssue(
                field="occupation",
                code="occupation_not_in_program",
                severity="warning",
                message=_("Jenis pekerjaan %(job)s tidak termasuk dalam program %(program)s.")
                % {"job": names.get(occupation_id, "?"), "program": program.name},
            )
        result.issues.append(issues[occupation_id])
        if result.outcome == "accepted":
            result.outcome = "accepted_with_warnings"
        return result

    return check


def jsonable_cell(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


@dataclass(frozen=True)
class SourceRow:
    sheet: str
    row_number: int  # 1-based, as the user sees it in the spreadsheet
    raw: list[object]
    mapped: dict[str, object]


def source_rows(sheets: Sequence[Sheet], options: Mapping[str, Any]) -> list[SourceRow]:
    by_name = {sheet.name: sheet for sheet in sheets}
    rows: list[SourceRow] = []
    for spec in options["sheets"]:
        sheet = by_name.get(spec["name"])
        if sheet is None:
            raise ServiceError(_("Lembar %(s)s tidak ada di file.") % {"s": spec["name"]})
        columns: dict[str, int] = {k: int(v) for k, v in spec["columns"].items()}
        for index in range(spec["header_row"] + 1, len(sheet.rows)):
            cells = sheet.rows[index]
            mapped = {
                field: (cells[col] if col < len(cells) else "") for field, col in columns.items()
            }
            rows.append(
                # Cells stay as read; dates are written as ISO text when stored (batch.py).
                SourceRow(sheet.name, index + 1, cells, mapped)
            )
    return rows


def row_fields(result: RowResult) -> dict[str, Any]:
    values = result.values
    fields: dict[str, Any] = {name: values.get(name) for name in ROW_FIELDS}
    fields = {
        k: ("" if v is None and k not in ("birth_date", "income") else v) for k, v in fields.items()
    }
    # Normalised text is cut to its column (PostgreSQL enforces the length); the cells as
    # written stay whole in `raw`.
    for name, limit in TEXT_LIMITS.items():
        if isinstance(fields.get(name), str):
            fields[name] = fields[name][:limit]
    fields["village_id"] = values.get("village_code")
    fields["district_id"] = values.get("district_code")
    fields["occupation_id"] = values.get("occupation_id")
    return fields


TEXT_LIMITS = {
    f.attname: f.max_length
    for f in SubmissionRow._meta.concrete_fields
    if f.attname in ROW_FIELDS and getattr(f, "max_length", None)
}


def issues_of(result: RowResult) -> list[dict[str, str]]:
    return [
        {"field": i.field, "code": i.code, "message": i.message, "severity": i.severity}
        for i in result.issues
    ]


def job_actor(job: ImportJob) -> Any:
    """Who queued the job: the user, or the channel (e.g. "cli") that did."""
    return job.created_by or job.options.get("actor") or "sistem"


def job_fail(job: ImportJob, message: str) -> None:
    job_failed(job, message)


def job_finish(
    job: ImportJob, submission: Submission, result: dict[str, int], *, action: str
) -> None:
    """Mark the job done and audit what it did, in the transaction that stored its rows."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        progress=100,
        phase=_("Selesai"),
        submission=submission,
        result=result,
        finished_at=timezone.now(),
    )
    audit_record(
        actor=job_actor(job),
        action=action,
        obj=submission,
        changes={"file": job.file.original_name, **result},
    )
