"""The work of a large run done in a second process (`verify`'s `_SideWork`): the link to the
register, the run's largest single piece of work, while the run's own process reads the
people already known and links to them, and finds the duplicate candidates among the rows.
The engine is mostly single-threaded Python, and the machine has a second core.

The process is one worker running its tasks in order: `load_register` first (as soon as the
run starts: the interpreter's imports and the register's million rows are read while the run
reads its rows), then `register_link`, which takes the register loaded before. Nothing is
shared with the run's process but what is handed across: the results are the ones the run
would get alone."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from lindung.verification.matching.evidence import MatchSettings
from lindung.verification.matching.linking import link, link_weighted

# The register this process loaded for the link to come (one run per process).
_LOADED: dict[str, pl.DataFrame] = {}


def known_links(rows: pl.DataFrame, known: pl.DataFrame, settings: MatchSettings) -> pl.DataFrame:
    """The rows' links to people already known, as the run keeps them: any link the engine
    would decide on its own account (the same NIK, or a NIK one slip off with name, birth
    date and the rest agreeing), unambiguous."""
    return link(rows, known, settings, accepted_only=True).filter(
        (pl.col("score") >= settings.link_accept) & ~pl.col("reasons").list.contains("ambiguous")
    )


def load_register(source: Path | pl.DataFrame) -> int:
    """Keep the register for `register_link`: read from its columnar cache file, or as
    handed across. Returns its number of people."""
    frame = pl.read_parquet(source) if isinstance(source, Path) else source
    _LOADED["register"] = frame
    return frame.height


def register_link(
    rows: pl.DataFrame, settings: MatchSettings
) -> tuple[pl.DataFrame, dict[str, float]]:
    """`link_weighted` of `rows` to the register `load_register` kept (and then let go)."""
    return link_weighted(rows, _LOADED.pop("register"), settings)
