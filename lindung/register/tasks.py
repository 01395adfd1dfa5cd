"""Background jobs of the register, run by `lindung db_worker` (started by `lindung serve`)."""

from __future__ import annotations

import contextlib

from django_tasks import task

from lindung.audit.context import RequestContext, bound, new_request_id
from lindung.common.errors_domain import ServiceError
from lindung.register.services import register_job_run


@task()
def run_register_load_job(job_id: int) -> None:
    # A refused file (no NIK column, a damaged workbook...) is recorded on the job for its
    # page; it is not a worker failure.
    with (
        bound(RequestContext(request_id=new_request_id(), channel="task")),
        contextlib.suppress(ServiceError),
    ):
        register_job_run(job_id=job_id)
