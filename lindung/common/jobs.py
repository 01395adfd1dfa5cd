"""Background jobs: one status, one record of progress, one rule for a job whose worker died,
and one way to queue a task once the transaction that asked for it has committed.

Every long piece of work a person waits for (an import, a register load, a verification run,
a feedback file) is a model inheriting `BackgroundJob`; its task runs in `lindung db_worker`
(django-tasks' database backend, started by `lindung serve`) and reports on the row, which the
progress page polls.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, connections, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.common.retry import when_locked

logger = logging.getLogger(__name__)
# Sent once for each job the sweep marked failed (sender: the job's model, `job`: the job).
# The audit app records it (`job.failed_dead`): this module sits below the audit log.
job_swept = Signal()

# A running job records a sign of life at least every few seconds (each phase, every few
# thousand rows); one silent this long, or queued this long with no worker taking it, lost
# its worker (a restart, a killed process) and may be run again.
STALLED_AFTER: Final = timedelta(minutes=10)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


ACTIVE: Final = (JobStatus.QUEUED, JobStatus.RUNNING)


class BackgroundJob(models.Model):
    """What every background job records: where it stands and what went wrong, in words the
    person waiting for it understands."""

    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    message = models.TextField(blank=True)  # why it failed, for the person waiting
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def stalled(self, *, now: datetime | None = None) -> bool:
        """Queued or running with no sign of life for `STALLED_AFTER`: its worker is gone."""
        if not self.active:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return last is not None and (now or timezone.now()) - last > STALLED_AFTER

    def restartable(self, *, now: datetime | None = None) -> bool:
        """A failed job can be run again, and so can a stalled one."""
        return self.status == JobStatus.FAILED or self.stalled(now=now)


def _updated(job: BackgroundJob, **fields: Any) -> None:
    """A job's bookkeeping: one UPDATE of `fields`, outside the work's transaction, repeated
    when SQLite is locked by another connection's write (`when_locked`), which in
    shared-cache mode (the test database) fails at once instead of waiting. Inside a
    transaction it runs once."""
    when_locked(lambda: type(job)._default_manager.filter(pk=job.pk).update(**fields))


def job_started(job: BackgroundJob) -> None:
    """Mark `job` running (outside the work's own transaction, so the page sees it), and beat
    for it while this process lives (`job_watch`)."""
    now = timezone.now()
    _updated(
        job, status=JobStatus.RUNNING, progress=0, message="", started_at=now, heartbeat_at=now,
        finished_at=None,
    )  # fmt: skip
    job_watch(job)


def job_beat(job: BackgroundJob, *, progress: int, **fields: Any) -> None:
    """Progress in percent (and any of the job's own fields, e.g. its phase), with a sign of
    life."""
    _updated(job, progress=max(0, min(progress, 100)), heartbeat_at=timezone.now(), **fields)


def job_failed(job: BackgroundJob, message: str) -> None:
    """Record why `job` failed, in words for the person waiting for it."""
    _updated(job, status=JobStatus.FAILED, message=message, finished_at=timezone.now())


def job_requeued(job: BackgroundJob) -> None:
    """Back in the queue, as new: a restart of a failed or stalled job."""
    _updated(
        job, status=JobStatus.QUEUED, progress=0, message="", started_at=None, heartbeat_at=None,
        finished_at=None,
    )  # fmt: skip


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """Queue `task` with `args` once the current transaction commits (at once outside one): a
    worker must never pick up a job whose row it cannot see yet, nor one rolled back."""
    transaction.on_commit(lambda: task.enqueue(*args))


# --- Heartbeat and sweep (issue 15, point 5) ---------------------------------------------
# The process running a job (the worker, or a CLI command) beats for it every
# JOB_HEARTBEAT_SECONDS from a thread: the row's heartbeat_at, and a file under
# VAR_DIR/run/jobs whose time is written even while SQLite is locked by the work's own long
# transaction. A running job with no sign of life for JOB_DEAD_AFTER_SECONDS lost its process
# (kill -9, a crash, a reboot): the sweep marks it failed, so its page offers "Jalankan ulang"
# instead of a progress bar forever. The sweep runs in `lindung worker` at every beat and when
# a job's page is read (`job_checked`).

DEAD_MESSAGE: Final = _(
    "Proses gagal: pekerja yang menjalankannya berhenti (tidak ada tanda hidup selama "
    "beberapa menit). Jalankan ulang; bila berulang, hubungi Admin Disnaker."
)

_watched: set[tuple[type[BackgroundJob], int]] = set()
_lock = threading.Lock()
_thread: threading.Thread | None = None


def _beat_file(model: type[BackgroundJob], pk: int) -> Path:
    return Path(settings.VAR_DIR) / "run" / "jobs" / f"{model._meta.label_lower}-{pk}"


def job_watch(job: BackgroundJob) -> None:
    """Beat for `job` from this process until it is no longer running."""
    if settings.JOB_HEARTBEAT_SECONDS <= 0:
        return
    with _lock:
        _watched.add((type(job), job.pk))
    _touch(type(job), job.pk)
    heartbeat_start()


def _touch(model: type[BackgroundJob], pk: int) -> None:
    path = _beat_file(model, pk)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    except OSError:
        logger.warning("heartbeat file %s not written", path)


@contextmanager
def _briefly_waiting() -> Iterator[None]:
    """A transaction that gives up after 3 s on a row lock (PostgreSQL), e.g. one the job's
    own transaction holds, instead of hanging the page or the heartbeat thread."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
        yield


def beat_watched(*, now: datetime | None = None) -> int:
    """One beat for every job this process runs; forget the ones no longer running."""
    now = now or timezone.now()
    with _lock:
        watched = list(_watched)
    beating = 0
    for model, pk in watched:
        _touch(model, pk)
        try:
            with _briefly_waiting():
                running = model._default_manager.filter(pk=pk, status=JobStatus.RUNNING)
                alive = running.update(heartbeat_at=now) > 0
        except DatabaseError:
            alive = True  # the database is busy (maybe with this very job): the file beat
        if alive:
            beating += 1
        else:
            with _lock:
                _watched.discard((model, pk))
            _beat_file(model, pk).unlink(missing_ok=True)
    return beating


def heartbeat_start(*, sweep: bool = False) -> None:
    """The beating thread of this process (once); with `sweep`, it also sweeps (the worker)."""
    global _thread
    if settings.JOB_HEARTBEAT_SECONDS <= 0:
        return
    with _lock:
        if _thread is not None and _thread.is_alive():
            return
        _thread = threading.Thread(
            target=_heartbeat_loop, args=(sweep,), name="lindung-heartbeat", daemon=True
        )
        _thread.start()


def _heartbeat_loop(sweep: bool) -> None:
    while True:
        time.sleep(settings.JOB_HEARTBEAT_SECONDS)
        try:
            beat_watched()
            if sweep:
                jobs_sweep()
        except Exception:
            logger.exception("heartbeat failed")
        finally:
            connections.close_all()  # this thread's own connections only


def _last_sign_of_life(job: BackgroundJob) -> datetime | None:
    last = job.heartbeat_at or job.started_at or job.created_at
    try:
        mtime = _beat_file(type(job), job.pk).stat().st_mtime
    except OSError:
        return last
    touched = datetime.fromtimestamp(mtime, tz=UTC)
    return touched if last is None or touched > last else last


def job_dead(job: BackgroundJob, *, now: datetime | None = None) -> bool:
    """Running, with no sign of life for JOB_DEAD_AFTER_SECONDS: its process is gone."""
    if job.status != JobStatus.RUNNING:
        return False
    last = _last_sign_of_life(job)
    limit = timedelta(seconds=settings.JOB_DEAD_AFTER_SECONDS)
    return last is not None and (now or timezone.now()) - last > limit


def _fail_dead(job: BackgroundJob, *, now: datetime) -> bool:
    """Mark a dead job failed, unless it beat meanwhile (the update re-checks the beat)."""
    same_beat: dict[str, Any] = (
        {"heartbeat_at": job.heartbeat_at} if job.heartbeat_at else {"heartbeat_at__isnull": True}
    )
    failed = (
        type(job)
        ._default_manager.filter(pk=job.pk, status=JobStatus.RUNNING, **same_beat)
        .update(status=JobStatus.FAILED, message=str(DEAD_MESSAGE), finished_at=now)
    )
    if failed:
        logger.warning("job %s #%s marked failed: no heartbeat", job._meta.label, job.pk)
        _beat_file(type(job), job.pk).unlink(missing_ok=True)
        job_swept.send(sender=type(job), job=type(job)._default_manager.get(pk=job.pk))
    return failed > 0


def job_models() -> list[type[BackgroundJob]]:
    return [m for m in apps.get_models() if issubclass(m, BackgroundJob)]


def jobs_sweep(*, now: datetime | None = None) -> int:
    """Mark failed every running job of any kind whose process is gone; how many."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.JOB_DEAD_AFTER_SECONDS)
    swept = 0
    for model in job_models():
        silent = model._default_manager.filter(status=JobStatus.RUNNING).filter(
            models.Q(heartbeat_at__lt=limit)
            | models.Q(heartbeat_at__isnull=True, started_at__lt=limit)
            | models.Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=limit)
        )
        for job in silent.only("pk", "status", "heartbeat_at", "started_at", "created_at"):
            if job_dead(job, now=now) and _fail_dead(job, now=now):
                swept += 1
    return swept


J = TypeVar("J", bound=BackgroundJob)


def job_checked(job: J) -> J:
    """`job` as its page should show it: failed when its process is gone (a job page calls
    this before rendering). A busy database leaves it as it is until the next read."""
    if not job_dead(job):
        return job
    try:
        with _briefly_waiting():
            failed = _fail_dead(job, now=timezone.now())
        if failed:
            job.refresh_from_db()
    except DatabaseError:
        logger.warning("job %s #%s: sweep postponed, database busy", job._meta.label, job.pk)
    return job
