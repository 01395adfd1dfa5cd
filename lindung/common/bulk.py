"""Bulk reads into polars and bulk writes from polars, on SQLite and PostgreSQL.

Reads go through the connection's cursor (one query, rows fetched in large batches) and are
turned into a typed frame.
Writes use COPY on PostgreSQL and INSERT ... executemany on SQLite, inside the caller's
transaction, with values already in the form the database stores (dates as ISO text or
`date`, JSON as text).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import Model

_FETCH = 50_000


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


def insert_frame(model: type[Model], frame: pl.DataFrame) -> int:
    """Insert the rows of `frame`, whose columns are attnames of `model`'s fields, holding
    values ready for the database. Must run inside a transaction."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = []
    for attname in frame.columns:
        field = next(f for f in meta.concrete_fields if f.attname == attname)
        columns.append(quote(field.column))
    table = quote(meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in frame.iter_rows():
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        sqlite_frame = frame.with_columns(
            [pl.col(c).dt.strftime("%Y-%m-%d") for c, t in frame.schema.items() if t == pl.Date]
        )
        for chunk in sqlite_frame.iter_slices(20_000):
            rows = chunk.rows()
            cursor.executemany(sql, rows)
            count += len(rows)
    return count
