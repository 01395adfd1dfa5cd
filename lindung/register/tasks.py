"""The register's background task, run by `lindung db_worker` (started by `lindung serve`).
It is defined beside its work in the services; this module names it for the worker and for
loads queued under this path."""

from __future__ import annotations

from lindung.register.services import run_register_load_job

__all__ = ["run_register_load_job"]
