"""Renewal (issue 11 point 9): last year's participants handed into the new program year as
candidates, so the next verification run re-checks them against the newest register snapshot
and rules (deaths, age, moved, covered elsewhere) and marks them `renewal`, ranked first by
the allocation (DESIGN §3 step 4; the program's Perbup priority policy)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.access import VERIFIERS
from lindung.accounts.models import Actor, User
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.intake.models import (
    RowOutcome,
    Submission,
    SubmissionRow,
    SubmissionSource,
    SubmissionStatus,
)
from lindung.intake.recognise import FIELD_LABELS
from lindung.intake.services.base import ENTRY_FIELDS
from lindung.programs.models import Program
from lindung.workers.models import EndReason, Enrolment, EnrolmentStatus, Worker
from lindung.workers.restrictions import restricted_niks


@dataclass(frozen=True)
class RenewalOutcome:
    created: int  # people handed in now
    submissions: list[int]
    skipped_no_agency: int = 0
    skipped_restricted: int = 0  # processing restricted (UU PDP Pasal 11)


def previous_program(program: Program) -> Program | None:
    """The same Pemda's program of the year before (the newest, if several)."""
    return (
        Program.objects.filter(pemda_id=program.pemda_id, year=program.year - 1)
        .order_by("-start_month", "-pk")
        .first()
    )


def _layout() -> dict[str, object]:
    return {
        "sheets": [
            {
                "name": "",
                "header_row": 0,
                "headers": [str(FIELD_LABELS.get(f, f)) for f in ENTRY_FIELDS],
                "columns": {f: i for i, f in enumerate(ENTRY_FIELDS)},
            }
        ]
    }


def _raw(worker: Worker) -> list[object]:
    values: dict[str, object] = {
        "nik": worker.nik,
        "name": worker.name,
        "birth_place": worker.birth_place,
        "birth_date": worker.birth_date.isoformat() if worker.birth_date else "",
        "sex": worker.sex,
        "address": worker.address,
        "rt": worker.rt,
        "rw": worker.rw,
        "village": worker.village_id or "",
        "district": (worker.village_id or "")[:8],
        "occupation": worker.occupation.name if worker.occupation else "",
        "phone": worker.phone,
    }
    return [values[f] for f in ENTRY_FIELDS]


def _row(worker: Worker, agency_id: int, number: int) -> SubmissionRow:
    return SubmissionRow(
        pemda_id=worker.pemda_id,
        agency_id=agency_id,
        sheet="",
        row_number=number,
        raw=_raw(worker),
        nik=worker.nik,
        name=worker.name,
        birth_place=worker.birth_place,
        birth_date=worker.birth_date,
        sex=worker.sex,
        address=worker.address,
        rt=worker.rt,
        rw=worker.rw,
        village_id=worker.village_id,
        district_id=worker.village_id[:8] if worker.village_id else None,
        occupation_id=worker.occupation_id,
        phone=worker.phone,
        outcome=RowOutcome.ACCEPTED,
        issues=[],
    )


def _user(actor: Actor, program: Program) -> User:
    if (
        not isinstance(actor, User)
        or actor.pemda_id != program.pemda_id
        or not actor.has_role(*VERIFIERS)
    ):
        raise ServiceError(_("Hanya verifikator atau admin Pemda ini yang dapat melakukannya."))
    return actor


def _by_agency(
    enrolments: Iterable[Enrolment], done: set[str], held: set[str]
) -> tuple[dict[int, list[Worker]], int, int]:
    """The workers to hand in per agency, once each, leaving out people already done, with
    no agency (counted) or whose processing is restricted (counted, UU PDP Pasal 11)."""
    by_agency: dict[int, list[Worker]] = {}
    skipped = restricted = 0
    for enrolment in enrolments:
        worker = enrolment.worker
        agency_id = enrolment.agency_id or worker.agency_id
        if worker.nik in done:
            continue
        done.add(worker.nik)
        if worker.nik in held:
            restricted += 1
        elif agency_id is None:
            skipped += 1
        else:
            by_agency.setdefault(agency_id, []).append(worker)
    return by_agency, skipped, restricted


def renewal_candidates_create(*, actor: Actor, program: Program) -> RenewalOutcome:
    """Hand last year's participants (active, or ended because the program ended) into
    `program`, one handed-in submission per agency, built from the worker's data. People
    already handed in for renewal, or holding a slot in `program`, are left out: running
    it twice adds nothing."""
    user = _user(actor, program)
    previous = previous_program(program)
    if previous is None:
        raise ServiceError(_("Tidak ada program tahun sebelumnya untuk diperpanjang."))
    with transaction.atomic():
        done = set(
            SubmissionRow.objects.filter(
                submission__program=program, submission__source=SubmissionSource.RENEWAL
            ).values_list("nik", flat=True)
        ) | set(Enrolment.objects.filter(program=program).values_list("worker__nik", flat=True))
        enrolments = (
            Enrolment.objects.filter(program=previous)
            .filter(
                Q(status=EnrolmentStatus.ACTIVE)
                | Q(status=EnrolmentStatus.ENDED, end_reason=EndReason.PROGRAM_ENDED)
            )
            .select_related("worker", "worker__occupation")
            .order_by("agency_id", "pk")
        )
        by_agency, skipped, restricted = _by_agency(
            enrolments, done, restricted_niks(pemda_id=program.pemda_id)
        )
        now = timezone.now()
        submissions: list[int] = []
        created = 0
        for agency_id, workers in by_agency.items():
            submission = Submission.objects.create(
                pemda_id=program.pemda_id,
                program=program,
                agency_id=agency_id,
                source=SubmissionSource.RENEWAL,
                status=SubmissionStatus.SUBMITTED,
                layout=_layout(),
                rows_total=len(workers),
                accepted=len(workers),
                created_by=user,
                submitted_at=now,
            )
            rows = [_row(w, agency_id, n) for n, w in enumerate(workers, start=1)]
            for row in rows:
                row.submission = submission
            SubmissionRow.objects.bulk_create(rows, batch_size=2_000)
            submissions.append(submission.pk)
            created += len(workers)
        audit_record(
            actor=user,
            action="renewal.candidates_created",
            obj=program,
            pemda=program.pemda,
            changes={
                "previous_program": previous.code,
                "created": created,
                "submissions": submissions,
                "skipped_no_agency": skipped,
                "skipped_restricted": restricted,
            },
        )
    return RenewalOutcome(
        created=created,
        submissions=submissions,
        skipped_no_agency=skipped,
        skipped_restricted=restricted,
    )
