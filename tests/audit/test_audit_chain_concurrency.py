"""Concurrent writers never fork a Pemda's audit chain: the chain-head lock makes them queue
(PostgreSQL row lock, SQLite write lock). Transactional, so a module of its own."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from lindung.audit.chain import verify
from lindung.audit.models import AuditChain, AuditEvent
from lindung.audit.services import audit_record
from lindung.common.retry import when_locked
from tests.enrollment.test_approval_concurrency import (  # noqa: F401 - fixtures
    _flushable,
    _restored_after_flush,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _record(admin, label: str) -> None:
    with transaction.atomic():
        audit_record(actor=admin, action="program.updated", label=label)


@pytest.mark.usefixtures("_restored_after_flush", "_flushable")
def test_eight_simultaneous_writers_leave_one_unbroken_chain(admin):
    before = AuditEvent.objects.filter(pemda=admin.pemda).count()
    gate = threading.Barrier(8)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            gate.wait()
            for i in range(5):
                # As services do: SQLite's shared-cache test database cannot wait for a
                # writer and says "table is locked"; the unit of work is tried again.
                when_locked(lambda i=i: _record(admin, f"{n}-{i}"))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    events = AuditEvent.objects.filter(pemda=admin.pemda).order_by("id")
    assert events.count() == before + 40
    hashes = [e.prev_hash for e in events]
    assert len(set(hashes)) == len(hashes)  # no two events share a predecessor: no fork
    assert AuditChain.objects.get(key=f"pemda-{admin.pemda_id}").length == before + 40
    assert verify(admin.pemda_id)["intact"] is True
