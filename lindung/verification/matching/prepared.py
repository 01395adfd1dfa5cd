"""A side of a link prepared once: the prepared frame (`blocks.prepare`) and the name- and
key-level tables the blocks and the scores need of it. Made for the register, which stays
the same for every run against one snapshot: made once and kept on disk (`write`, `read`),
a run reads it instead of working on a million rows again. Any side can be one (the
register, the people already known, the rows themselves); a table not given is made from the
frame when first asked for, exactly as the blocks would make it."""

from __future__ import annotations

import hashlib
import inspect
import os
from collections.abc import Callable
from pathlib import Path
from typing import Final

import polars as pl

from lindung.verification.matching import blocks
from lindung.verification.matching.blocks import (
    name_counts,
    name_folds,
    name_tokens,
    prepare,
    sorted_keys,
)

# The tables of a prepared side, in the order they are written.
TABLES: Final = ("frame", "counts", "tokens", "keys", "folds", "totals", "members")

# The columns of a frame `prepare` is given: the schema an empty one is checked against.
_RAW_SCHEMA: Final = {
    "id": pl.Int64, "nik": pl.String, "kk": pl.String, "name": pl.String,
    "birth_date": pl.Date, "sex": pl.String, "district": pl.String,
}  # fmt: skip


def _version() -> str:
    """A stamp of the code the tables are made by: a prepared side written by other code is
    not read back (the caller names its files with this)."""
    try:
        source = inspect.getsource(blocks) + Path(__file__).read_text(encoding="utf-8")
    except (OSError, TypeError):
        return "v0"
    return hashlib.sha256(source.encode()).hexdigest()[:10]


VERSION: Final = _version()


def token_totals(tokens: pl.DataFrame, counts: pl.DataFrame) -> pl.DataFrame:
    """(token, len): how many people carry each name token (`tokens`: `name_tokens` of the
    distinct names of `counts`, `name_counts`)."""
    names = counts.select("simple", "len")
    return tokens.join(names, on="simple").group_by("token").agg(pl.col("len").sum())


def name_members(prepared: pl.DataFrame) -> pl.DataFrame:
    """(simple, id, birth_year, district): the people of a prepared frame by distinct
    non-blank name, the last three as lists."""
    named = prepared.filter(pl.col("simple") != "")
    return named.group_by("simple").agg("id", "birth_year", "district")


class PreparedSide:
    """A prepared frame (`frame`, `blocks.prepare`) and, made once, its tables:
    `counts` (`blocks.name_counts`), `tokens` (`blocks.name_tokens` of its distinct names),
    `keys` (`blocks.sorted_keys` of them), `folds` (`blocks.name_folds`), `totals`
    (`token_totals`) and `members` (`name_members`): the `blocks.NameTables` of the
    frame."""

    def __init__(self, frame: pl.DataFrame, tables: dict[str, pl.DataFrame] | None = None):
        self.frame = frame
        self._tables = dict(tables or {})

    @classmethod
    def of(cls, frame: pl.DataFrame, id_col: str) -> PreparedSide:
        """`frame` (rows, register records or known people) prepared, its id in `id_col`."""
        return cls(prepare(frame, id_col))

    @property
    def height(self) -> int:
        return self.frame.height

    def _table(self, name: str, make: Callable[[], pl.DataFrame]) -> pl.DataFrame:
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = make()
        return table

    @property
    def counts(self) -> pl.DataFrame:
        return self._table("counts", lambda: name_counts(self.frame))

    @property
    def tokens(self) -> pl.DataFrame:
        return self._table("tokens", lambda: name_tokens(self.counts.select("simple", "len")))

    @property
    def keys(self) -> pl.DataFrame:
        return self._table("keys", lambda: sorted_keys(self.counts.select("simple", "len")))

    @property
    def folds(self) -> pl.DataFrame:
        return self._table("folds", lambda: name_folds(self.frame))

    @property
    def totals(self) -> pl.DataFrame:
        return self._table("totals", lambda: token_totals(self.tokens, self.counts))

    @property
    def members(self) -> pl.DataFrame:
        return self._table("members", lambda: name_members(self.frame))

    def table(self, name: str) -> pl.DataFrame:
        """The table called `name` (one of `TABLES`), made if not yet there."""
        if name == "frame":
            return self.frame
        made: pl.DataFrame = getattr(self, name)
        return made

    def complete(self) -> PreparedSide:
        """This side with every table made."""
        for name in TABLES:
            self.table(name)
        return self

    def write(self, prefix: Path | str) -> None:
        """Every table, to `<prefix>.<table>.parquet`, each written whole or not at all (a
        partial file is renamed into place only once complete). Raises `OSError`."""
        for name in TABLES:
            path = _path(prefix, name)
            # A name of this process's own: the worker and a run may write the same side.
            part = path.with_suffix(f".{os.getpid()}.part")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                # lz4: read back faster than zstd (every run reads them), for more disk.
                # One row group: read back in one piece (see `read`), with no copy to join
                # the pieces.
                table = self.table(name)
                table.write_parquet(part, compression="lz4", row_group_size=max(table.height, 1))
                part.replace(path)
            finally:
                part.unlink(missing_ok=True)

    @classmethod
    def read(cls, prefix: Path | str) -> PreparedSide:
        """The side `write` left at `prefix`. Raises `OSError` when a table is missing,
        `polars.exceptions.PolarsError` when one is unreadable, `ValueError` when one has
        not the columns this code makes."""
        # Each table in one piece (as `write` stores it; joined here if it came in several):
        # each round of a link takes the register's fields by position (`scoring._taken`),
        # which would join the pieces again every time.
        tables = {name: pl.read_parquet(_path(prefix, name)).rechunk() for name in TABLES}
        side = cls(tables.pop("frame"), tables)
        _check(side)
        return side


def _path(prefix: Path | str, name: str) -> Path:
    return Path(f"{prefix}.{name}.parquet")


def _check(side: PreparedSide) -> None:
    """Raise `ValueError` unless each table of `side` has the schema this code makes."""
    raw = pl.DataFrame(schema={**_RAW_SCHEMA, "id": side.frame.schema.get("id", pl.Int64)})
    expected = PreparedSide(prepare(raw, "id")).complete()
    for name in TABLES:
        if side.table(name).schema != expected.table(name).schema:
            raise ValueError(f"prepared table {name!r}: unexpected columns")
