"""The verification run's background tasks, run by `lindung db_worker` (started by `lindung
serve`): the run, and the register prepared for matching after a load. Each is defined
beside its work; this module names them (and the register's load, queued under this path
before the register became its own app) for the worker."""

from __future__ import annotations

from lindung.register.services import run_register_load_job
from lindung.verification.register_side import prepare_register_job
from lindung.verification.services import run_verification_job

__all__ = ["prepare_register_job", "run_register_load_job", "run_verification_job"]
