"""The second process of a large verification run: the link to the register (`matching.side`)
while the run's own process reads the people already known, links to them and finds the
duplicate candidates; then half of the rows to assess. The engine is mostly single-threaded
Python, and the machine has a second core."""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Final

import polars as pl

from lindung.domain.eligibility import EligibilityPolicy
from lindung.register.cache import read_register
from lindung.register.models import RegisterSnapshot
from lindung.verification import matching, side_start
from lindung.verification.candidates import Assessed, assess_rows
from lindung.verification.matching.blocks import PREPARED_FROM, prepare
from lindung.verification.matching.groups import register_confirmed
from lindung.verification.matching.prepared import PreparedSide
from lindung.verification.matching.side import (
    NotLoaded,
    as_arrow,
    hand_rows,
    load_register,
    register_link,
    unpacked,
)
from lindung.verification.register_side import (
    prepared_register_prefix,
    read_prepared_register,
)

# From this many rows, the link to the register is done in a second process
# (`matching.side`) while this one reads the people already known, links to them and finds
# the duplicate candidates; below, starting that process (about half a second) would cost
# more than it saves.
SIDE_PROCESS_FROM: Final = 10_000
# From this many distinct rows to assess, that process (idle by then) assesses half of them.
ASSESS_SPLIT_FROM: Final = 2_000


class SecondProcess:
    """The register link of a run (`matching.side`): in a second process when the run is
    large and the machine has a second core, else here when its result is asked for. The
    process starts first thing (or earlier, `side_start`) and loads the prepared register
    (`register_side`, from disk) while the run reads its rows; `link` hands it the rows
    (and, when the prepared register could not be stored, the register's people, pickled
    as Arrow), and the run reads the rest meanwhile; `confirmed` tells which rows the
    register confirms, as soon as the process took them. Nothing is shared: the results
    are the same."""

    def __init__(
        self,
        rows: int,
        snapshot: RegisterSnapshot | None,
        settings: matching.MatchSettings,
    ):
        self._snapshot = snapshot
        self._settings = settings
        self._rows: pl.DataFrame | None = None
        self._prefix: Path | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[tuple[pl.DataFrame, dict[str, float]]] | None = None
        self._confirmed: Future[pl.Series] | None = None
        self._register: PreparedSide | None = None  # read here when the work is done here
        if (
            rows >= SIDE_PROCESS_FROM
            and snapshot is not None
            and snapshot.rows
            and side_start.can_start()
        ):
            # The process the command started ahead (`side_start`), or one started now.
            self._pool = side_start.take() or side_start.new_process()
            self._prefix = prepared_register_prefix(snapshot)
            if self._prefix is not None:
                self._pool.submit(load_register, self._prefix)
        else:
            side_start.discard()

    def link(self, rows: pl.DataFrame) -> None:
        """Start the rows' link to the register (in the second process, if there is one)."""
        self._rows = rows
        if self._pool is not None:
            try:
                if self._prefix is None:
                    self._pool.submit(load_register, read_register(self._snapshot))
                # Only what the link reads of the rows is handed across.
                wanted = ["row_id", *(c for c in PREPARED_FROM if c in rows.columns)]
                self._confirmed = self._pool.submit(hand_rows, as_arrow(rows.select(wanted)))
                self._future = self._pool.submit(register_link, self._settings)
            except (BrokenProcessPool, RuntimeError):
                self.close()

    def confirmed(self) -> pl.Series:
        """The ids of the rows the register confirms (`groups.register_confirmed`), for the
        duplicate search: from the second process, which has the register at hand, as soon
        as it took the rows; else worked out here."""
        if self._rows is None:
            raise RuntimeError("SecondProcess.confirmed() before link()")
        if self._confirmed is not None:
            try:
                return self._confirmed.result()
            except (BrokenProcessPool, OSError, NotLoaded):
                self.close()
        return register_confirmed(prepare(self._rows, "row_id"), self._here().frame)

    def result(self) -> tuple[pl.DataFrame, dict[str, float]]:
        """The rows' links to the register and the evidence weights they rest on
        (`matching.link_weighted`)."""
        if self._rows is None:
            raise RuntimeError("SecondProcess.result() before link()")
        if self._future is not None:
            try:
                links, weights = self._future.result()
                return unpacked(links), weights
            except (BrokenProcessPool, OSError, NotLoaded):
                # The second process could not be started, died or could not read the
                # prepared register: the work is done here.
                self.close()
        return matching.link_weighted(self._rows, self._here(), self._settings)

    def _here(self) -> PreparedSide:
        """The prepared register, read here (once) for the work the second process did not
        do."""
        if self._register is None:
            register = read_register(self._snapshot)
            self._register = read_prepared_register(self._snapshot, register)
        return self._register

    def assess(self, rows: pl.DataFrame, policy: EligibilityPolicy) -> Assessed:
        """`candidates.assess_rows` (which pauses the cycle collector in either process):
        the first half of ``rows`` here, the second half in the second process at the same
        time (when there is one and ``rows`` is large)."""
        if self._pool is None or rows.height < ASSESS_SPLIT_FROM:
            return assess_rows(rows, policy)
        half = rows.height // 2
        try:
            theirs = self._pool.submit(assess_rows, rows.slice(half), policy)
        except (BrokenProcessPool, RuntimeError):
            return assess_rows(rows, policy)
        ours = assess_rows(rows.slice(0, half), policy)
        try:
            return ours.extend(theirs.result())
        except (BrokenProcessPool, OSError):
            self.close()
            return ours.extend(assess_rows(rows.slice(half), policy))

    def close(self) -> None:
        """Let the second process go (its work unfinished when the run failed before)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        # Its results will not come: what is asked for from now on is done here.
        self._future = self._confirmed = None
