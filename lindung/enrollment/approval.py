"""Writes of the maker–checker step: the Kepala Dinas approves a verifier's allocation
proposal (its allocated people become enrolments) or returns it with a note; a verifier
proposes to refill freed places from the waiting list of the last approved allocation.

Nobody approves their own proposal, and two approvals at once never overbook: the program
row is locked (PostgreSQL `SELECT ... FOR UPDATE`; SQLite serialises writers with
`BEGIN IMMEDIATE`) before the room left is counted, and the proposal moves on a conditional
UPDATE of its status and version."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.access import VERIFIERS, sees_full_nik
from lindung.accounts.models import Actor, Role, User
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.common.retry import when_locked
from lindung.domain.allocation import add_months
from lindung.domain.rulebook import month_start
from lindung.enrollment.approval_fit import Demand, Room, months_from, room_now
from lindung.enrollment.approval_fit import shortfalls as room_shortfalls
from lindung.enrollment.models import (
    Allocation,
    AllocationKind,
    AllocationLine,
    AllocationStatus,
    LineOutcome,
)
from lindung.programs.models import FundingSource, Program
from lindung.workers.models import Enrolment, EnrolmentStatus, Worker
from lindung.workers.restrictions import restricted_niks

# SQLite reports a writer it could not wait for as "database is locked" (a shared-cache test
# database as "database table is locked"); the whole transaction is tried again.


class ApprovalRefused(ServiceError):
    """The proposal no longer fits the quota or the money left; nothing was written."""


@dataclass(frozen=True)
class ApprovalResult:
    allocation: Allocation
    approved: int
    skipped: int
    cost: int
    held_restricted: int = 0  # processing restricted since the proposal (UU PDP Pasal 11)


def _checker(actor: Actor, allocation: Allocation) -> User:
    """The Kepala Dinas of the proposal's Pemda, who did not make it."""
    if (
        not isinstance(actor, User)
        or not actor.is_active
        or actor.pemda_id != allocation.pemda_id
        or actor.role != Role.APPROVER
    ):
        raise ServiceError(_("Hanya Kepala Dinas yang dapat menyetujui atau mengembalikan usulan."))
    if actor.pk == allocation.proposed_by_id:
        raise ServiceError(
            _("Usulan tidak dapat diputuskan oleh pengusulnya sendiri (prinsip empat mata).")
        )
    return actor


def _decide(allocation: Allocation, user: User, status: str, **extra: object) -> dict[str, object]:
    """Move a proposal on, only from `proposed` at the version the caller saw. Returns the
    new values, to set on ``allocation`` once the transaction is committed."""
    values: dict[str, object] = {
        "status": status,
        "version": allocation.version + 1,
        "decided_by": user,
        "decided_at": timezone.now(),
        **extra,
    }
    moved = Allocation.objects.filter(
        pk=allocation.pk, status=AllocationStatus.PROPOSED, version=allocation.version
    ).update(**values)
    if not moved:
        raise ServiceError(
            _("Usulan ini sudah diputuskan atau baru saja diubah; muat ulang halaman.")
        )
    return values


def _set(allocation: Allocation, values: dict[str, object]) -> None:
    for name, value in values.items():
        setattr(allocation, name, value)


def _workers_for(pemda_id: int, lines: Sequence[AllocationLine]) -> dict[str, int]:
    """Worker ids by NIK in the Pemda; the missing ones are made from the lines."""
    niks = [line.nik for line in lines]
    found = dict(Worker.objects.filter(pemda_id=pemda_id, nik__in=niks).values_list("nik", "pk"))
    missing = [line for line in lines if line.nik not in found]
    if missing:
        Worker.objects.bulk_create(
            [
                Worker(
                    pemda_id=pemda_id,
                    nik=line.nik,
                    name=line.name,
                    birth_date=line.birth_date,
                    village_id=line.village_id,
                    occupation_id=line.occupation_id,
                    agency_id=line.agency_id,
                )
                for line in missing
            ],
            ignore_conflicts=True,
        )
        found.update(
            Worker.objects.filter(
                pemda_id=pemda_id, nik__in=[line.nik for line in missing]
            ).values_list("nik", "pk")
        )
    return found


def _not_enrolled(program: Program, lines: list[AllocationLine]) -> list[AllocationLine]:
    """The lines whose person holds no enrolment in ``program`` yet."""
    known = dict(
        Worker.objects.filter(
            pemda_id=program.pemda_id, nik__in=[line.nik for line in lines]
        ).values_list("nik", "pk")
    )
    enrolled = set(
        Enrolment.objects.filter(program=program, worker_id__in=list(known.values())).values_list(
            "worker_id", flat=True
        )
    )
    return [line for line in lines if known.get(line.nik) not in enrolled]


def _enrol(program: Program, lines: list[AllocationLine], start: dt.date) -> None:
    """Approved enrolments for ``lines`` (workers made or reused by NIK), lines linked."""
    workers = _workers_for(program.pemda_id, lines)
    now = timezone.now()
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                pemda_id=program.pemda_id,
                program=program,
                worker_id=workers[line.nik],
                agency_id=line.agency_id,
                village_id=line.village_id,
                funding_source_id=line.funding_source_id,
                status=EnrolmentStatus.APPROVED,
                start_month=start,
                approved_at=now,
            )
            for line in lines
        ],
        batch_size=2000,
    )
    enrolment_of = dict(
        Enrolment.objects.filter(
            program=program, worker_id__in=[workers[line.nik] for line in lines]
        ).values_list("worker_id", "pk")
    )
    for line in lines:
        line.worker_id = workers[line.nik]
        line.enrolment_id = enrolment_of[line.worker_id]
    AllocationLine.objects.bulk_update(lines, ["worker", "enrolment"], batch_size=2000)


def _approve_once(user: User, allocation: Allocation) -> ApprovalResult:
    with transaction.atomic():
        # The lock first, then the count: a second approval waits here until the first is
        # committed, and then counts what the first took.
        program = Program.objects.select_for_update().get(pk=allocation.program_id)
        decided = _decide(allocation, user, AllocationStatus.APPROVED)
        lines = list(
            AllocationLine.objects.filter(
                allocation=allocation, outcome=LineOutcome.ALLOCATED
            ).order_by("rank")
        )
        fresh = _not_enrolled(program, lines)
        held = restricted_niks(pemda_id=program.pemda_id)
        restricted = [line for line in fresh if line.nik in held]
        fresh = [line for line in fresh if line.nik not in held]
        room = room_now(program)
        start = allocation.start_month
        problems = room_shortfalls(
            room,
            [Demand(line.agency_id, line.village_id, line.funding_source_id) for line in fresh],
            start,
        )
        if problems:
            raise ApprovalRefused(
                _("Usulan tidak dapat disetujui, tidak ada yang disimpan: %(why)s")
                % {"why": " ".join(problems)}
            )
        _enrol(program, fresh, start)
        cost = sum(room.cost(line.funding_source_id or 0, start) for line in fresh)
        skipped = len(lines) - len(fresh) - len(restricted)
        audit_record(
            actor=user,
            action="allocation.approved",
            obj=allocation,
            pemda=program.pemda,
            changes={
                "program": program.code,
                "approved": len(fresh),
                "skipped_already_enrolled": skipped,
                "cost": cost,
                "start_month": start.isoformat(),
                **({"held_restricted": len(restricted)} if restricted else {}),
            },
        )
    _set(allocation, decided)
    return ApprovalResult(
        allocation=allocation,
        approved=len(fresh),
        skipped=skipped,
        cost=cost,
        held_restricted=len(restricted),
    )


def allocation_approve(*, actor: Actor, allocation: Allocation) -> ApprovalResult:
    """The Kepala Dinas approves a proposal: its allocated people become approved enrolments
    (workers made or reused by NIK), unless the room left no longer holds them all — then
    nothing is written and the reason is given. People already enrolled in the program are
    skipped and counted."""
    user = _checker(actor, allocation)
    return when_locked(lambda: _approve_once(user, allocation))


def allocation_return(*, actor: Actor, allocation: Allocation, note: str) -> Allocation:
    """The Kepala Dinas returns a proposal to the verifier with a note saying why."""
    user = _checker(actor, allocation)
    note = (note or "").strip()
    if not note:
        raise ServiceError(_("Tuliskan catatan alasan pengembalian."))

    def work() -> Allocation:
        with transaction.atomic():
            decided = _decide(allocation, user, AllocationStatus.RETURNED, note=note)
            audit_record(
                actor=user,
                action="allocation.returned",
                obj=allocation,
                changes={"note": note, "allocated": allocation.allocated},
            )
        _set(allocation, decided)
        return allocation

    return when_locked(work)


# --- Refill from the waiting list ----------------------------------------------------------


def _source_for(line: AllocationLine, sources: Sequence[FundingSource]) -> int | None:
    """The source the line was given; else the one its agency manages; else a general one."""
    if line.funding_source_id:
        return line.funding_source_id
    for source in sources:
        if source.agency_id == line.agency_id:
            return source.pk
    general = [s for s in sources if s.agency_id is None]
    return general[0].pk if general else None


def _refill_lines(
    program: Program, base: Allocation, room: Room, start: dt.date
) -> list[tuple[AllocationLine, int]]:
    """Waiting people of ``base`` in rank order, not enrolled since, who fit the room."""
    enrolled = set(Enrolment.objects.filter(program=program).values_list("worker__nik", flat=True))
    enrolled |= restricted_niks(pemda_id=program.pemda_id)  # UU PDP Pasal 11: not offered
    sources = list(program.funding_sources.order_by("pk"))
    chosen: list[tuple[AllocationLine, int]] = []
    waiting = base.lines.filter(outcome=LineOutcome.WAITING).order_by("rank")
    for line in waiting.iterator(chunk_size=2000):
        if room.program_free < 1:
            break
        if line.nik in enrolled:
            continue
        source_id = _source_for(line, sources)
        if source_id is not None and room.take(
            Demand(line.agency_id, line.village_id, source_id), start
        ):
            chosen.append((line, source_id))
    return chosen


def _refill_check(actor: Actor, program: Program, as_of: dt.date) -> tuple[User, dt.date, int]:
    if (
        not isinstance(actor, User)
        or not actor.is_active
        or actor.pemda_id != program.pemda_id
        or not actor.has_role(*VERIFIERS)
    ):
        raise ServiceError(_("Hanya verifikator yang dapat mengusulkan pengisian slot kosong."))
    start = max(add_months(month_start(as_of), 1), program.start_month.replace(day=1))
    months = months_from(program, start)
    if months < 1:
        raise ServiceError(_("Tahun program sudah berakhir; tidak ada bulan tersisa untuk diisi."))
    return actor, start, months


def _copy_line(
    line: AllocationLine, allocation: Allocation, rank: int, source_id: int
) -> AllocationLine:
    copied = {
        f.attname: getattr(line, f.attname)
        for f in AllocationLine._meta.concrete_fields
        if f.attname
        not in {"id", "allocation_id", "rank", "enrolment_id", "outcome", "wait_reason"}
    }
    copied["funding_source_id"] = source_id
    return AllocationLine(
        allocation=allocation, rank=rank, outcome=LineOutcome.ALLOCATED, wait_reason="", **copied
    )


def allocation_refill_propose(*, actor: Actor, program: Program, as_of: dt.date) -> Allocation:
    """A verifier proposes the first people of the waiting list of the program's latest
    approved allocation who now fit the places and money freed (ended enrolments free their
    place), from the month after ``as_of``. The Kepala Dinas approves it like any proposal."""
    user, start, months = _refill_check(actor, program, as_of)
    with transaction.atomic():
        Program.objects.select_for_update().get(pk=program.pk)
        pending = Allocation.objects.filter(
            program=program, kind=AllocationKind.REFILL, status=AllocationStatus.PROPOSED
        )
        if pending.exists():
            raise ServiceError(_("Masih ada usulan pengisian slot yang menunggu persetujuan."))
        base = (
            Allocation.objects.filter(
                program=program, kind=AllocationKind.ALLOCATION, status=AllocationStatus.APPROVED
            )
            .order_by("-decided_at", "-pk")
            .first()
        )
        if base is None:
            raise ServiceError(_("Belum ada alokasi yang disetujui; daftar tunggu belum ada."))
        room = room_now(program)
        quota_free, budget_free = (
            room.program_free,
            sum(max(v, 0) for v in room.money_free.values()),
        )
        chosen = _refill_lines(program, base, room, start)
        if not chosen:
            raise ServiceError(
                _("Belum ada slot atau dana yang cukup untuk orang berikutnya di daftar tunggu.")
            )
        cost = sum(room.cost(source_id, start) for _line, source_id in chosen)
        allocation = Allocation.objects.create(
            pemda_id=program.pemda_id,
            program=program,
            kind=AllocationKind.REFILL,
            run=base.run,
            start_month=start,
            months=months,
            benefits=list(program.benefits),
            monthly_premium=base.monthly_premium,
            quota_free=quota_free,
            budget_available=budget_free,
            allocated=len(chosen),
            waiting=0,
            cost=cost,
            summary={
                "refill_of": base.pk,
                "agencies": dict(Counter(str(line.agency_id) for line, _s in chosen)),
                "sources": dict(Counter(str(s) for _line, s in chosen)),
            },
            proposed_by=user,
        )
        AllocationLine.objects.bulk_create(
            [_copy_line(line, allocation, i, s) for i, (line, s) in enumerate(chosen, start=1)]
        )
        audit_record(
            actor=user,
            action="allocation.proposed",
            obj=allocation,
            changes={
                "kind": AllocationKind.REFILL,
                "refill_of": base.pk,
                "allocated": len(chosen),
                "cost": cost,
                "start_month": start.isoformat(),
            },
        )
    return allocation


# --- Documents of an approved allocation ---------------------------------------------------

# Who reads proposals and their documents.
PROPOSAL_READERS = (Role.VERIFIER, Role.ADMIN, Role.APPROVER, Role.LEADER)


@dataclass(frozen=True)
class Document:
    content: bytes
    filename: str
    content_type: str


DOCUMENT_KINDS = ("berita_acara", "approved_list")


def allocation_document(*, actor: Actor, allocation: Allocation, kind: str) -> Document:
    """The berita acara (PDF) or the approved list (xlsx) of an approved allocation, made
    now; every download is audited (the list names people)."""
    from lindung.enrollment import documents

    if (
        not isinstance(actor, User)
        or actor.pemda_id != allocation.pemda_id
        or not actor.has_role(*PROPOSAL_READERS)
    ):
        raise ServiceError(_("Anda tidak berhak mengunduh dokumen ini."))
    if kind not in DOCUMENT_KINDS:
        raise ServiceError(_("Jenis dokumen tidak dikenal."))
    if allocation.status != AllocationStatus.APPROVED:
        raise ServiceError(_("Dokumen hanya tersedia untuk usulan yang sudah disetujui."))
    stem = f"{allocation.program.code}-alokasi-{allocation.pk}"
    full = kind == "approved_list" and sees_full_nik(actor)
    if kind == "berita_acara":
        document = Document(
            documents.berita_acara_pdf(allocation), f"berita-acara-{stem}.pdf", "application/pdf"
        )
    else:
        document = Document(
            documents.approved_list_xlsx(allocation, mask_ids=not full),
            f"peserta-disetujui-{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="allocation.document_downloaded",
            obj=allocation,
            changes={"kind": kind, "bytes": len(document.content), "full_nik": full},
        )
    return document
