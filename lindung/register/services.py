"""Writes of the welfare register: an extract loaded as a dated snapshot (from the CLI, the
demo, or a web upload queued for the background worker)."""

from __future__ import annotations

import contextlib
import csv
import hashlib
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lindung.accounts.models import Pemda, User
from lindung.audit.context import RequestContext, bound, new_request_id
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import (
    ACTIVE,
    JobStatus,
    enqueue_on_commit,
    job_failed,
    job_requeued,
    job_watch,
)
from lindung.common.tabular import GIB, FileRejected, Limits, inspect_file
from lindung.common.uploads import UploadRefused, upload_path, upload_received
from lindung.intake.resolvers import RegionResolver
from lindung.regions.models import Region, RegionLevel
from lindung.register import write
from lindung.register.cache import register_cache_frame, register_cache_publish
from lindung.register.clean import clean_register
from lindung.register.models import (
    RegionCodeStyle,
    RegisterLoadJob,
    RegisterRecord,
    RegisterSnapshot,
    RegisterSource,
)
from lindung.register.read import RegisterError, read_table, recognise
from lindung.register.regions import resolver_lookup


def _user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) else None


REGISTER_LIMITS = Limits(max_rows=5_000_000, max_bytes=1 * GIB, max_cells=100_000_000)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _regions_of(pemda: Pemda) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    regency = pemda.region_id
    if not regency:
        return [], []
    in_regency = Region.objects.filter(code__startswith=regency + ".")
    districts = list(in_regency.filter(level=RegionLevel.DISTRICT).values_list("code", "name"))
    villages = list(in_regency.filter(level=RegionLevel.VILLAGE).values_list("code", "name"))
    return districts, villages


def _cache_after_commit(snapshot: RegisterSnapshot, frame: Any) -> None:
    """Once the snapshot is committed, write its columnar cache for verification from the
    frame just inserted, when its records got consecutive ids in frame order (one INSERT
    stream or COPY does that; the check makes sure, and the reader checks again)."""
    bounds = RegisterRecord.objects.filter(snapshot=snapshot).aggregate(
        first=Min("pk"), last=Max("pk"), count=Count("pk")
    )
    first, last, count = bounds["first"], bounds["last"], bounds["count"]
    if first is None or count != frame.height or last - first + 1 != count:
        return
    cache = register_cache_frame(frame, first)
    transaction.on_commit(lambda: register_cache_publish(snapshot, cache))


def snapshot_load(
    *,
    actor: Any,
    pemda: Pemda,
    path: Path,
    filename: str,
    source: str,
    as_of: date,
    region_code_style: str = RegionCodeStyle.NAMES,
) -> RegisterSnapshot:
    """Load a register extract (CSV or spreadsheet) as a new snapshot of the Pemda. Every
    row is kept; rows with neither a usable NIK nor a name count as rejected. Earlier
    snapshots stay as they are."""
    if source not in RegisterSource.values:
        raise ServiceError(
            f"Sumber data '{source}' tidak dikenal; pilih salah satu: "
            + ", ".join(RegisterSource.values)
            + "."
        )
    if region_code_style not in RegionCodeStyle.values:
        raise ServiceError(
            f"Bentuk kode wilayah '{region_code_style}' tidak dikenal; pilih names, kemendagri "
            "atau bps."
        )
    if as_of > timezone.localdate():
        raise ServiceError(
            f"Tanggal keadaan data {as_of:%d-%m-%Y} ada di masa depan; periksa tanggalnya."
        )
    try:
        kind = inspect_file(path, filename=filename, limits=REGISTER_LIMITS)
        districts, villages = _regions_of(pemda)
        # The raw table is not kept past cleaning: it is the largest thing in memory.
        clean = clean_register(
            read_table(path, kind=kind, limits=REGISTER_LIMITS),
            as_of=as_of,
            code_style=region_code_style,
            lookup=resolver_lookup(RegionResolver(districts, villages)),
            known_codes=frozenset(code for code, _name in districts + villages),
            regency=pemda.region_id or "",
        )
    except FileRejected as exc:
        raise ServiceError(exc.message) from exc
    except RegisterError as exc:
        raise ServiceError(str(exc)) from exc
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        snapshot = RegisterSnapshot.objects.create(
            pemda=pemda,
            source=source,
            as_of=as_of,
            file_name=filename[:255],
            sha256=_sha256(path),
            region_code_style=region_code_style,
            rows=clean.rows,
            rejected=clean.rejected,
            loaded_by=user,
        )
        write.insert_records(clean, snapshot_id=snapshot.pk, pemda_id=pemda.pk)
        _cache_after_commit(snapshot, clean.frame)
        audit_record(
            actor=actor,
            action="register_snapshot.loaded",
            obj=snapshot,
            pemda=pemda,
            changes={
                "rows": clean.rows,
                "rejected": clean.rejected,
                "source": source,
                "as_of": as_of.isoformat(),
                "file": filename,
            },
        )
    return snapshot


# --- Register extracts uploaded on the web -----------------------------------------------

REGISTER_UPLOAD_FOLDER = "register"  # under settings.UPLOAD_DIR


def _register_options_check(*, source: str, as_of: date, region_code_style: str) -> None:
    # The same refusals as snapshot_load's, before a large file is stored and queued.
    if source not in RegisterSource.values:
        raise ServiceError(
            _("Sumber data '%s' tidak dikenal; pilih DTKS, DTSEN atau P3KE.") % source
        )
    if region_code_style not in RegionCodeStyle.values:
        raise ServiceError(
            _(
                "Bentuk kode wilayah '%s' tidak dikenal; pilih nama wilayah, kode Kemendagri "
                "atau kode BPS."
            )
            % region_code_style
        )
    if as_of > timezone.localdate():
        raise ServiceError(
            _("Tanggal keadaan data %s ada di masa depan; periksa tanggalnya.")
            % f"{as_of:%d-%m-%Y}"
        )


def _csv_header_problem(path: Path, *, region_code_style: str) -> str | None:
    """What keeps a CSV extract from loading, read from its first lines only (the loader
    reads the first line as the header). Spreadsheets are checked by the job: reading their
    header means reading the whole workbook."""
    with path.open("rb") as fh:
        lines = [fh.readline(1 << 16).decode("utf-8", errors="replace") for _i in range(10)]
    found: dict[str, int] = {}
    for separator in (";", "|", "\t", ","):
        fields = recognise(next(csv.reader([lines[0]], delimiter=separator), []))
        if len(fields) > len(found):
            found = fields
    missing = [label for key, label in (("nik", "NIK"), ("name", "NAMA")) if key not in found]
    if missing:
        return _(
            "Kolom %s tidak ditemukan di baris pertama. Baris pertama file harus berisi judul "
            "kolom seperti NOMOR NIK dan NAMA."
        ) % " dan ".join(missing)
    if region_code_style == RegionCodeStyle.KEMENDAGRI and "village_code" not in found:
        return _(
            "Kolom kode desa/kelurahan (mis. kode_kelurahan_desa) tidak ditemukan. Bila file "
            "memuat nama kecamatan dan desa, pilih bentuk kode wilayah 'nama wilayah'."
        )
    if (
        region_code_style == RegionCodeStyle.BPS
        and "village_code" not in found
        and "district_code" not in found
    ):
        return _(
            "Kolom kode wilayah BPS (mis. KDKEC atau KDDESA) tidak ditemukan. Bila file memuat "
            "nama kecamatan dan desa, pilih bentuk kode wilayah 'nama wilayah'."
        )
    if not any(line.strip() for line in lines[1:]):  # blank lines are not data
        return _("File hanya berisi baris judul, tanpa baris data.")
    return None


def _register_refused(*, actor: Any, pemda: Pemda, filename: str, code: str, size: int) -> None:
    audit_record(
        actor=actor,
        action="register_upload.refused",
        pemda=pemda,
        changes={"file": filename, "code": code, "size": size},
    )


def register_upload(
    *,
    actor: Any,
    pemda: Pemda,
    stream: IO[bytes] | Iterable[bytes],
    filename: str,
    source: str,
    as_of: date,
    region_code_style: str = RegionCodeStyle.NAMES,
) -> RegisterLoadJob:
    """Store an uploaded register extract under a name of our own and queue its load: a
    register runs to millions of rows, loaded by the background worker (`register_job_run`).
    The file is checked by content first (type, size, zip bombs, macros; a CSV's header row
    too). The same file already waiting for the same load is not queued twice; one already
    loaded the same way is refused."""
    _register_options_check(source=source, as_of=as_of, region_code_style=region_code_style)
    name = Path(filename).name[:255] or "register"
    too_large = _(
        "File lebih besar dari %s GB. Pecah per kecamatan, lalu unggah satu per satu."
    ) % (REGISTER_LIMITS.max_bytes // GIB)
    try:
        with upload_received(
            stream,
            filename=name,
            limits=REGISTER_LIMITS,
            too_large=too_large,
            folder=REGISTER_UPLOAD_FOLDER,
        ) as received:
            problem = (
                _csv_header_problem(received.path, region_code_style=region_code_style)
                if received.kind == "csv"
                else None
            )
            if problem is not None:
                raise UploadRefused("header", problem, size=received.size)
            same = {
                "pemda": pemda,
                "sha256": received.sha256,
                "source": source,
                "as_of": as_of,
                "region_code_style": region_code_style,
            }
            waiting = RegisterLoadJob.objects.filter(**same, status__in=ACTIVE).first()
            if waiting is not None:
                return waiting
            loaded = RegisterSnapshot.objects.filter(**same).first()
            if loaded is not None:
                raise UploadRefused(
                    "loaded",
                    _("File yang sama sudah dimuat sebagai %(snapshot)s (%(file)s).")
                    % {"snapshot": loaded, "file": loaded.file_name},
                    size=received.size,
                )
            stored_path = received.keep(folder=REGISTER_UPLOAD_FOLDER)
            try:
                return _queue(
                    actor=actor,
                    same=same,
                    name=name,
                    stored_path=stored_path,
                    size=received.size,
                    kind=received.kind,
                )
            except BaseException:
                upload_path(stored_path).unlink(missing_ok=True)
                raise
    except UploadRefused as exc:
        _register_refused(actor=actor, pemda=pemda, filename=name, code=exc.code, size=exc.size)
        raise ServiceError(exc.message) from exc


def _queue(
    *, actor: Any, same: dict[str, Any], name: str, stored_path: str, size: int, kind: str
) -> RegisterLoadJob:
    with transaction.atomic():
        job = RegisterLoadJob.objects.create(
            **same,
            file_name=name,
            stored_path=stored_path,
            size=size,
            created_by=_user(actor),
        )
        audit_record(
            actor=actor,
            action="register_upload.received",
            obj=job,
            pemda=same["pemda"],
            changes={
                "file": name,
                "size": size,
                "sha256": same["sha256"],
                "kind": kind,
                "source": same["source"],
                "as_of": same["as_of"].isoformat(),
                "region_code_style": same["region_code_style"],
            },
        )
        enqueue_on_commit(run_register_load_job, job.pk)
    return job


def _register_job_fail(job: RegisterLoadJob, *, actor: Any, message: str) -> None:
    with transaction.atomic():
        job_failed(job, message)
        audit_record(
            actor=actor,
            action="register_upload.failed",
            obj=job,
            pemda=job.pemda,
            changes={"file": job.file_name, "message": message},
        )


def register_job_run(*, job_id: int) -> RegisterLoadJob:
    """Load a queued upload as a snapshot with `snapshot_load` (every row or none). A refused
    file or a crash marks the job failed with its message in Bahasa Indonesia, and the file
    stays for a re-run; once loaded, the stored file is deleted."""
    job = RegisterLoadJob.objects.select_related("pemda", "created_by").get(pk=job_id)
    # Claimed by one worker only: a job queued twice (a re-run of a stalled load) runs once.
    claimed = RegisterLoadJob.objects.filter(
        pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.FAILED]
    ).update(status=JobStatus.RUNNING, started_at=timezone.now(), finished_at=None, message="")
    if not claimed:
        return job
    job_watch(job)  # this process beats for the load until it ends (a CLI run too)
    actor: Any = job.created_by or "sistem"
    path = Path(django_settings.UPLOAD_DIR) / job.stored_path
    # A worker killed after the snapshot was committed but before the job was marked done
    # leaves the snapshot behind: adopt it rather than load the file twice.
    snapshot = RegisterSnapshot.objects.filter(
        pemda=job.pemda,
        sha256=job.sha256,
        source=job.source,
        as_of=job.as_of,
        region_code_style=job.region_code_style,
        created_at__gte=job.created_at,
    ).first()
    if snapshot is None:
        try:
            snapshot = snapshot_load(
                actor=actor,
                pemda=job.pemda,
                path=path,
                filename=job.file_name,
                source=job.source,
                as_of=job.as_of,
                region_code_style=job.region_code_style,
            )
        except ServiceError as exc:
            _register_job_fail(job, actor=actor, message=exc.message)
            raise
        except Exception:
            _register_job_fail(
                job,
                actor=actor,
                message=_(
                    "Pemuatan terhenti karena gangguan; tidak ada baris yang tersimpan. "
                    "Jalankan ulang; bila berulang, hubungi Admin Disnaker."
                ),
            )
            raise
    RegisterLoadJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, snapshot=snapshot, finished_at=timezone.now(), message=""
    )
    path.unlink(missing_ok=True)
    job.refresh_from_db()
    return job


def register_job_restart(*, actor: Any, job: RegisterLoadJob) -> RegisterLoadJob:
    """Queue a failed (or stalled) load again; its file is still stored."""
    if not job.restartable():
        if job.status == JobStatus.DONE:
            raise ServiceError(_("Data ini sudah selesai dimuat."))
        raise ServiceError(_("Pemuatan ini sedang berjalan; tunggu sampai selesai."))
    with transaction.atomic():
        job_requeued(job)
        audit_record(
            actor=actor,
            action="register_upload.restarted",
            obj=job,
            pemda=job.pemda,
            changes={"file": job.file_name, "previous_status": job.status},
        )
        enqueue_on_commit(run_register_load_job, job.pk)
    job.refresh_from_db()
    return job


@task()
def run_register_load_job(job_id: int) -> None:
    """The worker's entry: a refused file (no NIK column, a damaged workbook...) is recorded
    on the job for its page; it is not a worker failure."""
    with (
        bound(RequestContext(request_id=new_request_id(), channel="task")),
        contextlib.suppress(ServiceError),
    ):
        register_job_run(job_id=job_id)
