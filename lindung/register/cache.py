"""The register app's columnar copy of a snapshot: the columns verification matches on, in a
Parquet file per snapshot, written once the snapshot is committed and checked against the
database before each use. Verification asks for a snapshot's people with `read_register`.
Files derived from the cache (verification's prepared register) are kept beside it
(`register_cache_derived`) and removed whenever the cache is written again."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

import polars as pl
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Min

from lindung.common.bulk import read_frame
from lindung.register.models import RegisterRecord, RegisterSnapshot
from lindung.register.signals import register_cached

REGISTER_SCHEMA: Final[dict[str, pl.DataType]] = {
    "record_id": pl.Int64(), "register_id": pl.String(), "nik": pl.String(),
    "kk": pl.String(), "name": pl.String(), "birth_date": pl.Date(), "sex": pl.String(),
    "district": pl.String(), "desil": pl.Int64(), "deceased": pl.Boolean(),
}  # fmt: skip
_SCHEMA: Final = pl.Schema(REGISTER_SCHEMA)  # the cache file's, in this order


def _cache_file(snapshot: RegisterSnapshot) -> Path:
    """One file per snapshot; the creation time in the name tells two databases' snapshot
    #1 apart."""
    stamp = int(snapshot.created_at.timestamp() * 1_000_000)
    name = f"snapshot-{snapshot.pk}-{stamp}-{snapshot.sha256[:12]}.parquet"
    return Path(settings.REGISTER_CACHE_DIR) / name


def register_cache_derived(snapshot: RegisterSnapshot, name: str) -> Path:
    """The path prefix of a file derived from the snapshot's cache, called `name`: beside the
    cache, `<cache file without .parquet>.<name>`; the files made from it must end in
    ".parquet" (they are removed with the cache)."""
    path = _cache_file(snapshot)
    return path.with_name(f"{path.stem}.{name}")


def register_cache_frame(clean: pl.DataFrame, first_id: int) -> pl.DataFrame:
    """The cached columns of a snapshot just inserted from `clean` (the loader's frame, in
    insertion order) whose records got the ids first_id, first_id + 1, ..."""
    return clean.select(
        (pl.int_range(0, pl.len(), dtype=pl.Int64) + first_id).alias("record_id"),
        pl.col("register_id").cast(pl.String),
        pl.col("nik").cast(pl.String),
        pl.col("kk").cast(pl.String),
        pl.col("name").cast(pl.String),
        pl.col("birth_date").cast(pl.String).str.to_date("%Y-%m-%d", strict=False),
        pl.col("sex").cast(pl.String),
        pl.col("district_id").cast(pl.String).alias("district"),
        pl.col("desil").cast(pl.Int64),
        pl.col("deceased").cast(pl.Boolean),
    )


def register_cache_store(snapshot: RegisterSnapshot, frame: pl.DataFrame) -> None:
    """Write the cache (best effort: a full disk only costs speed)."""
    path = _cache_file(snapshot)
    part = path.with_suffix(".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for derived in path.parent.glob(f"{path.stem}.*.parquet"):
            derived.unlink(missing_ok=True)
        frame.write_parquet(part)
        part.replace(path)
    except OSError:
        part.unlink(missing_ok=True)


def register_cache_publish(snapshot: RegisterSnapshot, frame: pl.DataFrame) -> None:
    """Write the cache of a snapshot just loaded and announce it (`register_cached`)."""
    register_cache_store(snapshot, frame)
    register_cached.send(sender=RegisterSnapshot, snapshot=snapshot)


def _cached(snapshot: RegisterSnapshot, columns: list[str]) -> pl.DataFrame | None:
    path = _cache_file(snapshot)
    if not path.exists():
        return None
    try:
        schema = pl.read_parquet_schema(path)
        frame = pl.read_parquet(path, columns=columns) if schema == _SCHEMA else None
    except (OSError, pl.exceptions.PolarsError):
        return None
    if frame is None:
        return None
    bounds = frame.select(first=pl.col("record_id").min(), last=pl.col("record_id").max())
    first, last = bounds.row(0)
    if first is None or not _holds_exactly(snapshot, first, last, frame.height):
        return None
    return frame


def _holds_exactly(snapshot: RegisterSnapshot, first: int, last: int, count: int) -> bool:
    """Whether the snapshot's records in the database are those with ids `first` to `last`,
    `count` of them. A snapshot's records are written once, in one transaction, and deleted
    only all together (`lindung.privacy.retention`). When the cached ids run without a gap,
    the records at both ends of the run belonging to the snapshot and those just outside
    it not belonging to it show that: four lookups by primary key. Counting the records
    instead reads a whole index of the table: a tenth of a second for a million records,
    on every run (docs/benchmarks.md, issue 10 session 9). Ids with gaps (a cache written
    from the database after records of other snapshots came between) are counted."""
    records = RegisterRecord.objects.filter(snapshot=snapshot)
    if last - first + 1 != count:
        bounds = records.aggregate(first=Min("pk"), last=Max("pk"), count=Count("pk"))
        return (bounds["first"], bounds["last"], bounds["count"]) == (first, last, count)
    table = connection.ops.quote_name(RegisterRecord._meta.db_table)
    owner = f"(SELECT snapshot_id FROM {table} WHERE id = %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {owner}, {owner}, {owner}, {owner}", [first, last, first - 1, last + 1]
        )
        at_first, at_last, before, after = cursor.fetchone()
    return at_first == at_last == snapshot.pk and snapshot.pk not in (before, after)


def read_register(
    snapshot: RegisterSnapshot | None, columns: Sequence[str] | None = None
) -> pl.DataFrame:
    """The snapshot's people (`columns` of `REGISTER_SCHEMA` only, when given: `record_id`
    always), from its columnar cache when that is there and agrees with the database, else
    from the database (and then cached)."""
    wanted = ["record_id", *(c for c in columns or REGISTER_SCHEMA if c != "record_id")]
    if snapshot is None:
        return pl.DataFrame(schema={name: REGISTER_SCHEMA[name] for name in wanted})
    cached = _cached(snapshot, wanted)
    if cached is not None:
        return cached
    table = connection.ops.quote_name(RegisterRecord._meta.db_table)
    sql = f"""
        SELECT id, register_id, nik, kk, name, birth_date, sex, district_id, desil, deceased
        FROM {table} WHERE snapshot_id = %s ORDER BY id
    """  # noqa: S608
    frame = read_frame(sql, [snapshot.pk], REGISTER_SCHEMA)
    register_cache_store(snapshot, frame)
    return frame.select(wanted)
