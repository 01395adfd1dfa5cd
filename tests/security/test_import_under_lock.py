"""The command-line import repeats every statement that meets SQLite's lock: the test database
shares one cache between connections, where a statement meeting another connection's table
lock fails at once ("database table is locked") instead of waiting, so a statement left
unrepeated made `test_concurrent_imports` fail now and then. Here another connection takes
the lock just before each new statement of the import, deterministically. A module of its
own: the flush of a transactional test empties the region tree until module end."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, transaction

from lindung.accounts.models import Agency
from lindung.intake.models import ColumnMapping, ImportJob, Submission, UploadedFile
from lindung.programs.models import Occupation, Program
from tests.enrollment.test_approval_concurrency import (  # noqa: F401 - fixtures
    _flushable,
    _restored_after_flush,
)
from tests.intake.conftest import good_csv

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LOCKED_TABLES = (Agency, Program, Occupation, UploadedFile, ColumnMapping, ImportJob, Submission)
HOLD_SECONDS = 0.05


class LockHolder(threading.Thread):
    """Another connection that, on request, writes to the import's tables and holds that
    write (and its table locks) for a moment."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.requests: list[threading.Event] = []
        self.wake = threading.Condition()
        self.done = False

    def hold(self) -> None:
        held = threading.Event()
        with self.wake:
            self.requests.append(held)
            self.wake.notify()
        held.wait(timeout=5)

    def stop(self) -> None:
        with self.wake:
            self.done = True
            self.wake.notify()
        self.join()

    def run(self) -> None:
        try:
            while True:
                with self.wake:
                    self.wake.wait_for(lambda: self.requests or self.done)
                    if self.done:
                        return
                    held = self.requests.pop(0)
                with transaction.atomic(), connection.cursor() as cursor:
                    for model in LOCKED_TABLES:
                        table = connection.ops.quote_name(model._meta.db_table)
                        cursor.execute(f"UPDATE {table} SET id = id WHERE id = -1")  # noqa: S608
                    held.set()
                    threading.Event().wait(HOLD_SECONDS)
        finally:
            connection.close()


@pytest.mark.usefixtures("_restored_after_flush", "_flushable")
def test_an_import_repeats_each_statement_that_meets_another_connections_lock(
    program, agency, tmp_path
):
    path = tmp_path / "daftar.csv"
    path.write_bytes(good_csv())
    holder = LockHolder()
    holder.start()
    seen: set[str] = set()
    met: list[str] = []

    def lock_first(execute, sql, params, many, context):
        if sql not in seen and not connection.in_atomic_block:
            seen.add(sql)
            holder.hold()  # held, for HOLD_SECONDS, when the statement runs
        try:
            return execute(sql, params, many, context)
        except OperationalError as exc:
            met.append(str(exc))
            raise

    out = io.StringIO()
    try:
        with connection.execute_wrapper(lock_first):
            call_command(
                "intake", str(path), "--program", program.code, "--agency", agency.code,
                stdout=out,
            )  # fmt: skip
    finally:
        holder.stop()

    assert out.getvalue().startswith("usulan #")
    assert Submission.objects.count() == 1
    assert ImportJob.objects.get().submission_id == Submission.objects.get().pk
    if connection.vendor == "sqlite":
        # The lock was met (and each time overcome), reads included.
        assert "database table is locked" in met
        assert len(met) >= 10
    else:
        # PostgreSQL makes a statement wait for another's lock: none fails.
        assert met == []
