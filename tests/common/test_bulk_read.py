"""`common.bulk.read_columns`: a query read column-wise gives the frame `read_frame` gives."""

from __future__ import annotations

import datetime

import polars as pl
import pytest
from django.db import connection

from lindung.common.bulk import read_columns, read_frame
from lindung.workers.models import Worker

pytestmark = pytest.mark.django_db

NAMES = [
    'Siti "Ani" Rahayu', "Back\\slash", "two\nlines", "tab\tand\x01control", "Ñoño Şükür 山田",
    "", "null", "[1, 2]", "comma, here", "🙂",
]  # fmt: skip

SCHEMA = {
    "id": pl.Int64(), "name": pl.String(), "birth_date": pl.String(), "village": pl.String(),
    "died": pl.Int64(),
}  # fmt: skip


def _date(column: str) -> str:
    return column if connection.vendor == "postgresql" else f"CAST({column} AS TEXT)"


def _columns() -> list[str]:
    return [
        "w.id", "w.name", _date("w.birth_date"), "w.village_id",
        "CASE WHEN w.died_on IS NULL THEN 0 ELSE 1 END",
    ]  # fmt: skip


def _workers(pemda) -> str:
    """A worker of `pemda` for each of NAMES (born for two in three, dead for one in four);
    the FROM and WHERE that read them."""
    for n, name in enumerate(NAMES):
        Worker.objects.create(
            pemda=pemda,
            nik=f"35040112080000{n:02d}",
            name=name,
            birth_date=datetime.date(1980 + n, 1 + n, 28) if n % 3 else None,
            died_on=datetime.date(2025, 1, 1) if n % 4 == 1 else None,
        )
    return f"FROM {connection.ops.quote_name(Worker._meta.db_table)} w WHERE w.pemda_id = %s"


def test_values_arrive_as_read_row_by_row(pemda):
    tail = _workers(pemda)
    columns = read_columns(_columns(), tail, [pemda.pk], SCHEMA).sort("id")
    if connection.vendor == "postgresql":  # row by row, PostgreSQL hands dates over as dates
        dated = {**SCHEMA, "birth_date": pl.Date()}
        rows = read_frame(f"SELECT {', '.join(_columns())} {tail}", [pemda.pk], dated)
        rows = rows.with_columns(pl.col("birth_date").dt.strftime("%Y-%m-%d"))
    else:
        rows = read_frame(f"SELECT {', '.join(_columns())} {tail}", [pemda.pk], SCHEMA)
    assert columns.get_column("name").to_list() == NAMES
    assert columns.get_column("birth_date").null_count() == 4
    assert columns.get_column("died").to_list() == [int(n % 4 == 1) for n in range(len(NAMES))]
    assert columns.equals(rows.sort("id"))


def test_no_rows_give_an_empty_frame_of_the_schema(pemda):
    tail = f"FROM {connection.ops.quote_name(Worker._meta.db_table)} w WHERE w.pemda_id = %s"
    frame = read_columns(_columns(), tail, [pemda.pk], SCHEMA)
    assert frame.height == 0
    assert frame.schema == pl.Schema(SCHEMA)


def test_json_texts_arrive_as_stored(pemda):
    # A JSON text of each name (none for the dead), split from one joined text.
    tail = _workers(pemda)
    postgres = connection.vendor == "postgresql"
    array = "json_build_array(w.name)::text" if postgres else "json_array(w.name)"
    columns = ["w.id", f"CASE WHEN w.died_on IS NULL THEN {array} END", "w.name"]
    schema = {"id": pl.Int64(), "texts": pl.String(), "name": pl.String()}
    split = read_columns(columns, tail, [pemda.pk], schema, json_texts={"texts"}).sort("id")
    rows = read_frame(f"SELECT {', '.join(columns)} {tail}", [pemda.pk], schema).sort("id")
    assert split.equals(rows)
    assert split.get_column("texts").null_count() == 3
    decoded = split.get_column("texts").drop_nulls().str.json_decode(pl.List(pl.String))
    assert decoded.list.first().to_list() == [n for i, n in enumerate(NAMES) if i % 4 != 1]
    assert read_columns(columns, tail, [pemda.pk + 1], schema, json_texts={"texts"}).height == 0
