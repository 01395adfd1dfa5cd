"""Retention (UU PDP Pasal 16 (2), 43–44): files handed in and register snapshots' rows older
than the retention period are destroyed by `lindung retention purge`, audited per Pemda;
what is still needed (a draft's file, the snapshot verification rests on) stays.

Hand-set dates: today is 6 December 2026, retention 730 days, so the cutoff is
6 December 2024; "old" things date from 1 June 2024, "recent" ones from 1 January 2026."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from lindung.audit.models import AuditEvent
from lindung.common.jobs import JobStatus
from lindung.enrollment.models import BpjsExport
from lindung.intake.models import Submission, SubmissionSource, SubmissionStatus, UploadedFile
from lindung.privacy.retention import retention_purge
from lindung.register.models import RegisterRecord, RegisterSnapshot
from lindung.verification.models import VerificationRun

NOW = dt.datetime(2026, 12, 6, 2, 0, tzinfo=dt.UTC)
OLD = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
RECENT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def uploads(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.LINDUNG_RETENTION_DAYS = 730
    return settings.UPLOAD_DIR


def _stored(uploads, name: str) -> str:
    path = uploads / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"NIK;NAMA\n3504010101800001;Sari\n")
    return name


def _upload(program, agency, uploads, name, *, created, status):
    upload = UploadedFile.objects.create(
        pemda=program.pemda, program=program, agency=agency, sha256=name * 8,
        stored_name=_stored(uploads, f"{name}.csv"), original_name=f"{name}.csv", size=32,
        kind="csv",
    )  # fmt: skip
    Submission.objects.create(
        pemda=program.pemda, program=program, agency=agency, source=SubmissionSource.UPLOAD,
        status=status, file=upload,
    )  # fmt: skip
    UploadedFile.objects.filter(pk=upload.pk).update(created_at=created)
    return upload


def _snapshot(pemda, as_of, cache_dir, rows=2):
    snapshot = RegisterSnapshot.objects.create(
        pemda=pemda, source="dtks", as_of=as_of, file_name="dtks.csv", sha256="ab" * 32, rows=rows
    )
    RegisterRecord.objects.bulk_create(
        RegisterRecord(snapshot=snapshot, pemda=pemda, nik=f"35040101018{n:05d}", name="X")
        for n in range(rows)
    )
    RegisterSnapshot.objects.filter(pk=snapshot.pk).update(created_at=OLD)
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached = cache_dir / f"snapshot-{snapshot.pk}-1-{snapshot.sha256[:12]}.parquet"
    cached.write_bytes(b"PAR1")
    return snapshot, cached


@pytest.fixture
def held(program, agency, uploads, settings):
    """Old and recent files, a draft's old file, an old BPJS file, and three old snapshots:
    one unused, one the current verification run rests on, and the newest."""
    cache = settings.REGISTER_CACHE_DIR
    items = {
        "old": _upload(program, agency, uploads, "a", created=OLD,
                       status=SubmissionStatus.SUBMITTED),
        "draft": _upload(program, agency, uploads, "b", created=OLD,
                         status=SubmissionStatus.DRAFT),
        "recent": _upload(program, agency, uploads, "c", created=RECENT,
                          status=SubmissionStatus.SUBMITTED),
    }  # fmt: skip
    export = BpjsExport.objects.create(
        pemda=program.pemda, program=program, file_format="csv", count=1,
        stored_name=_stored(uploads, "bpjs/exports/e.csv"),
    )  # fmt: skip
    BpjsExport.objects.filter(pk=export.pk).update(created_at=OLD)
    unused, unused_cache = _snapshot(program.pemda, dt.date(2024, 1, 1), cache)
    used, used_cache = _snapshot(program.pemda, dt.date(2024, 2, 1), cache)
    newest, _ = _snapshot(program.pemda, dt.date(2024, 3, 1), cache)
    VerificationRun.objects.create(
        pemda=program.pemda, program=program, snapshot=used, status=JobStatus.DONE
    )
    items.update(unused=unused, unused_cache=unused_cache, used=used, used_cache=used_cache,
                 newest=newest)  # fmt: skip
    return items


def test_what_is_past_retention_goes_and_what_is_needed_stays(held, uploads):
    result = retention_purge(actor="sistem", now=NOW)
    assert result.to_json() | {"bytes": 0} == {
        "cutoff": "2024-12-06T02:00:00+00:00", "dry_run": False, "intake_uploads": 1,
        "register_files": 0, "bpjs_files": 1, "feedback_files": 0, "snapshots": 1,
        "snapshot_rows": 2, "bytes": 0, "kept_snapshots": [held["used"].pk, held["newest"].pk],
    }  # fmt: skip
    assert not (uploads / "a.csv").exists()  # old, handed in
    assert (uploads / "b.csv").exists()  # old, but its list is still a draft
    assert (uploads / "c.csv").exists()  # recent
    assert not (uploads / "bpjs/exports/e.csv").exists()
    assert not RegisterRecord.objects.filter(snapshot=held["unused"]).exists()
    assert not held["unused_cache"].exists()
    assert RegisterSnapshot.objects.filter(pk=held["unused"].pk).exists()  # its record stays
    assert RegisterRecord.objects.filter(snapshot=held["used"]).count() == 2
    assert RegisterRecord.objects.filter(snapshot=held["newest"]).count() == 2
    assert held["used_cache"].exists()
    event = AuditEvent.objects.get(action="retention.purged")
    assert (event.changes["intake_uploads"], event.changes["bpjs_files"],
            event.changes["snapshots"], event.changes["snapshot_rows"]) == (1, 1, 1, 2)  # fmt: skip
    assert event.pemda_id == held["old"].pemda_id
    # A second run finds nothing and records nothing.
    assert retention_purge(actor="sistem", now=NOW).to_json()["intake_uploads"] == 0
    assert AuditEvent.objects.filter(action="retention.purged").count() == 1


def test_the_files_derived_from_a_snapshot_cache_go_with_it(held):
    # verification's prepared register, kept beside the cache under its name
    derived = [
        held[key].with_name(held[key].stem + ".prepared-x.frame.parquet")
        for key in ("unused_cache", "used_cache")
    ]
    for path in derived:
        path.write_bytes(b"PAR1")
    retention_purge(actor="sistem", now=NOW)
    assert not derived[0].exists()
    assert derived[1].exists()


def test_a_dry_run_counts_and_keeps_everything(held, uploads):
    out = io.StringIO()
    call_command("retention", "purge", "--dry-run", "--json", stdout=out)
    report = json.loads(out.getvalue())
    # Run today (after 6 December 2026), the same things are past 730 days.
    assert (report["dry_run"], report["intake_uploads"], report["snapshots"]) == (True, 1, 1)
    assert (uploads / "a.csv").exists()
    assert RegisterRecord.objects.filter(snapshot=held["unused"]).count() == 2
    assert not AuditEvent.objects.filter(action="retention.purged").exists()


def test_a_longer_period_keeps_the_old_files(held, uploads):
    result = retention_purge(actor="sistem", now=NOW, days=3650)
    assert (result.total("intake_uploads"), result.total("snapshots")) == (0, 0)
    assert (uploads / "a.csv").exists()


def test_a_file_whose_import_failed_is_kept_to_be_run_again(held, uploads, program, agency):
    orphan = UploadedFile.objects.create(
        pemda=program.pemda, program=program, agency=agency, sha256="f" * 64,
        stored_name=_stored(uploads, "failed.csv"), original_name="failed.csv", size=32,
        kind="csv",
    )  # fmt: skip
    UploadedFile.objects.filter(pk=orphan.pk).update(created_at=OLD)
    retention_purge(actor="sistem", now=NOW)
    assert (uploads / "failed.csv").exists()
