"""The work of a large run done in a second process (`verify`'s `_SideWork`): the link to the
register, the run's largest single piece of work, while the run's own process reads the
people already known and links to them, and finds the duplicate candidates among the rows.
The engine is mostly single-threaded Python, and the machine has a second core.

The process is one worker running its tasks in order: `load_register` first (as soon as the
run starts: the interpreter's imports and the prepared register are read while the run reads
its rows), then `hand_rows`, which keeps the rows and tells the run at once which of them the
register confirms (for its duplicate search), then `register_link`, which links the rows
kept to the register loaded before. Nothing is shared with the run's process but what is
handed across: the results are the ones the run would get alone."""

from __future__ import annotations

import gc
import io
from pathlib import Path
from typing import Final

import polars as pl

from lindung.common.collector import collector_paused
from lindung.verification.matching.blocks import prepare
from lindung.verification.matching.evidence import MatchSettings
from lindung.verification.matching.groups import register_confirmed
from lindung.verification.matching.linking import link, link_prepared
from lindung.verification.matching.prepared import PreparedSide

# The register this process loaded and the rows it was handed, for the link to come (one
# run per process).
_REGISTER: dict[str, PreparedSide] = {}
_ROWS: dict[str, pl.DataFrame] = {}


class NotLoaded(LookupError):
    """`hand_rows` or `register_link` found no register (`load_register` could not read
    it), or `register_link` no rows."""


def known_links(rows: pl.DataFrame, known: pl.DataFrame, settings: MatchSettings) -> pl.DataFrame:
    """The rows' links to people already known, as the run keeps them: any link the engine
    would decide on its own account (the same NIK, or a NIK one slip off with name, birth
    date and the rest agreeing), unambiguous."""
    return link(rows, known, settings, accepted_only=True).filter(
        (pl.col("score") >= settings.link_accept) & ~pl.col("reasons").list.contains("ambiguous")
    )


def load_register(source: Path | pl.DataFrame) -> bool:
    """Keep the register for `hand_rows` and `register_link`: the prepared register
    `PreparedSide.write` left at the prefix `source`, or the register's people as handed
    across (prepared here). False when the files cannot be read (then `hand_rows` and
    `register_link` raise `NotLoaded`)."""
    _REGISTER.clear()
    _ROWS.clear()
    if isinstance(source, pl.DataFrame):
        _REGISTER["register"] = PreparedSide.of(source, "record_id")
        return True
    try:
        _REGISTER["register"] = PreparedSide.read(source)
    except (OSError, ValueError, pl.exceptions.PolarsError):
        return False
    return True


def hand_rows(rows: bytes) -> pl.Series:
    """Keep the rows (`as_arrow`), prepared, for `register_link`, and give back the ids of
    those the register `load_register` kept confirms (`groups.register_confirmed`): the
    run's duplicate search needs them while this process links."""
    register = _REGISTER.get("register")
    if register is None:
        raise NotLoaded
    prepared = _ROWS["rows"] = prepare(pl.read_ipc(io.BytesIO(rows)), "row_id")
    return register_confirmed(prepared, register.frame)


def register_link(settings: MatchSettings) -> tuple[pl.DataFrame, dict[str, float]]:
    """`linking.link_prepared` of the rows `hand_rows` kept to the register `load_register`
    kept (both then let go), the links `packed` to be handed back. The cycle collector
    pauses meanwhile (`collector_paused`), and what the link leaves (the names' caches, some
    hundred thousand objects) is frozen after it: the collector's later passes, the one at
    the process's end included, skip it (they took a tenth of a second of CPU)."""
    register, rows = _REGISTER.pop("register", None), _ROWS.pop("rows", None)
    if register is None or rows is None:
        raise NotLoaded
    with collector_paused():
        links, weights = link_prepared(rows, register, settings)
        gc.freeze()
    return packed(links), weights


def as_arrow(frame: pl.DataFrame) -> bytes:
    """`frame` as Arrow IPC bytes for `hand_rows`. Pickled as bytes, a run's rows (12 MB)
    reach the second process in about half the time they take pickled as a frame (0,05 s
    against 0,07–0,11 s), while that process waits for them."""
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    return buffer.getvalue()


# Between the reasons of a packed link (no reason holds it).
_SEPARATOR: Final = "\x1f"


def packed(links: pl.DataFrame) -> pl.DataFrame:
    """`links` (`LINK_SCHEMA`) to hand to another process: each list of reasons as one
    categorical text. A hundred thousand rows' lists of five texts pickle to 18 MB, their
    few distinct combinations to 3 MB (the run waited a tenth of a second for the larger)."""
    return links.with_columns(pl.col("reasons").list.join(_SEPARATOR).cast(pl.Categorical))


def unpacked(links: pl.DataFrame) -> pl.DataFrame:
    """Links as `packed` made them, back as they were."""
    return links.with_columns(
        pl.when(pl.col("reasons") != "")
        .then(pl.col("reasons").cast(pl.String).str.split(_SEPARATOR))
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
        .alias("reasons")
    )
