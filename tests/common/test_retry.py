"""`when_locked` repeats a unit of work that met SQLite's lock: "database is locked" (another
connection's write, SQLITE_BUSY) and "database table is locked" (a shared-cache connection's
table lock, SQLITE_LOCKED, which SQLite reports at once, without waiting)."""

from __future__ import annotations

import pytest
from django.db import OperationalError, transaction

from lindung.common import retry
from lindung.common.retry import when_locked


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch):
    monkeypatch.setattr(retry.time, "sleep", lambda _seconds: None)


def failing(times: int, message: str):
    calls: list[int] = []

    def work() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError(message)
        return "done"

    return work, calls


@pytest.mark.parametrize(
    "message",
    ["database table is locked", "database is locked", "database schema is locked"],
)
def test_work_meeting_a_lock_is_repeated_until_it_succeeds(message):
    work, calls = failing(3, message)
    rewound: list[int] = []

    assert when_locked(work, before_retry=lambda: rewound.append(1)) == "done"
    assert len(calls) == 4
    assert len(rewound) == 3


def test_another_database_error_is_not_repeated():
    work, calls = failing(1, "no such table: intake_importjob")

    with pytest.raises(OperationalError, match="no such table"):
        when_locked(work)
    assert len(calls) == 1


def test_a_lock_that_never_goes_away_is_reported_after_the_last_attempt():
    work, calls = failing(retry.LOCK_RETRIES, "database table is locked")

    with pytest.raises(OperationalError, match="database table is locked"):
        when_locked(work)
    assert len(calls) == retry.LOCK_RETRIES


@pytest.mark.django_db
def test_inside_a_transaction_the_work_runs_once():
    # The transaction is already broken: repeating one statement of it would not help.
    work, calls = failing(1, "database table is locked")

    with transaction.atomic(), pytest.raises(OperationalError):
        when_locked(work)
    assert len(calls) == 1
