"""The register's side of the link prepared once per snapshot (`matching.prepared`): made by
the background worker once the snapshot is loaded (`prepare_register_job`, queued on
`lindung.register.cache.register_cached`), kept on disk beside the
snapshot's columnar cache (`lindung.register.cache.register_cache_derived`), read by each run
instead of preparing a million register rows again. Rebuilt when absent, unreadable, made by
other code (`prepared.VERSION`) or not of the register the run read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from django_tasks import task

from lindung.register.cache import (
    REGISTER_SCHEMA,
    read_register,
    register_cache_derived,
)
from lindung.register.models import RegisterSnapshot
from lindung.verification.matching.prepared import TABLES, VERSION, PreparedSide

_NAME = "prepared"


def _prefix(snapshot: RegisterSnapshot) -> Path:
    return register_cache_derived(snapshot, f"{_NAME}-{VERSION}")


def read_prepared_register(
    snapshot: RegisterSnapshot | None, register: pl.DataFrame | None = None
) -> PreparedSide:
    """The snapshot's register prepared for the link, from disk when there; else made (from
    `register`, the snapshot's people as `read_register` gives them, when given) and
    stored. With `register`, a stored side for other record ids is made again."""
    if snapshot is None:
        return PreparedSide.of(pl.DataFrame(schema=REGISTER_SCHEMA), "record_id")
    try:
        side: PreparedSide | None = PreparedSide.read(_prefix(snapshot))
    except (OSError, ValueError, pl.exceptions.PolarsError):
        side = None
    if side is not None and (register is None or _agrees(side, register)):
        return side
    frame = read_register(snapshot) if register is None else register
    side = PreparedSide.of(frame, "record_id").complete()
    store_prepared_register(snapshot, side)
    return side


def prepared_register_prefix(snapshot: RegisterSnapshot) -> Path | None:
    """Where the snapshot's prepared register is on disk, made and stored first when a table
    is missing, for a process without Django to read (`PreparedSide.read(prefix)`, falling
    back on preparing the register itself should that fail); None when it cannot be stored."""
    prefix = _prefix(snapshot)
    if not _stored(prefix):
        read_prepared_register(snapshot)
    return prefix if _stored(prefix) else None


def _stored(prefix: Path) -> bool:
    return all(Path(f"{prefix}.{name}.parquet").exists() for name in TABLES)


def _agrees(side: PreparedSide, register: pl.DataFrame) -> bool:
    return side.frame.get_column("id").equals(register.get_column("record_id"))


def store_prepared_register(snapshot: RegisterSnapshot, side: PreparedSide) -> None:
    """Write the prepared register beside the snapshot's cache (best effort: a full disk
    only costs speed), removing what other code made there."""
    prefix = _prefix(snapshot)
    base = register_cache_derived(snapshot, _NAME)
    try:
        for old in base.parent.glob(f"{base.name}-*.parquet"):
            if not old.name.startswith(f"{prefix.name}."):
                old.unlink(missing_ok=True)
        side.write(prefix)
    except OSError:
        return


@task()
def prepare_register_job(snapshot_id: int) -> None:
    """The background job after a snapshot's load: its register prepared for matching and
    stored (unless it is there already), so that no run pays for it."""
    snapshot = RegisterSnapshot.objects.filter(pk=snapshot_id).first()
    if snapshot is not None:
        prepared_register_prefix(snapshot)


def prepare_on_load(sender: Any, *, snapshot: RegisterSnapshot, **kwargs: Any) -> None:
    """`register_cached`'s receiver: the snapshot just loaded is prepared by the background
    worker (`prepare_register_job`): preparing a million rows takes seconds the load itself
    need not wait for (a run that comes first prepares it itself)."""
    del sender, kwargs
    prepare_register_job.enqueue(snapshot.pk)
