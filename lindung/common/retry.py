"""Run a unit of work again when SQLite could not wait for a writer ("database is locked";
a shared-cache test database says "database table is locked"). PostgreSQL waits on its row
locks instead, so there this runs the work once. Inside a caller's transaction there is
nothing to retry: it runs once."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection

T = TypeVar("T")
LOCK_RETRIES = 60


def when_locked(work: Callable[[], T], *, before_retry: Callable[[], object] | None = None) -> T:
    attempts = 1 if connection.in_atomic_block else LOCK_RETRIES
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(min(0.02 * (attempt + 1), 0.5) * (1 + random.random()))  # noqa: S311 - jitter
            if before_retry is not None:
                before_retry()
    raise AssertionError("unreachable")  # pragma: no cover
