"""Bulk reads into polars and bulk writes, on SQLite and PostgreSQL: the one writer every
import, load and run uses.

Writes use COPY on PostgreSQL and INSERT on SQLite, inside the caller's transaction, with
values already in the form the database stores. Building model instances and letting Django
compile INSERTs cost several times what the database itself needs (docs/benchmarks.md:
a 100.000-row agency list, a 1.000.000-row register, a 100.000-row verification run).

- `insert_frame` writes a polars frame, numbers as numbers and dates as ISO text, exactly as
  the ORM would store them. On SQLite a large frame is staged (`_insert_staged`): written
  from its Arrow columns into a database of its own by the ADBC SQLite driver, that database
  put in memory beside the run's, and copied over by one INSERT ... SELECT; no Python object
  is made per value. A small frame goes in INSERTs of a hundred rows each (numpy reshapes it
  into statement-sized parameter lists at C speed).
  Columns that are the same on every row (a snapshot's id) go as literals, not a million
  parameters each. Optionally the table's indexes are dropped and built again after the load.
- `insert_rows` streams rows already adapted by the caller (tuples in column order), for
  writers that produce rows one at a time.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import polars as pl
from django.conf import settings
from django.db import connection
from django.db.models import Model

_FETCH: Final = 50_000
_SQLITE_CACHE_KIB: Final = 512 * 1024
# Rows per INSERT statement on SQLite: one statement per row pays SQLite's per-statement work
# (and AUTOINCREMENT's sqlite_sequence update) for every row; 100 rows stay far below the
# 32.766-parameter limit (999 before SQLite 3.32).
_SQLITE_ROWS_PER_STATEMENT: Final = 100
_CHUNK_ROWS: Final = 20_000
_STREAM_BATCH: Final = 5_000
# From this many rows a frame is staged on SQLite (`_insert_staged`); below, the driver's
# start and the staging file cost more than binding the values.
STAGED_FROM = 5_000
# At most this much of a frame staged at once (its Arrow size; the staging database takes
# about as much, in memory, while it is copied over), and in at least this many slices: one
# is staged while the one before is copied (a run's verdicts: 0,39 s in one slice, 0,24-0,29
# s in eight).
_STAGED_BYTES: Final = 64 * 1024 * 1024
_STAGED_SLICES: Final = 8
# The in-memory database the staged rows are copied from: attached to a connection once,
# emptied after each load.
_STAGING_SCHEMA: Final = "lindung_staging"
_STAGING_FILE_PREFIX: Final = "bulk-"
# A staging file older than this is left over from a process that died while writing it.
_STAGING_FILE_STALE_SECONDS: Final = 3600


# Rows loaded at once past which PostgreSQL's statistics are refreshed (see `_copy`).
ANALYZE_AFTER = 1_000


def read_frame(sql: str, params: Sequence[Any], schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """The result of `sql` as a frame with `schema` (its keys name the selected columns, in
    order). Django's connections hand dates back as `date` on both databases."""
    chunks: list[pl.DataFrame] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(_FETCH):
            chunks.append(pl.DataFrame(batch, schema=dict(schema), orient="row"))
    if not chunks:
        return pl.DataFrame(schema=dict(schema))
    return pl.concat(chunks)


def read_columns(
    columns: Sequence[str],
    tail: str,
    params: Sequence[Any],
    schema: Mapping[str, pl.DataType],
    *,
    json_texts: Collection[str] = (),
) -> pl.DataFrame:
    """`SELECT <columns> <tail>` as a frame with `schema` (its keys name the columns, in
    order), read column-wise: the database gathers each column into one JSON array (SQLite
    `json_group_array`, PostgreSQL `json_agg`) and polars decodes it. `read_frame` makes a
    Python object per value and a tuple per row, then polars converts them back: for 100.000
    rows of 14 columns three times the CPU. Rows come in no given order; `tail` must not
    group (its rows are aggregated), `columns` must give JSON numbers or strings of
    `schema`'s types (integers, text; a date cast to text on SQLite, as PostgreSQL's JSON
    writes it), and one column's array must stay below the databases' 1 GB per value.

    `json_texts` names columns (of `schema`, text) whose values are JSON texts or NULL, as a
    JSONField stores them: gathered as the texts joined by a control character that JSON
    text never holds unescaped (`_JSON_TEXT_SEPARATOR`) and split again. Quoted as strings of
    a JSON array, a hundred thousand rows' intake issues (16 MB) took six times their size
    in memory to decode, and twice the time."""
    postgres = connection.vendor == "postgresql"

    def gathered(name: str, column: str) -> str:
        if name in json_texts:  # '' is no JSON text: it stands for NULL
            joined = "string_agg" if postgres else "group_concat"
            separator = "chr(30)" if postgres else "char(30)"  # `_JSON_TEXT_SEPARATOR`
            return f"{joined}(COALESCE({column}, ''), {separator})"
        return f"json_agg({column})::text" if postgres else f"json_group_array({column})"

    aggregated = ", ".join(map(gathered, schema, columns))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {aggregated} {tail}", params)
        arrays = cursor.fetchone()
    # No rows: json_group_array gives "[]", the others NULL.
    if all(
        array is None or (name not in json_texts and array == "[]")
        for name, array in zip(schema, arrays, strict=True)
    ):
        return pl.DataFrame(schema=dict(schema))
    return pl.DataFrame(
        _split_json_texts(name, array)
        if name in json_texts
        else pl.Series(name, [array], dtype=pl.String).str.json_decode(pl.List(dtype)).explode()
        for (name, dtype), array in zip(schema.items(), arrays, strict=True)
    )


# Between the JSON texts of a column `read_columns` gathers: the record separator, a control
# character, which JSON text holds only escaped ("\u001e").
_JSON_TEXT_SEPARATOR: Final = "\x1e"


def _split_json_texts(name: str, joined: str) -> pl.Series:
    texts = pl.Series(name, [joined], dtype=pl.String).str.split(_JSON_TEXT_SEPARATOR).explode()
    return texts.replace("", None)


def _columns(model: type[Model], attnames: Sequence[str]) -> tuple[str, list[str]]:
    """The quoted table and column names of `model`'s fields named by attname."""
    meta = model._meta
    quote = connection.ops.quote_name
    by_attname = {f.attname: f.column for f in meta.concrete_fields}
    return quote(meta.db_table), [quote(by_attname[a]) for a in attnames]


def _require_transaction(what: str) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError(f"{what} must run inside transaction.atomic()")


def insert_frame(
    model: type[Model],
    frame: pl.DataFrame,
    *,
    constants: Mapping[str, int] | None = None,
    rebuild_indexes: bool = False,
    checked_here: bool = False,
) -> int:
    """Insert the rows of `frame`, whose columns are attnames of `model`'s fields, holding
    values ready for the database; `constants` are integer columns equal on every row. Must
    run inside a transaction: a failure leaves nothing behind, the indexes included (DDL is
    transactional on SQLite and PostgreSQL). `rebuild_indexes` drops `model`'s indexes for
    the load and builds them after it. `checked_here`: the caller made every value itself in
    a form that holds the table's CHECK constraints (JSON by a JSON encoder, numbers that
    cannot be negative), so SQLite does not evaluate them row by row (`_checks_skipped`);
    PostgreSQL checks them as always."""
    _require_transaction("insert_frame")
    constants = dict(constants or {})
    table, columns = _columns(model, [*constants, *frame.columns])
    indexes = _index_sql(model) if rebuild_indexes else []
    with (
        connection.cursor() as cursor,
        _load_settings(cursor),
        _checks_skipped(cursor, skipped=checked_here),
    ):
        for drop, _create in indexes:
            cursor.execute(drop)
        if connection.vendor == "postgresql":
            with_constants = frame.select(
                *(pl.lit(value).alias(name) for name, value in constants.items()), *frame.columns
            )
            count = _copy(cursor, table, columns, with_constants.iter_rows())
            if indexes:
                # CREATE INDEX refuses a table with deferred foreign-key checks pending.
                connection.check_constraints()
        else:
            count = _insert_sqlite_frame(cursor, table, columns, frame, constants)
        for _drop, create in indexes:
            cursor.execute(create)
        if connection.vendor == "sqlite":
            _statistics_refreshed(cursor, table, count)
    return count


@contextmanager
def references_read_here() -> Iterator[None]:
    """Around a transaction that writes only references (foreign keys) it read itself,
    inside that same transaction: on SQLite, the foreign keys are not looked up row by row
    meanwhile. They hold by construction: the transaction takes the write lock at BEGIN
    (IMMEDIATE, see settings), so nothing it read can be deleted before it commits. A
    verification run writes 100.000 verdicts of seven references each; their 700.000 lookups
    cost about half a second. PostgreSQL checks them as always (and the test suite runs
    there too). To enter outside any transaction: SQLite takes the switch only there; inside
    one (a test's) it changes nothing, and every key is checked as usual."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.constraint_checks_disabled():
        yield


def insert_rows(model: type[Model], attnames: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows streamed as tuples of values in `attnames` order, already adapted for the
    database (`connection.ops`). Must run inside a transaction."""
    _require_transaction("insert_rows")
    table, columns = _columns(model, attnames)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _copy(cursor, table, columns, rows)
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        count = 0
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == _STREAM_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
        _statistics_refreshed(cursor, table, count)
    return count


def _copy(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY the rows in, then refresh the table's statistics: until autovacuum gets to it,
    PostgreSQL plans a freshly filled table as an empty one (a join of 22.000 enrolments with
    their workers took 15 s)."""
    count = 0
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    _statistics_refreshed(cursor, table, count)
    return count


def _statistics_refreshed(cursor: Any, table: str, count: int) -> None:
    """After a large load, the table's planner statistics refreshed in the same transaction
    (PostgreSQL: ANALYZE; SQLite: ANALYZE over a sample of each index)."""
    if count < ANALYZE_AFTER:
        return
    if connection.vendor == "sqlite":
        cursor.execute("PRAGMA analysis_limit = 1000")
    cursor.execute(f"ANALYZE {table}")


def _as_sqlite_values(frame: pl.DataFrame) -> pl.DataFrame:
    """Every value as SQLite stores it (NULL stays NULL): integers, floats and text as they
    are, booleans as 0/1 and anything else (dates) as the text Django's SQLite backend reads
    back. Numbers go as numbers: bound as text, SQLite would store the same values after
    converting each by the column's affinity, a third more work for a verification run's
    100.000 verdicts."""
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if dtype == pl.Boolean:
            column = column.cast(pl.Int8)
        elif dtype == pl.Date:
            column = column.dt.strftime("%Y-%m-%d")
        elif not (dtype.is_integer() or dtype.is_float() or dtype == pl.String):
            column = column.cast(pl.String)
        columns.append(column)
    return frame.select(columns)


def _objects(frame: pl.DataFrame) -> Any:
    """The frame's values as a 2-D numpy array of Python objects: each column's own values,
    None for NULL (the frame's `to_numpy` would turn integers with NULLs into floats)."""
    values = np.empty((frame.height, frame.width), dtype=object)
    for index, column in enumerate(frame.get_columns()):
        values[:, index] = column.to_list()
    return values


def _insert_sqlite_frame(
    cursor: Any,
    table: str,
    columns: Sequence[str],
    frame: pl.DataFrame,
    constants: Mapping[str, int],
) -> int:
    values_of = _as_sqlite_values(frame)
    if values_of.height >= STAGED_FROM and hasattr(connection.connection, "deserialize"):
        return _insert_staged(cursor, table, columns, values_of, constants)
    width = values_of.width
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(_SQLITE_ROWS_PER_STATEMENT, limit // max(width, 1)))
    fixed = "".join(f"{int(value)}, " for value in constants.values())
    one_row = "(" + fixed + ", ".join(["?"] * width) + ")"

    def statement(rows: int) -> str:
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join(  # noqa: S608
            [one_row] * rows
        )

    raw = cursor.cursor  # the backend's sqlite3 cursor: "?" parameters, no debug wrapper
    many = statement(per_statement)
    single = statement(1)
    count = 0
    chunk_rows = max(_CHUNK_ROWS // per_statement, 1) * per_statement
    for chunk in values_of.iter_slices(chunk_rows):
        values = _objects(chunk)
        whole = len(values) // per_statement * per_statement
        if whole:
            raw.executemany(many, values[:whole].reshape(-1, per_statement * width).tolist())
        if whole < len(values):
            raw.executemany(single, values[whole:].tolist())
        count += len(values)
    return count


def _insert_staged(
    cursor: Any,
    table: str,
    columns: Sequence[str],
    values: pl.DataFrame,
    constants: Mapping[str, int],
) -> int:
    """`values` (as `_as_sqlite_values` gives them) into `table` on SQLite, staged: each slice
    written by the ADBC SQLite driver from its Arrow columns into a staging file
    (`_staged_database`, in a thread, the next slice while this one is copied), that
    database put in memory beside the connection's own (`Connection.deserialize` into
    `_STAGING_SCHEMA`, attached once per connection) and copied over by one INSERT ...
    SELECT, in the frame's order. The values are stored exactly as bound parameters would
    store them (the same storage classes, then the column's affinity). Binding a
    verification run's 1,8 million values one by one, each a Python object first, took
    about 0,6 s; staged, 0,25-0,3 s (docs/benchmarks.md, issue 10 session 9). Inside the
    caller's transaction like every write here: the staging database is read, never
    written, by it. A database attached in a transaction stays locked until it ends, so the
    staging database stays attached and is emptied instead."""
    raw = cursor.cursor
    _attach_staging(raw)
    names = [f"c{index}" for index in range(values.width)]
    fixed = "".join(f"{int(value)}, " for value in constants.values())
    copy = (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - our own names
        f"SELECT {fixed}{', '.join(names)} FROM {_STAGING_SCHEMA}.staged ORDER BY rowid"
    )
    per_row = max(int(values.estimated_size()) // max(values.height, 1), 1)
    slice_rows = max(min(_STAGED_BYTES // per_row, -(-values.height // _STAGED_SLICES)), 1)
    parts = [
        part.rename(dict(zip(part.columns, names, strict=True)))
        for part in values.iter_slices(slice_rows)
    ]
    folder = _staging_folder()
    # Each slice is staged in a thread while the one before is copied over: the driver's
    # ingest and SQLite's copy both run without the GIL, on the two cores.
    with ThreadPoolExecutor(1, thread_name_prefix="lindung-staging") as staging:
        try:
            pending = staging.submit(_staged_database, parts[0], folder)
            for index in range(len(parts)):
                staged = pending.result()
                if index + 1 < len(parts):
                    pending = staging.submit(_staged_database, parts[index + 1], folder)
                connection.connection.deserialize(staged, name=_STAGING_SCHEMA)
                del staged
                raw.execute(copy)
        finally:
            # The staged rows freed: an empty database in their place.
            connection.connection.deserialize(_empty_database(), name=_STAGING_SCHEMA)
    return values.height


@cache
def _empty_database() -> bytes:
    """A database of one empty table (SQLite serializes no database of no page at all)."""
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.execute("CREATE TABLE staged (c0)")
        return scratch.serialize()
    finally:
        scratch.close()


def _attach_staging(raw: Any) -> None:
    raw.execute("PRAGMA database_list")
    if all(name != _STAGING_SCHEMA for _seq, name, _file in raw.fetchall()):
        raw.execute(f"ATTACH DATABASE ':memory:' AS {_STAGING_SCHEMA}")


def _staged_database(part: pl.DataFrame, folder: Path) -> bytes:
    """A SQLite database holding `part` as its table "staged", its columns' types from the
    Arrow types (integers, reals, text), written by the ADBC SQLite driver into a private
    file in `folder` (`_staging_folder`), read back and removed."""
    # Imported here: only large loads on SQLite need the driver.
    import adbc_driver_manager
    import adbc_driver_sqlite

    handle, name = tempfile.mkstemp(prefix=_STAGING_FILE_PREFIX, suffix=".sqlite3", dir=folder)
    os.close(handle)
    path = Path(name)
    try:
        database = adbc_driver_sqlite.connect(name)
        try:
            link = adbc_driver_manager.AdbcConnection(database)
            try:
                # A scratch file: no journal, no syncing; it is read back whole or not at all.
                for pragma in ("PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF"):
                    _adbc_execute(link, pragma)
                statement = adbc_driver_manager.AdbcStatement(link)
                try:
                    statement.set_options(
                        **{
                            adbc_driver_manager.INGEST_OPTION_TARGET_TABLE: "staged",
                            adbc_driver_manager.INGEST_OPTION_MODE: (
                                adbc_driver_manager.INGEST_OPTION_MODE_CREATE
                            ),
                        }
                    )
                    statement.bind_stream(part)
                    statement.execute_update()
                finally:
                    statement.close()
            finally:
                link.close()
        finally:
            database.close()
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def _adbc_execute(link: Any, sql: str) -> None:
    import adbc_driver_manager

    statement = adbc_driver_manager.AdbcStatement(link)
    try:
        statement.set_sql_query(sql)
        statement.execute_update()
    finally:
        statement.close()


def _staging_folder() -> Path:
    """The folder of staging files, private to the application's user, in its data folder
    (they hold the rows being loaded, personal data among them, for the moment they take to
    write and read back); files a dead process left there are removed."""
    folder = Path(settings.VAR_DIR) / "bulk-staging"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stale = time.time() - _STAGING_FILE_STALE_SECONDS
    for old in folder.glob(f"{_STAGING_FILE_PREFIX}*"):
        try:
            if old.stat().st_mtime < stale:
                old.unlink()
        except OSError:
            continue
    return folder


def _index_sql(model: type[Model]) -> list[tuple[str, str]]:
    """(DROP, CREATE) statements of `model`'s indexes, as the migrations made them."""
    editor = connection.schema_editor()  # not entered: only its SQL builders are used
    quote = connection.ops.quote_name
    return [
        (f"DROP INDEX {quote(index.name)}", str(index.create_sql(model, editor)))
        for index in model._meta.indexes
    ]


@contextmanager
def _checks_skipped(cursor: Any, *, skipped: bool) -> Iterator[None]:
    """On SQLite with `skipped`, CHECK constraints not evaluated while loading: a verification
    run's 100.000 verdicts hold two JSON columns each, and SQLite validates every text with
    JSON_VALID (about a tenth of a second, docs/benchmarks.md). Setting the switch expires the
    connection's compiled statements, so none compiled meanwhile runs unchecked afterwards."""
    if not skipped or connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        cursor.execute("PRAGMA ignore_check_constraints = OFF")


@contextmanager
def _load_settings(cursor: Any) -> Iterator[None]:
    """On SQLite, a page cache big enough for the new pages and the index sorter while
    loading (the default 2 MB makes most index inserts miss it), back to the connection's own
    size afterwards: a persistent connection must not keep 512 MB."""
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
