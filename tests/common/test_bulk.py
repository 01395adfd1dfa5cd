"""`common.bulk`: many rows in at once, and planned for afterwards."""

from __future__ import annotations

import datetime as dt
import sqlite3

import polars as pl
import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lindung.common.bulk import ANALYZE_AFTER, insert_frame, insert_rows
from lindung.register.models import RegisterSnapshot
from lindung.workers.models import Worker

pytestmark = pytest.mark.django_db


def _rows(pemda_id: int, count: int):
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return (
        (pemda_id, f"3504011208{n:06d}", f"Pekerja {n}", "", None, "", "", "", "", "", now)
        for n in range(1, count + 1)
    )


COLUMNS = (
    "pemda_id", "nik", "name", "birth_place", "birth_date", "sex", "address", "rt", "rw",
    "phone", "created_at",
)  # fmt: skip


def test_streamed_rows_all_arrive(pemda):
    with transaction.atomic():
        count = insert_rows(Worker, COLUMNS, _rows(pemda.pk, 2_500))
    assert count == 2_500
    assert Worker.objects.filter(pemda=pemda).count() == 2_500


def _planned_rows() -> float:
    """What the database's planner statistics say workers_worker holds (0: no statistics)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'workers_worker'")
            return max(float(cursor.fetchone()[0]), 0.0)
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return 0.0
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'workers_worker'")
        return max((float(stat.split()[0]) for (stat,) in cursor.fetchall()), default=0.0)


def test_after_a_large_load_the_planner_knows_the_table_is_no_longer_empty(pemda):
    """Without fresh statistics PostgreSQL plans a just-filled table as an empty one (a
    nested loop over 22.000 × 22.000 rows took 15 s in the demo's bills)."""
    with transaction.atomic():
        insert_rows(Worker, COLUMNS, _rows(pemda.pk, ANALYZE_AFTER + 500))
        assert _planned_rows() >= ANALYZE_AFTER


def test_values_go_to_sqlite_as_they_are_integers_with_nulls_too():
    from lindung.common.bulk import _as_sqlite_values, _objects

    frame = pl.DataFrame(
        {
            "id": [1, None, 2**60 + 1],
            "score": [0.1, None, 1 / 3],
            "name": ["Siti", None, "12"],
            "born": [dt.date(1980, 1, 2), None, dt.date(2001, 12, 31)],
            "sure": [True, None, False],
        }
    )
    assert _objects(_as_sqlite_values(frame)).tolist() == [
        [1, 0.1, "Siti", "1980-01-02", 1],
        [None, None, None, None, None],
        [2**60 + 1, 1 / 3, "12", "2001-12-31", 0],
    ]


def _snapshot_rows(pemda_id: int, rows: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "pemda_id": [pemda_id], "source": ["DTKS"], "as_of": [dt.date(2025, 6, 30)],
            "file_name": ["dtks.xlsx"], "sha256": ["0" * 64], "region_code_style": ["names"],
            "rows": [rows], "rejected": [0],
            "created_at": [connection.ops.adapt_datetimefield_value(timezone.now())],
        }
    )  # fmt: skip


# A broken constraint as each database driver reports it (the bulk writer uses the drivers'
# own cursors), or as Django does.
BROKEN = (IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError)


def test_check_constraints_are_skipped_only_where_the_caller_made_the_values(pemda):
    # A negative count breaks the table's CHECK ("rows" >= 0): a caller vouching for its
    # values (`checked_here`) is not checked row by row on SQLite; PostgreSQL checks anyway.
    broken = _snapshot_rows(pemda.pk, -1)
    if connection.vendor == "sqlite":
        with transaction.atomic():
            insert_frame(RegisterSnapshot, broken, checked_here=True)
        stored = RegisterSnapshot.objects.filter(pemda=pemda).values_list("rows", flat=True)
        assert list(stored) == [-1]
    else:
        with pytest.raises(BROKEN), transaction.atomic():
            insert_frame(RegisterSnapshot, broken, checked_here=True)
    # Every other load is checked, on SQLite with the switch set back after the load.
    with pytest.raises(BROKEN), transaction.atomic():
        insert_frame(RegisterSnapshot, broken)
    with transaction.atomic():
        insert_frame(RegisterSnapshot, _snapshot_rows(pemda.pk, 5), checked_here=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterSnapshot.objects.filter(pemda=pemda, rows=5).update(rejected=-2)
