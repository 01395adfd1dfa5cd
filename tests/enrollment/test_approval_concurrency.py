"""Two approvals at once never overbook: 50 one-person proposals approved at the same time by
50 connections against a program quota of 10 enrol exactly 10 and refuse 40 for the quota."""

from __future__ import annotations

import importlib
import threading

import pytest
from django.db import connection

from lindung.enrollment.approval import ApprovalRefused, allocation_approve
from lindung.enrollment.models import Allocation, AllocationStatus
from lindung.regions.services import regions_load
from lindung.workers.models import Enrolment
from tests.factories import AllocationFactory, AllocationLineFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
APPEND_ONLY = importlib.import_module("lindung.audit.migrations.0002_append_only")


@pytest.fixture(scope="module")
def _restored_after_flush(django_db_blocker):
    """A transactional test empties every table at its end: put back what the session's
    database held (seeded rule tables, the region tree, the audit log's guard). Module
    scope: this runs after the function-scoped flush."""
    yield
    with django_db_blocker.unblock():
        serialized = getattr(connection, "_test_serialized_contents", None)
        if serialized:
            connection.creation.deserialize_db_from_string(serialized)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                for sql in APPEND_ONLY.SQLITE_UP:
                    cursor.execute(sql)
        regions_load(province="35")


@pytest.fixture
def _flushable(transactional_db):
    """SQLite empties tables with DELETE, which the audit log's trigger refuses."""
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in APPEND_ONLY.SQLITE_DOWN:
                cursor.execute(sql)


@pytest.mark.usefixtures("_restored_after_flush", "_flushable")
def test_fifty_concurrent_approvals_against_a_quota_of_ten_approve_exactly_ten(
    program, agency, funding_source, verifier, approver
):
    program.quota = 10
    program.save()
    ids = []
    for _ in range(50):
        allocation = AllocationFactory(program=program, proposed_by=verifier, allocated=1)
        AllocationLineFactory(allocation=allocation, agency=agency, funding_source=funding_source)
        ids.append(allocation.pk)
    outcomes: list[str] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(50)

    def approve(pk: int) -> None:
        try:
            allocation = Allocation.objects.get(pk=pk)
            gate.wait()
            allocation_approve(actor=approver, allocation=allocation)
            outcomes.append("approved")
        except ApprovalRefused:
            outcomes.append("refused")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert outcomes.count("approved") == 10
    assert outcomes.count("refused") == 40
    assert Enrolment.objects.filter(program=program).count() == 10
    statuses = Allocation.objects.filter(program=program).values_list("status", flat=True)
    assert list(statuses).count(AllocationStatus.APPROVED) == 10
    assert list(statuses).count(AllocationStatus.PROPOSED) == 40
