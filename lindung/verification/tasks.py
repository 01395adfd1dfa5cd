"""The verification run's background task, run by `lindung db_worker` (started by `lindung
serve`). It is defined beside its work in the services; this module names it (and the
register's load, queued under this path before the register became its own app) for the
worker."""

from __future__ import annotations

from lindung.register.services import run_register_load_job
from lindung.verification.services import run_verification_job

__all__ = ["run_register_load_job", "run_verification_job"]
