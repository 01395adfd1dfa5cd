"""Writing a cleaned register into `RegisterRecord` in bulk: INSERT ... executemany on
SQLite, COPY on PostgreSQL, inside the caller's transaction (see `insert_records`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

import polars as pl
from django.db import connection
from django.db.models import Sum

from lindung.register.clean import CleanRegister
from lindung.register.models import RegisterRecord, RegisterSnapshot

# Columns of RegisterRecord written by `insert_records`, in this order.
COLUMNS: Final = (
    "snapshot_id", "pemda_id", "register_id", "nik", "kk", "name", "birth_place", "birth_date",
    "sex", "address", "rt", "rw", "district_id", "village_id", "desil", "occupation", "raw",
    "issues", "deceased",
)  # fmt: skip

_SQLITE_CACHE_KIB: Final = 512 * 1024
# Rows per INSERT statement on SQLite: one statement per row pays SQLite's per-statement
# work (and AUTOINCREMENT's sqlite_sequence update) a million times; 100 rows of 16
# parameters stay far below the 32.766-parameter limit (999 before SQLite 3.32).
_SQLITE_ROWS_PER_STATEMENT: Final = 100
_CHUNK_ROWS: Final = 20_000
# Rebuilding the indexes after the insert reads the whole table, earlier snapshots too, while
# keeping them costs per new row (random-order B-tree inserts). Measured on SQLite
# (docs/benchmarks.md): rebuilding wins while up to twice as many rows are already there.
_REBUILD_WHEN_EXISTING_AT_MOST: Final = 2


def _index_sql() -> list[tuple[str, str]]:
    """(DROP, CREATE) statements of RegisterRecord's indexes, as the migrations made them."""
    editor = connection.schema_editor()  # not entered: only its SQL builders are used
    quote = connection.ops.quote_name
    return [
        (f"DROP INDEX {quote(index.name)}", str(index.create_sql(RegisterRecord, editor)))
        for index in RegisterRecord._meta.indexes
    ]


def rebuild_indexes_pays(*, new_rows: int, snapshot_id: int) -> bool:
    """Whether to drop RegisterRecord's indexes for this load and build them after it.

    Only on SQLite: there the load holds the database's one write lock anyway and readers
    (WAL) keep seeing the last commit, so dropping the indexes inside the transaction costs
    nobody anything. On PostgreSQL DROP INDEX would lock every register record of every
    Pemda against reading until the load commits."""
    if connection.vendor != "sqlite":
        return False
    existing = (
        RegisterSnapshot.objects.exclude(pk=snapshot_id).aggregate(total=Sum("rows"))["total"] or 0
    )
    return existing <= _REBUILD_WHEN_EXISTING_AT_MOST * new_rows


def insert_records(
    clean: CleanRegister,
    *,
    snapshot_id: int,
    pemda_id: int,
    rebuild_indexes: bool | None = None,
) -> int:
    """Insert the cleaned rows of one snapshot. Must run inside a transaction: a failure
    leaves nothing behind, the indexes included (DDL is transactional on SQLite and
    PostgreSQL). `rebuild_indexes` None decides by `rebuild_indexes_pays`."""
    if not connection.in_atomic_block:
        raise RuntimeError("insert_records must run inside transaction.atomic()")
    if rebuild_indexes is None:
        rebuild_indexes = rebuild_indexes_pays(new_rows=clean.rows, snapshot_id=snapshot_id)
    meta = RegisterRecord._meta
    quote = connection.ops.quote_name
    columns = []
    for attname in COLUMNS:
        fld = next(f for f in meta.concrete_fields if f.attname == attname)
        columns.append(quote(fld.column))
    table = quote(meta.db_table)
    indexes = _index_sql() if rebuild_indexes else []
    with connection.cursor() as cursor, _load_settings(cursor):
        for drop, _create in indexes:
            cursor.execute(drop)
        if connection.vendor == "postgresql":
            count = _copy_postgresql(cursor, clean, table, columns, snapshot_id, pemda_id)
            if indexes:
                # CREATE INDEX refuses a table with deferred foreign-key checks pending.
                connection.check_constraints()
        else:
            count = _insert_sqlite(cursor, clean, table, columns, snapshot_id, pemda_id)
        for _drop, create in indexes:
            cursor.execute(create)
    return count


@contextmanager
def _load_settings(cursor: Any) -> Iterator[None]:
    """On SQLite, a page cache big enough for the new pages and the index sorter while
    loading (the default 2 MB makes most index inserts miss it), back to the connection's
    own size afterwards: a persistent connection must not keep 512 MB."""
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    previous = int(cursor.fetchone()[0])
    cursor.execute(f"PRAGMA cache_size = {-_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {previous}")


def _copy_postgresql(
    cursor: Any,
    clean: CleanRegister,
    table: str,
    columns: Sequence[str],
    snapshot_id: int,
    pemda_id: int,
) -> int:
    frame = clean.frame.select(
        pl.lit(snapshot_id).alias("snapshot_id"),
        pl.lit(pemda_id).alias("pemda_id"),
        *COLUMNS[2:],
    )
    count = 0
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        for row in frame.iter_rows():
            copy.write_row(row)
            count += 1
    return count


def _insert_sqlite(
    cursor: Any,
    clean: CleanRegister,
    table: str,
    columns: Sequence[str],
    snapshot_id: int,
    pemda_id: int,
) -> int:
    # Every value goes as text (NULL stays NULL): numpy gives an object array of str/None
    # that reshapes into statement-sized parameter lists at C speed, where polars' rows()
    # costs twice as much. SQLite's INTEGER affinity stores desil ('4') as the integer 4,
    # exactly as the ORM would.
    # Booleans as "0"/"1": SQLite's NUMERIC affinity stores the integers Django reads back.
    frame = clean.frame.select(
        (pl.col(c).cast(pl.Int8) if c == "deceased" else pl.col(c)).cast(pl.String)
        for c in COLUMNS[2:]
    )
    width = frame.width
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = min(_SQLITE_ROWS_PER_STATEMENT, limit // width)
    # The two ids are the same on every row: literals, not a million parameters each.
    fixed = f"{int(snapshot_id)}, {int(pemda_id)}, "
    one_row = "(" + fixed + ", ".join(["?"] * width) + ")"

    def statement(rows: int) -> str:
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join(  # noqa: S608
            [one_row] * rows
        )

    raw = cursor.cursor  # the backend's sqlite3 cursor: "?" parameters, no debug wrapper
    many = statement(per_statement)
    single = statement(1)
    count = 0
    chunk_rows = _CHUNK_ROWS // per_statement * per_statement
    for chunk in frame.iter_slices(chunk_rows):
        values = chunk.to_numpy()
        whole = len(values) // per_statement * per_statement
        raw.executemany(many, values[:whole].reshape(-1, per_statement * width).tolist())
        if whole < len(values):
            raw.executemany(single, values[whole:].tolist())
        count += len(values)
    return count
