"""Bulk reads into polars and bulk writes, on SQLite and PostgreSQL: the one writer every
import, load and run uses.

Writes use COPY on PostgreSQL and INSERT on SQLite, inside the caller's transaction, with
values already in the form the database stores. Building model instances and letting Django
compile INSERTs cost several times what the database itself needs (docs/benchmarks.md:
a 100.000-row agency list, a 1.000.000-row register, a 100.000-row verification run).

- `insert_frame` writes a polars frame, numbers as numbers and dates as ISO text, exactly as
  the ORM would store them. On SQLite a large frame is staged (`staging.insert_staged`):
  written from its Arrow columns into a database of its own by the ADBC SQLite driver, that
  database put in memory beside the connection's, and copied over by one INSERT ... SELECT;
  no Python object is made per value. A small frame goes in INSERTs of a hundred rows each
  (numpy reshapes it into statement-sized parameter lists at C speed).
  Columns that are the same on every row (a snapshot's id) go as literals, not a million
  parameters each. Optionally the table's indexes are dropped and built again after the load.
- `insert_rows` streams rows already adapted by the caller (tuples in column order), for
  writers that produce rows one at a time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Final

import numpy as np
import polars as pl
from django.db import connection
from django.db.models import Model

from lindung.common import staging

_FETCH: Final = 50_000
_SQLITE_CACHE_KIB: Final = 512 * 1024
# Rows per INSERT statement on SQLite: one statement per row pays SQLite's per-statement work
# (and AUTOINCREMENT's sqlite_sequence update) for every row; 100 rows stay far below the
# 32.766-parameter limit (999 before SQLite 3.32).
_SQLITE_ROWS_PER_STATEMENT: Final = 100
_CHUNK_ROWS: Final = 20_000
_STREAM_BATCH: Final = 5_000
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
    """After a large load, the table's planner statistics refreshed in the same transaction.
    PostgreSQL: ANALYZE (its own sample, spread over the table). SQLite: a whole ANALYZE,
    when the table has no statistics yet or the load is at least a tenth of the rows they
    counted (`_SQLITE_REANALYZE_SHARE`, as PostgreSQL's autovacuum decides): a table that
    keeps growing (a run's verdicts) is not scanned whole again for each load. SQLite's
    sampled ANALYZE (`analysis_limit`) reads only the first entries of each index: where
    they share their first column (one Pemda, one program, one run) it counted about a
    thousand rows for every key, and the planner searched a program's 500.000 enrolments for
    one KPJ (0,47 s) instead of taking the (Pemda, KPJ) index (docs/benchmarks.md, issue 10
    session 15)."""
    if count < ANALYZE_AFTER:
        return
    if connection.vendor == "sqlite":
        counted = _sqlite_counted_rows(cursor, table.strip('"'))
        if counted is not None and count < counted * _SQLITE_REANALYZE_SHARE:
            return
        cursor.execute("PRAGMA analysis_limit = 0")
    cursor.execute(f"ANALYZE {table}")


# A load this share of the rows a SQLite table's statistics counted, or more, refreshes them.
_SQLITE_REANALYZE_SHARE: Final = 0.1


def _sqlite_counted_rows(cursor: Any, table: str) -> int | None:
    """How many rows SQLite's statistics counted in `table` (unquoted) when last analysed;
    None when it has none."""
    cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
    if cursor.fetchone() is None:
        return None
    cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
    counted = [int(str(stat).split()[0]) for (stat,) in cursor.fetchall() if stat]
    return max(counted) if counted else None


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
    if values_of.height >= staging.STAGED_FROM and hasattr(connection.connection, "deserialize"):
        return staging.insert_staged(cursor, table, columns, values_of, constants)
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
