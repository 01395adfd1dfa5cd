"""`common.bulk`: many rows in at once, and planned for afterwards."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time

import polars as pl
import psycopg
import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lindung.common import staging
from lindung.common.bulk import ANALYZE_AFTER, insert_frame, insert_rows
from lindung.register.models import RegisterRecord, RegisterSnapshot
from lindung.workers.models import Worker

pytestmark = pytest.mark.django_db


def _rows(pemda_id: int, count: int, nik_prefix: str = "3504011208"):
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return (
        (pemda_id, f"{nik_prefix}{n:06d}", f"Pekerja {n}", "", None, "", "", "", "", "", now)
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


def _planned_rows_per_pemda() -> float:
    """How many workers the planner's statistics expect for one Pemda."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT s.n_distinct, c.reltuples FROM pg_stats s JOIN pg_class c"
                " ON c.relname = s.tablename"
                " WHERE s.tablename = 'workers_worker' AND s.attname = 'pemda_id'"
            )
            n_distinct, rows = map(float, cursor.fetchone())
            # A negative n_distinct is a share of the rows.
            distinct = -n_distinct * rows if n_distinct < 0 else n_distinct
            return rows / distinct
        cursor.execute(
            "SELECT stat FROM sqlite_stat1 WHERE tbl = 'workers_worker'"
            " AND idx = 'workers_worker_pemda_id_6bc87565'"
        )
        return float(cursor.fetchone()[0].split()[1])


def _no_statistics_of_workers() -> None:
    """Statistics an earlier test committed for workers_worker dropped (inside this test's
    transaction): a flush empties the table, not SQLite's statistics of it."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is not None:
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'workers_worker'")


def test_the_statistics_after_a_load_count_the_whole_table(pemda):
    """SQLite's sampled ANALYZE read only the first thousand entries of each index, all of one
    Pemda here, and said every Pemda had about a thousand workers; the planner then took a
    program's index over (Pemda, KPJ) and read 500.000 enrolments for one KPJ."""
    with transaction.atomic():
        _no_statistics_of_workers()
        insert_rows(Worker, COLUMNS, _rows(pemda.pk, 2_500))
        workers = Worker.objects.filter(pemda=pemda).count()
        assert Worker.objects.exclude(pemda=pemda).count() == 0
        assert _planned_rows_per_pemda() == pytest.approx(workers, rel=0.05)


def test_a_load_small_beside_the_table_leaves_sqlites_statistics_as_they_are(pemda):
    """A whole ANALYZE again only when a load is a tenth of the rows last counted, or more:
    a table that keeps growing (each run's verdicts) is not read whole for every load. On
    PostgreSQL ANALYZE samples the table and runs after every large load."""
    with transaction.atomic():
        _no_statistics_of_workers()
        insert_rows(Worker, COLUMNS, _rows(pemda.pk, 12_000))
        first = _planned_rows()
        insert_rows(Worker, COLUMNS, _rows(pemda.pk, 1_100, nik_prefix="3504021200"))
        after_small = _planned_rows()
        insert_rows(Worker, COLUMNS, _rows(pemda.pk, 1_300, nik_prefix="3504031200"))
        after_large = _planned_rows()
    if connection.vendor == "sqlite":
        assert (first, after_small, after_large) == (12_000, 12_000, 14_400)
    else:
        assert after_small == pytest.approx(13_100, rel=0.05)
        assert after_large == pytest.approx(14_400, rel=0.05)


def _values_of_every_kind() -> pl.DataFrame:
    """Integers past 2**53, reals, text like a number and beyond ASCII, dates, booleans, and
    a row of NULLs."""
    return pl.DataFrame(
        {
            "id": [1, None, 2**60 + 1],
            "score": [0.1, None, 1 / 3],
            "name": ["Siti Ñur’aini", None, "12"],
            "born": [dt.date(1980, 1, 2), None, dt.date(2001, 12, 31)],
            "sure": [True, None, False],
        }
    )


def test_values_go_to_sqlite_as_they_are_integers_with_nulls_too():
    from lindung.common.bulk import _as_sqlite_values, _objects

    assert _objects(_as_sqlite_values(_values_of_every_kind())).tolist() == [
        [1, 0.1, "Siti Ñur’aini", "1980-01-02", 1],
        [None, None, None, None, None],
        [2**60 + 1, 1 / 3, "12", "2001-12-31", 0],
    ]


def test_staged_values_keep_their_values_and_storage_classes_exactly():
    from lindung.common.bulk import _as_sqlite_values
    from lindung.common.staging import _staged_database, _staging_folder

    frame = _values_of_every_kind()
    scratch = sqlite3.connect(":memory:")
    scratch.deserialize(_staged_database(_as_sqlite_values(frame), _staging_folder()))
    shown = ", ".join(f"typeof({c}), {c}" for c in frame.columns)
    staged = scratch.execute(f"SELECT {shown} FROM staged ORDER BY rowid")  # noqa: S608
    assert staged.fetchall() == [
        ("integer", 1, "real", 0.1, "text", "Siti Ñur’aini", "text", "1980-01-02", "integer", 1),
        ("null", None, "null", None, "null", None, "null", None, "null", None),
        ("integer", 2**60 + 1, "real", 1 / 3, "text", "12", "text", "2001-12-31", "integer", 0),
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


# -- large frames on SQLite, staged (`staging.insert_staged`) --------------------------------


def _snapshot(pemda, name: str) -> RegisterSnapshot:
    return RegisterSnapshot.objects.create(
        pemda=pemda, source="dtks", as_of=dt.date(2025, 6, 30), file_name=name, sha256="0" * 64
    )


def _records(count: int, desil_of_last: int | None = 3) -> pl.DataFrame:
    """Register records of every kind of value: text that looks like a number, names beyond
    ASCII, dates and numbers with and without NULLs, JSON texts, booleans."""
    n = range(count)
    return pl.DataFrame(
        {
            "register_id": [f"R{i:07d}" for i in n],
            "nik": [f"3504{i:012d}" for i in n],
            "kk": ["" if i % 4 else f"3504{i:012d}" for i in n],
            "name": ["Siti Nur’aini Ñ" if i % 3 == 0 else f"Budi {i}" for i in n],
            "birth_place": ["12" if i % 2 else "Tulungagung" for i in n],
            "birth_date": [
                None if i % 5 == 0 else dt.date(1950 + i % 50, 1 + i % 12, 1 + i % 28) for i in n
            ],
            "sex": ["L" if i % 2 else "P" for i in n],
            "address": ["Jl. Mawar 1" for _ in n],
            "rt": ["001" for _ in n],
            "rw": ["02" for _ in n],
            "desil": [None if i % 7 == 0 else i % 10 + 1 for i in n[:-1]] + [desil_of_last],
            "occupation": ["nelayan" for _ in n],
            "raw": [json.dumps({"No": i, "Nama": "Siti"}) for i in n],
            "issues": ["[]" for _ in n],
            "deceased": [i % 11 == 0 for i in n],
        }
    )


def _stored(snapshot: RegisterSnapshot) -> list[tuple[object, ...]]:
    """The snapshot's records as the database holds them, in the order of their ids, on
    SQLite with each value's storage class."""
    columns = [c for c in _records(1).columns if c != "deceased"] + ["deceased"]
    quote = connection.ops.quote_name
    shown = ", ".join(
        f"typeof({quote(c)}), {quote(c)}" if connection.vendor == "sqlite" else quote(c)
        for c in columns
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {shown} FROM verification_registerrecord"  # noqa: S608 - our own names
            " WHERE snapshot_id = %s ORDER BY id",
            [snapshot.pk],
        )
        return cursor.fetchall()


def _staging_left() -> tuple[list[str], int]:
    """Files in the staging folder, and rows in the staging database (SQLite: attached to
    the connection by the first staged load)."""
    folder = settings.VAR_DIR / "bulk-staging"
    files = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    if connection.vendor != "sqlite":  # COPY: nothing staged
        return files, 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM lindung_staging.staged")
        return files, cursor.fetchone()[0]


def test_a_large_frame_is_stored_as_a_small_one_would_be_in_order(pemda, monkeypatch):
    frame = _records(staging.STAGED_FROM + 7)
    staged, bound = _snapshot(pemda, "a.csv"), _snapshot(pemda, "b.csv")
    with transaction.atomic():
        insert_frame(
            RegisterRecord, frame, constants={"snapshot_id": staged.pk, "pemda_id": pemda.pk}
        )
    monkeypatch.setattr(staging, "STAGED_FROM", 10**9)  # value by value, as a small frame goes
    with transaction.atomic():
        insert_frame(
            RegisterRecord, frame, constants={"snapshot_id": bound.pk, "pemda_id": pemda.pk}
        )
    if connection.vendor == "sqlite":
        assert _staging_left() == ([], 0)  # staged, and emptied since
    stored = _stored(staged)
    assert len(stored) == frame.height
    assert stored == _stored(bound)
    # Ids in the frame's order (the register's columnar cache relies on it).
    ids = RegisterRecord.objects.filter(snapshot=staged).order_by("pk")
    assert list(ids.values_list("register_id", flat=True)) == frame["register_id"].to_list()
    if connection.vendor == "sqlite":
        first = stored[0]
        assert first[:6] == (
            "text",
            "R0000000",
            "text",
            "3504000000000000",
            "text",
            "3504000000000000",
        )
        assert stored[1][8:10] == ("text", "12")  # text that looks like a number stays text


def test_a_frame_larger_than_one_staging_is_staged_in_slices_in_order(pemda, monkeypatch):
    monkeypatch.setattr(staging, "_STAGED_BYTES", 200_000)  # a few thousand rows a slice
    frame = _records(3 * staging.STAGED_FROM)
    snapshot = _snapshot(pemda, "a.csv")
    with transaction.atomic():
        count = insert_frame(
            RegisterRecord, frame, constants={"snapshot_id": snapshot.pk, "pemda_id": pemda.pk}
        )
        # A second load in the same transaction finds the staging database attached.
        insert_frame(
            RegisterRecord,
            frame.with_columns(pl.col("register_id") + "b"),
            constants={"snapshot_id": snapshot.pk, "pemda_id": pemda.pk},
        )
    assert count == frame.height
    ids = RegisterRecord.objects.filter(snapshot=snapshot).order_by("pk")
    register_ids = frame["register_id"].to_list()
    assert list(ids.values_list("register_id", flat=True)) == register_ids + [
        r + "b" for r in register_ids
    ]
    assert _staging_left() == ([], 0)


def test_a_large_load_that_breaks_a_constraint_leaves_nothing_and_the_next_one_works(pemda):
    snapshot = _snapshot(pemda, "a.csv")
    constants = {"snapshot_id": snapshot.pk, "pemda_id": pemda.pk}
    broken = _records(staging.STAGED_FROM, desil_of_last=-1)  # CHECK ("desil" >= 0)
    with pytest.raises(BROKEN), transaction.atomic():
        insert_frame(RegisterRecord, broken, constants=constants)
    assert not RegisterRecord.objects.filter(snapshot=snapshot).exists()
    assert _staging_left() == ([], 0)
    with transaction.atomic():
        insert_frame(RegisterRecord, _records(staging.STAGED_FROM), constants=constants)
    assert RegisterRecord.objects.filter(snapshot=snapshot).count() == staging.STAGED_FROM


def test_a_staging_file_a_dead_process_left_is_removed(pemda):
    folder = settings.VAR_DIR / "bulk-staging"
    folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    folder.chmod(0o755)
    left = folder / "bulk-dead.sqlite3"
    left.write_bytes(b"rows of a load that never finished")
    recent = folder / "bulk-writing.sqlite3"
    recent.write_bytes(b"rows being written now")
    an_hour_and_more = time.time() - 3_700
    os.utime(left, (an_hour_and_more, an_hour_and_more))
    snapshot = _snapshot(pemda, "a.csv")
    try:
        with transaction.atomic():
            insert_frame(
                RegisterRecord,
                _records(staging.STAGED_FROM),
                constants={"snapshot_id": snapshot.pk, "pemda_id": pemda.pk},
            )
        if connection.vendor == "sqlite":
            assert not left.exists()
            assert recent.exists()
            assert folder.stat().st_mode & 0o777 == 0o700  # owner-only, as it was not made
    finally:
        # The recent file is the test's own: a test after it finds the folder empty.
        recent.unlink(missing_ok=True)
        left.unlink(missing_ok=True)
