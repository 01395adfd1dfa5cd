"""Reconciling BPJS's bill with ours (services: writes).

`bpjs_bill_reconcile` reads BPJS's file for a program and month (`billing.bpjs_bill`),
compares it with our bill lines of that month (every funding source) and the program's
enrolments that ended before it, and records a `BpjsBill` with one `BpjsBillLine` per line of
theirs plus one per line of ours they lack. `reconcile_line_resolve` records how a difference
was settled (accepted, disputed with BPJS, corrected), with a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import IO, Final

import polars as pl
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Role, User
from lindung.audit.services import audit_record
from lindung.billing.bpjs_bill import (
    ENDED_SCHEMA,
    LIMITS,
    OURS_SCHEMA,
    BpjsBillRefused,
    compare,
    periods,
    read_bpjs_bill,
    summary,
)
from lindung.billing.models import (
    Bill,
    BillLine,
    BpjsBill,
    BpjsBillLine,
    ReconcileOutcome,
    Resolution,
)
from lindung.common.bulk import insert_frame, read_frame
from lindung.common.errors_domain import ConflictError, ServiceError
from lindung.common.jobs import JobStatus
from lindung.common.tabular import FileRejected, read_workbook
from lindung.common.uploads import ReceivedUpload, upload_received
from lindung.programs.models import Program
from lindung.workers.models import Enrolment, Worker

RECONCILERS: Final = (Role.FINANCE, Role.ADMIN)
TOO_LARGE: Final = "File tagihan BPJS lebih dari 200 MB. Pecah per bulan, lalu unggah lagi."


def _require_reconciler(actor: Actor) -> None:
    if isinstance(actor, User) and actor.role not in RECONCILERS:
        raise ServiceError(_("Hanya Keuangan atau Admin yang dapat merekonsiliasi tagihan BPJS."))


def _ours(program: Program, month: date) -> pl.DataFrame:
    """Our bill lines of the month, every funding source."""
    line, bill = BillLine._meta.db_table, Bill._meta.db_table
    sql = (
        f"SELECT l.enrolment_id, l.nik, l.kpj, l.name, l.amount FROM {line} l "  # noqa: S608
        f"JOIN {bill} b ON b.id = l.bill_id WHERE b.program_id = %s AND b.month = %s"
    )
    return read_frame(sql, [program.pk, month], OURS_SCHEMA)


def _ended(program: Program, month: date) -> pl.DataFrame:
    """The program's enrolments that ended before `month` (a death included)."""
    enrolment, worker = Enrolment._meta.db_table, Worker._meta.db_table
    sql = (
        f"SELECT e.id, w.nik, e.kpj FROM {enrolment} e "  # noqa: S608
        f"JOIN {worker} w ON w.id = e.worker_id "
        "WHERE e.program_id = %s AND e.ended_on IS NOT NULL AND e.ended_on < %s"
    )
    return read_frame(sql, [program.pk, month], ENDED_SCHEMA)


def _replace_earlier(program: Program, month: date) -> list[int]:
    """Delete the month's earlier comparisons that have no resolved difference yet; the pks
    deleted. One with a resolution is kept (the newest is shown)."""
    earlier = list(
        BpjsBill.objects.select_for_update().filter(program=program, month=month).order_by("pk")
    )
    resolved = set(
        BpjsBillLine.objects.filter(bpjs_bill__in=earlier)
        .exclude(resolution="")
        .values_list("bpjs_bill_id", flat=True)
        .distinct()
    )
    replaced = [b.pk for b in earlier if b.pk not in resolved]
    if replaced:
        BpjsBillLine.objects.filter(bpjs_bill_id__in=replaced).delete()
        BpjsBill.objects.filter(pk__in=replaced).delete()
    return replaced


def bpjs_bill_reconcile(
    *,
    actor: Actor,
    program: Program,
    month: date,
    filename: str,
    path: Path | None = None,
    upload: IO[bytes] | Iterable[bytes] | None = None,
) -> BpjsBill:
    """Read BPJS's bill (the file at `path`, or an `upload` as it arrives) for `program` and
    `month` and record the comparison. Raises `ServiceError` (nothing written) when our bill
    of the month does not exist yet or the file is not a BPJS bill we can read."""
    _require_reconciler(actor)
    month = month.replace(day=1)
    if not Bill.objects.filter(program=program, month=month).exists():
        raise ServiceError(
            _("Tagihan bulan ini belum dibuat. Buat tagihan %(month)s dulu, lalu rekonsiliasi.")
            % {"month": f"{month:%m-%Y}"}
        )
    try:
        with ExitStack() as stack:
            if upload is None:
                if path is None:
                    raise ValueError("bpjs_bill_reconcile needs a path or an upload")
                upload = stack.enter_context(path.open("rb"))
            received = stack.enter_context(
                upload_received(upload, filename=filename, limits=LIMITS, too_large=TOO_LARGE)
            )
            return _record(actor, program, month, received, filename)
    except (FileRejected, BpjsBillRefused) as exc:
        raise ServiceError(exc.message) from exc


def _record(
    actor: Actor, program: Program, month: date, received: ReceivedUpload, filename: str
) -> BpjsBill:
    sheets = read_workbook(received.path, kind=received.kind, limits=LIMITS)
    parsed = read_bpjs_bill(sheets)
    named = periods(parsed.frame)
    if named and (month.year, month.month) not in named:
        shown = ", ".join(f"{m:02d}-{y}" for y, m in sorted(named)[:3])
        raise ServiceError(
            _(
                "File ini berisi tagihan periode %(file)s, bukan %(month)s. Pilih bulan yang "
                "sesuai, lalu unggah lagi."
            )
            % {"file": shown, "month": f"{month:%m-%Y}"}
        )
    lines = compare(parsed.frame, _ours(program, month), _ended(program, month), sheet=parsed.sheet)
    counts = summary(lines)
    total_theirs = int(lines.get_column("amount_theirs").sum() or 0)
    # Each of our lines is on exactly one comparison line with its amount (a repeat has 0).
    total_ours = int(lines.get_column("amount_ours").sum() or 0)
    with transaction.atomic():
        replaced = _replace_earlier(program, month)
        now = timezone.now()
        bill = BpjsBill.objects.create(
            pemda_id=program.pemda_id, program=program, month=month,
            original_name=filename[:255], sha256=received.sha256, layout=parsed.layout(),
            counts=counts, total_theirs=total_theirs, total_ours=total_ours,
            created_by=actor if isinstance(actor, User) else None,
            status=JobStatus.DONE, progress=100, started_at=now, heartbeat_at=now,
            finished_at=now,
        )  # fmt: skip
        insert_frame(
            BpjsBillLine,
            lines.with_columns(
                resolution=pl.lit(""), resolution_note=pl.lit(""), version=pl.lit(1)
            ),
            constants={"bpjs_bill_id": bill.pk, "pemda_id": program.pemda_id},
        )
        bill.stored_name = received.keep(folder="bpjs")
        bill.save(update_fields=["stored_name"])
        audit_record(
            actor=actor, action="bpjs_bill.reconciled", obj=bill,
            changes={
                "program": program.code, "month": f"{month:%Y-%m}", "counts": counts,
                "total_theirs": total_theirs, "total_ours": total_ours, "replaced": replaced,
            },
        )  # fmt: skip
    return bill


RESOLUTION_NEEDS_DIFFERENCE: Final = (
    ReconcileOutcome.MISSING_FROM_BPJS, ReconcileOutcome.NOT_OURS,
    ReconcileOutcome.AMOUNT_DIFFERS, ReconcileOutcome.ENDED_STILL_BILLED,
)  # fmt: skip


def reconcile_line_resolve(
    *, actor: User, line: BpjsBillLine, resolution: str, note: str, version: int | None = None
) -> BpjsBillLine:
    """Record how a difference was settled: accepted, disputed with BPJS or corrected, with a
    note. Only a difference (not a matched line) takes one; a change made meanwhile by
    someone else (the line's `version`) is refused."""
    _require_reconciler(actor)
    if actor.pemda_id != line.pemda_id:
        raise ServiceError(_("Baris rekonsiliasi tidak ditemukan."))
    if line.outcome not in RESOLUTION_NEEDS_DIFFERENCE:
        raise ServiceError(_("Baris yang cocok tidak memerlukan penyelesaian."))
    if resolution not in Resolution.values:
        raise ServiceError(_("Pilih penyelesaian: diterima, disanggah ke BPJS, atau dikoreksi."))
    note = note.strip()
    if not note:
        raise ServiceError(_("Catatan penyelesaian wajib diisi."))
    expected = line.version if version is None else version
    now = timezone.now()
    with transaction.atomic():
        updated = BpjsBillLine.objects.filter(Q(pk=line.pk) & Q(version=expected)).update(
            resolution=resolution, resolution_note=note, resolved_by=actor, resolved_at=now,
            version=expected + 1,
        )  # fmt: skip
        if not updated:
            raise ConflictError()
        previous = line.resolution
        line.refresh_from_db()
        audit_record(
            actor=actor, action="bpjs_bill.line_resolved", obj=line,
            changes={
                "outcome": line.outcome, "resolution": [previous, resolution], "note": note,
                "bpjs_bill": line.bpjs_bill_id,
            },
        )  # fmt: skip
    return line
