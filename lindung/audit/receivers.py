"""What lower layers announce and the audit log records: a background job the sweep marked
failed because its process died (`common.jobs.job_swept`), a state change no person made."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from lindung.audit.services import audit_record
from lindung.common.jobs import job_swept


@receiver(job_swept, dispatch_uid="audit.job_swept")
def job_swept_recorded(sender: Any, job: Any, **kwargs: Any) -> None:
    audit_record(
        actor="sistem",
        action="job.failed_dead",
        obj=job,
        changes={"status": ["running", "failed"], "progress": getattr(job, "progress", None)},
        label=f"{job._meta.verbose_name} #{job.pk}",
    )
