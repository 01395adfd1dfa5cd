"""Background jobs: one status, one record of progress, one rule for a job whose worker died,
and one way to queue a task once the transaction that asked for it has committed.

Every long piece of work a person waits for (an import, a register load, a verification run,
a feedback file) is a model inheriting `BackgroundJob`; its task runs in `lindung db_worker`
(django-tasks' database backend, started by `lindung serve`) and reports on the row, which the
progress page polls.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


def job_started(job: BackgroundJob) -> None:
    """Mark `job` running (outside the work's own transaction, so the page sees it)."""
    now = timezone.now()
    type(job)._default_manager.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, progress=0, message="", started_at=now, heartbeat_at=now,
        finished_at=None,
    )  # fmt: skip


def job_beat(job: BackgroundJob, *, progress: int, **fields: Any) -> None:
    """Progress in percent (and any of the job's own fields, e.g. its phase), with a sign of
    life."""
    type(job)._default_manager.filter(pk=job.pk).update(
        progress=max(0, min(progress, 100)), heartbeat_at=timezone.now(), **fields
    )


def job_failed(job: BackgroundJob, message: str) -> None:
    """Record why `job` failed, in words for the person waiting for it."""
    type(job)._default_manager.filter(pk=job.pk).update(
        status=JobStatus.FAILED, message=message, finished_at=timezone.now()
    )


def job_requeued(job: BackgroundJob) -> None:
    """Back in the queue, as new: a restart of a failed or stalled job."""
    type(job)._default_manager.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, progress=0, message="", started_at=None, heartbeat_at=None,
        finished_at=None,
    )  # fmt: skip


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """Queue `task` with `args` once the current transaction commits (at once outside one): a
    worker must never pick up a job whose row it cannot see yet, nor one rolled back."""
    transaction.on_commit(lambda: task.enqueue(*args))
