"""The background tasks of intake, run by `lindung db_worker` (started by `lindung serve`).
Each task is defined beside the work it runs, in the services; this module names them for
the worker and for anything queued under these paths before they moved."""

from __future__ import annotations

from lindung.intake.services.feedback import run_feedback_export
from lindung.intake.services.jobs import run_import_job

__all__ = ["run_feedback_export", "run_import_job"]
