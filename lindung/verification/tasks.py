"""Background jobs of verification, run by `lindung db_worker` (started by `lindung serve`)."""

from __future__ import annotations

from django_tasks import task

from lindung.audit.context import RequestContext, bound, new_request_id
from lindung.register import tasks as register_tasks
from lindung.verification.services import run_execute


@task()
def run_verification_job(run_id: int) -> None:
    with bound(RequestContext(request_id=new_request_id(), channel="task")):
        run_execute(run_id=run_id)


# Register loads queued before the register became its own app name their task by this path.
run_register_load_job = register_tasks.run_register_load_job
