"""`lindung worker`: django-tasks' database worker (`db_worker`, same options) with Lindung's
heartbeat: it beats for the jobs it runs and, at start and at every beat, marks failed the
running jobs whose process is gone (lindung.common.jobs). `lindung serve` runs it and restarts
it when it dies."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from lindung.common.jobs import heartbeat_start, jobs_sweep


class Command(DbWorkerCommand):
    help = "Menjalankan pekerja latar belakang Lindung (tugas panjang dari antrean)."

    def handle(self, *args: Any, **options: Any) -> None:
        jobs_sweep()  # jobs left running by a worker that died before this one started
        heartbeat_start(sweep=True)
        super().handle(*args, **options)
