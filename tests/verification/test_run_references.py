"""A run's transaction writes its verdicts on SQLite without looking each reference up
(`bulk.references_read_here`): every verdict's references still hold, and the connection
checks foreign keys again afterwards, after a failed run too. A module of its own: the flush
of a transactional test empties the region tree until module end."""

from __future__ import annotations

import pytest
from django.db import connection

from lindung.verification import services, verify
from lindung.verification.models import RowVerdict
from tests.enrollment.test_approval_concurrency import (  # noqa: F401 - fixtures
    _flushable,
    _restored_after_flush,
)
from tests.verification.test_runs import handed_in, small_register  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def keys_checked() -> bool:
    """Whether the connection checks foreign keys as rows are written (PostgreSQL always)."""
    if connection.vendor != "sqlite":
        return True
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


def broken_references() -> list[tuple]:
    if connection.vendor != "sqlite":
        return []  # PostgreSQL refused them as they were written
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_key_check")
        return list(cursor.fetchall())


@pytest.mark.usefixtures("_restored_after_flush", "_flushable")
def test_a_run_writes_verdicts_unchecked_on_sqlite_every_reference_holds_and_checks_resume(
    handed_in,  # noqa: F811 - the fixture
    program,
    monkeypatch,
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(verify, "insert_frame", broken)
    with pytest.raises(RuntimeError):
        services.run_verification(actor="cli", program=program)
    assert keys_checked()  # after a failed run too
    monkeypatch.undo()

    checked_while_writing = []
    insert = verify.insert_frame

    def watched(*args, **kwargs):
        checked_while_writing.append(keys_checked())
        return insert(*args, **kwargs)

    monkeypatch.setattr(verify, "insert_frame", watched)
    run = services.run_verification(actor="cli", program=program)

    assert checked_while_writing == [connection.vendor != "sqlite"]
    verdicts = RowVerdict.objects.filter(run=run)
    assert verdicts.count() == 7
    assert verdicts.filter(duplicate_of__isnull=False).exists()
    assert verdicts.filter(record__isnull=False).exists()
    assert broken_references() == []
    assert keys_checked()
