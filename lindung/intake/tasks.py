"""Background jobs, run by `lindung db_worker` (started by `lindung serve`)."""

from __future__ import annotations

import contextlib

from django_tasks import task

from lindung.audit.context import RequestContext, bound, new_request_id
from lindung.common.errors_domain import ServiceError
from lindung.intake.services import feedback_export_run, job_run


@task()
def run_import_job(job_id: int) -> None:
    # A user's mistake (an unreadable sheet...) is already recorded on the job for the
    # progress page; it is not a worker failure.
    with (
        bound(RequestContext(request_id=new_request_id(), channel="task")),
        contextlib.suppress(ServiceError),
    ):
        job_run(job_id=job_id)


@task()
def run_feedback_export(export_id: int) -> None:
    with bound(RequestContext(request_id=new_request_id(), channel="task")):
        feedback_export_run(export_id=export_id)
