"""The second process of a large run (`second_process.SecondProcess`) started ahead, before
the command that may need it has imported anything heavy: a fresh interpreter takes about a
third of a second to import polars and the matching engine, and `lindung verify` spends
longer than that setting Django up and reading its program on one core while the other is
idle. This module imports nothing of the engine itself; the process it starts does (`_ready`).

A command calls `start_ahead()` first thing; the run takes the process (`take`) when it is
large enough to want one, and `discard` lets it go otherwise (or when nothing took it)."""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from lindung.common.collector import collector_paused

# What the process imports while it waits: the modules its tasks run in.
_ENGINE = "lindung.verification.matching.side"

_STARTED: list[ProcessPoolExecutor] = []


def _ready() -> None:
    # As `lindung.__main__` does for a command's own start-up: the collector's passes
    # during the imports free nothing, and what the imports made lives as long as the
    # process, so later passes skip it.
    with collector_paused():
        importlib.import_module(_ENGINE)
    gc.freeze()


def can_start() -> bool:
    """True when a second process helps: the machine has a second core, and this process is
    not itself a worker process (those may not start processes)."""
    return (os.cpu_count() or 1) > 1 and not multiprocessing.current_process().daemon


def new_process() -> ProcessPoolExecutor:
    """A pool of one fresh interpreter ("spawn": forking a process that runs polars' threads
    and holds a database connection is not safe), its process started at once."""
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    pool.submit(_ready)
    return pool


def start_ahead() -> None:
    """Start the second process now, for `take` (once per process; nothing when it cannot
    help)."""
    if not _STARTED and can_start():
        _STARTED.append(new_process())


def take() -> ProcessPoolExecutor | None:
    """The process `start_ahead` started, if any: the caller owns it from now on."""
    return _STARTED.pop() if _STARTED else None


def discard() -> None:
    """Let go a process started ahead that nothing took."""
    while _STARTED:
        _STARTED.pop().shutdown(wait=False, cancel_futures=True)
