from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from lindung.accounts.models import Actor, Agency, Pemda
from lindung.audit.services import audit_record
from lindung.workers.models import Worker


def workers_bulk_create(
    *,
    actor: Actor,
    pemda: Pemda,
    workers: Iterable[Worker],
    agency: Agency | None = None,
    source: str,
) -> int:
    """Insert many workers in one transaction with one audit event naming the source;
    NIKs already known in the Pemda are skipped, never overwritten."""
    with transaction.atomic():
        existing = set(Worker.objects.filter(pemda=pemda).values_list("nik", flat=True))
        fresh = []
        for worker in workers:
            if worker.nik in existing:
                continue
            existing.add(worker.nik)
            worker.pemda = pemda
            fresh.append(worker)
        Worker.objects.bulk_create(fresh, batch_size=1000)
        audit_record(
            actor=actor,
            action="worker.bulk_created",
            pemda=pemda,
            changes={
                "source": source,
                "count": len(fresh),
                "agency": agency.code if agency else None,
            },
            label=source,
        )
    return len(fresh)
