"""Bulk writes of submission rows through the one bulk writer (`lindung.common.bulk`:
INSERT ... executemany on SQLite, COPY on PostgreSQL), inside the caller's transaction.

Building 100.000 model instances and letting Django compile INSERTs of at most 41 rows each
(SQLite's 999-parameter limit over 24 columns) cost about 20 s for a 100.000-row list, five
times what the database itself needs (docs/benchmarks.md). Values are adapted by the
backend's own `connection.ops`, so they are stored exactly as the ORM would store them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from lindung.common import bulk
from lindung.intake.models import SubmissionRow

COLUMNS = (
    "pemda_id", "submission_id", "agency_id", "sheet", "row_number", "raw", "nik", "name",
    "birth_place", "birth_date", "sex", "address", "rt", "rw", "village_id", "district_id",
    "occupation_id", "phone", "income", "kk", "outcome", "issues", "revision", "updated_at",
)  # fmt: skip
_JSON = frozenset({"raw", "issues"})


_EMPTY_LIST = json.dumps([])


def _json_default(value: object) -> object:
    """Cells as the reader gave them: dates and times become ISO text."""
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _adapter() -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function turning one row's values into the tuple of column values, with the work
    that is the same for every row (column kinds, the timestamp) done once."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    date_columns = frozenset({"birth_date"})

    def adapt(values: Mapping[str, Any]) -> tuple[Any, ...]:
        out: list[Any] = []
        for name in COLUMNS:
            if name == "updated_at":
                out.append(now)
                continue
            value = values.get(name)
            if name in _JSON:
                out.append(_EMPTY_LIST if not value else json.dumps(value, default=_json_default))
            elif name in date_columns and isinstance(value, date):
                out.append(ops.adapt_datefield_value(value))
            else:
                out.append(value)
        return tuple(out)

    return adapt


def insert_rows(rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert rows given as {column attname: value} (see COLUMNS; `updated_at` is set here)
    with the one bulk writer. Must run inside a transaction: a failure leaves nothing behind."""
    adapt = _adapter()
    return bulk.insert_rows(SubmissionRow, COLUMNS, (adapt(values) for values in rows))
