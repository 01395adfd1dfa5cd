"""Large frames into SQLite without binding each value (`bulk.insert_frame`'s path from
`STAGED_FROM` rows): each slice of the frame written by the ADBC SQLite driver from its Arrow
columns into a scratch database file of its own, in a thread, the next slice while this one
is copied; that database taken into memory by the caller's connection (an attached schema,
`lindung_staging`) and copied over by one INSERT ... SELECT, inside the caller's
transaction. The scratch file lives in a private folder under the data folder for the
moment it takes to write and read back; it never touches the main database (two SQLite
libraries in one process must not open the same file)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any, Final

import polars as pl
from django.conf import settings
from django.db import connection

from lindung.common.files import private_dir

# From this many rows `bulk.insert_frame` stages a frame on SQLite; below, the driver's
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


def insert_staged(
    cursor: Any,
    table: str,
    columns: Sequence[str],
    values: pl.DataFrame,
    constants: Mapping[str, int],
) -> int:
    """`values` (as `bulk._as_sqlite_values` gives them, `cursor` the caller's Django
    cursor) into `table` on SQLite, staged: each slice written by the ADBC SQLite driver from
    its Arrow columns into a staging file (`_staged_database`, in a thread, the next slice
    while this one is copied), that database put in memory beside the connection's own
    (`Connection.deserialize` into `_STAGING_SCHEMA`, attached once per connection) and
    copied over by one INSERT ... SELECT, in the frame's order; `constants` go as literals.
    The values are stored exactly as bound parameters would store them (the same storage
    classes, then the column's affinity). Binding a verification run's 1,8 million values
    one by one, each a Python object first, took about 0,6 s; staged, 0,25-0,3 s
    (docs/benchmarks.md, issue 10 session 9). Inside the caller's transaction, as every
    write of `bulk`: the staging database is read, never written, by it. A database attached
    in a transaction stays locked until it ends, so the staging database stays attached and
    is emptied instead."""
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
    folder = private_dir(Path(settings.VAR_DIR) / "bulk-staging")
    stale = time.time() - _STAGING_FILE_STALE_SECONDS
    for old in folder.glob(f"{_STAGING_FILE_PREFIX}*"):
        try:
            if old.stat().st_mtime < stale:
                old.unlink()
        except OSError:
            continue
    return folder
