"""Retention (UU PDP 27/2022 Pasal 16 ayat (2) huruf h and Pasal 43–44; goal S14): raw files
people handed in and register snapshots' row data are destroyed once older than
`LINDUNG_RETENTION_DAYS`, by `lindung retention purge` run daily (deploy/ has the timer).

What is purged, when older than the cutoff (by the record's creation time):
- intake uploads (the agency's file as sent) whose list was handed in, unless an import job
  on it is still queued or running: the stored rows keep every cell as it came (a draft's
  file, or one whose import failed, stays: it may be read again);
- register extracts left by failed loads (a loaded one is deleted at load already);
- BPJS files: registration files made, result and roster files read, BPJS bills read (the
  lines read stay as rows);
- feedback files made for agencies (made again on request);
- the rows of a register snapshot, unless it is its Pemda's newest (verification uses it) or
  the snapshot of a verification run still current for a program or still running: the
  snapshot's own record (source, date, counts, checksum) stays, and verdicts keep the
  register id, NIK and decile they were decided on.

Nothing else is touched: the database rows of lists, verdicts, enrolments, bills and claims
are the record of processing (Pasal 31) and follow the Pemda's archive retention schedule.
Each run writes one `retention.purged` audit event per Pemda with what and how many."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lindung.accounts.models import Actor, Pemda
from lindung.audit.services import audit_record
from lindung.billing.models import BpjsBill
from lindung.common.jobs import ACTIVE, JobStatus
from lindung.common.uploads import upload_path
from lindung.enrollment.models import BpjsExport, BpjsImport
from lindung.intake.models import FeedbackExport, ImportJob, SubmissionStatus, UploadedFile
from lindung.register.models import RegisterLoadJob, RegisterRecord, RegisterSnapshot
from lindung.verification.models import VerificationRun

KINDS = ("intake_uploads", "register_files", "bpjs_files", "feedback_files", "snapshots")


@dataclass
class PurgeResult:
    cutoff: datetime
    dry_run: bool
    # kind -> pemda id -> files (or snapshots) purged; rows of snapshots separately.
    counts: dict[str, dict[int, int]] = field(
        default_factory=lambda: {kind: defaultdict(int) for kind in KINDS}
    )
    snapshot_rows: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    bytes: int = 0
    kept_snapshots: list[int] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # deleted once the audit is committed

    def total(self, kind: str) -> int:
        return sum(self.counts[kind].values())

    def to_json(self) -> dict[str, object]:
        return {
            "cutoff": self.cutoff.isoformat(),
            "dry_run": self.dry_run,
            **{kind: self.total(kind) for kind in KINDS},
            "snapshot_rows": sum(self.snapshot_rows.values()),
            "bytes": self.bytes,
            "kept_snapshots": self.kept_snapshots,
        }


def retention_cutoff(*, now: datetime | None = None, days: int | None = None) -> datetime:
    days = settings.LINDUNG_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - timedelta(days=days)


def _file(path: Path, result: PurgeResult, kind: str, pemda_id: int) -> None:
    """Count (and unless dry-run delete) one stored file, if it is still there."""
    if not path.is_file():
        return
    result.bytes += path.stat().st_size
    result.counts[kind][pemda_id] += 1
    result.files.append(path)


def _intake(result: PurgeResult) -> None:
    busy = set(ImportJob.objects.filter(status__in=ACTIVE).values_list("file_id", flat=True))
    # Only files whose list was handed in: a draft may still be corrected and re-read, and a
    # file without a list (an import that failed) may be run again or uploaded again.
    uploads = UploadedFile.objects.filter(
        created_at__lt=result.cutoff, submission__isnull=False
    ).exclude(submission__status=SubmissionStatus.DRAFT)
    for upload in uploads.exclude(pk__in=busy).iterator():
        _file(upload_path(upload.stored_name), result, "intake_uploads", upload.pemda_id)
    for export in FeedbackExport.objects.filter(created_at__lt=result.cutoff).exclude(
        stored_name=""
    ):
        path = Path(settings.UPLOAD_DIR) / "umpan-balik" / export.stored_name
        _file(path, result, "feedback_files", export.pemda_id)


def _stored_files(result: PurgeResult) -> None:
    for job in RegisterLoadJob.objects.filter(created_at__lt=result.cutoff).exclude(
        status__in=ACTIVE
    ):
        if job.stored_path:
            _file(upload_path(job.stored_path), result, "register_files", job.pemda_id)
    made: Iterable[BpjsExport | BpjsImport | BpjsBill] = [
        *BpjsExport.objects.filter(created_at__lt=result.cutoff).exclude(stored_name=""),
        *BpjsImport.objects.filter(created_at__lt=result.cutoff)
        .exclude(stored_name="")
        .exclude(status__in=ACTIVE),
        *BpjsBill.objects.filter(created_at__lt=result.cutoff)
        .exclude(stored_name="")
        .exclude(status__in=ACTIVE),
    ]
    for item in made:
        _file(upload_path(item.stored_name), result, "bpjs_files", item.pemda_id)


def snapshots_in_use() -> set[int]:
    """Snapshots whose rows are still needed: each Pemda's newest, the snapshot of each
    program's current (newest finished) run, and of every run queued or running."""
    pemda_ids = set(RegisterSnapshot.objects.values_list("pemda_id", flat=True))
    keep = {
        RegisterSnapshot.objects.filter(pemda_id=pk).order_by("-as_of", "-pk")[0].pk
        for pk in pemda_ids
    }
    current = (
        VerificationRun.objects.filter(status=JobStatus.DONE)
        .values("program_id")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    keep |= set(
        VerificationRun.objects.filter(pk__in=list(current), snapshot__isnull=False).values_list(
            "snapshot_id", flat=True
        )
    )
    keep |= set(
        VerificationRun.objects.filter(status__in=ACTIVE, snapshot__isnull=False).values_list(
            "snapshot_id", flat=True
        )
    )
    return keep


def _snapshots(result: PurgeResult) -> None:
    keep = snapshots_in_use()
    old = RegisterSnapshot.objects.filter(created_at__lt=result.cutoff).order_by("pk")
    result.kept_snapshots = sorted(s.pk for s in old if s.pk in keep)
    cache = Path(settings.REGISTER_CACHE_DIR)
    for snapshot in old.exclude(pk__in=keep):
        rows = RegisterRecord.objects.filter(snapshot=snapshot)
        count = rows.count()
        cached = list(cache.glob(f"snapshot-{snapshot.pk}-*-{snapshot.sha256[:12]}*.parquet"))
        if not count and not cached:
            continue
        result.counts["snapshots"][snapshot.pemda_id] += 1
        result.snapshot_rows[snapshot.pemda_id] += count
        result.files.extend(cached)
        if not result.dry_run:
            rows.delete()


def retention_purge(
    *, actor: Actor, now: datetime | None = None, days: int | None = None, dry_run: bool = False
) -> PurgeResult:
    """Destroy what is past retention (see the module's docstring); with `dry_run`, only
    count. One audit event per Pemda that had anything destroyed."""
    days = settings.LINDUNG_RETENTION_DAYS if days is None else days
    result = PurgeResult(cutoff=retention_cutoff(now=now, days=days), dry_run=dry_run)
    with transaction.atomic():
        _intake(result)
        _stored_files(result)
        _snapshots(result)
        if dry_run:
            return result
        pemda_ids = {pk for kind in KINDS for pk, n in result.counts[kind].items() if n}
        for pemda in Pemda.objects.filter(pk__in=pemda_ids).order_by("pk"):
            audit_record(
                actor=actor,
                action="retention.purged",
                pemda=pemda,
                changes={
                    "cutoff": result.cutoff.isoformat(),
                    "days": days,
                    **{kind: result.counts[kind].get(pemda.pk, 0) for kind in KINDS},
                    "snapshot_rows": result.snapshot_rows.get(pemda.pk, 0),
                },
                label=f"retensi {days} hari",
            )
    for path in result.files:
        path.unlink(missing_ok=True)
    return result
