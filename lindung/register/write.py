"""Writing a cleaned register into `RegisterRecord` with the one bulk writer
(`lindung.common.bulk`), inside the caller's transaction, and deciding whether dropping and
rebuilding the table's indexes pays for this load."""

from __future__ import annotations

from typing import Final

from django.db import connection
from django.db.models import Sum

from lindung.common.bulk import insert_frame
from lindung.register.clean import CleanRegister
from lindung.register.models import RegisterRecord, RegisterSnapshot

# Columns of RegisterRecord written by `insert_records`, in this order.
COLUMNS: Final = (
    "snapshot_id", "pemda_id", "register_id", "nik", "kk", "name", "birth_place", "birth_date",
    "sex", "address", "rt", "rw", "district_id", "village_id", "desil", "occupation", "raw",
    "issues", "deceased",
)  # fmt: skip

# Rebuilding the indexes after the insert reads the whole table, earlier snapshots too, while
# keeping them costs per new row (random-order B-tree inserts). Measured on SQLite
# (docs/benchmarks.md): rebuilding wins while up to twice as many rows are already there.
_REBUILD_WHEN_EXISTING_AT_MOST: Final = 2


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
    return insert_frame(
        RegisterRecord,
        clean.frame.select(COLUMNS[2:]),
        constants={"snapshot_id": snapshot_id, "pemda_id": pemda_id},
        rebuild_indexes=rebuild_indexes,
    )
