"""Python's cycle collector paused around work that makes many small objects and no cycles.

The collector runs after every few hundred new containers (tuples, lists, dicts), and every
so often walks every container the process holds. A verification run analyses tens of
thousands of names and assesses tens of thousands of rows in Python, each making a handful of
tuples that never refer to one another in a cycle: the collector frees nothing there, while
its walks pass over the caches the same work fills (about a quarter of a second of CPU in the
second process of a full-size run, docs/benchmarks.md, issue 10 session 7). Plain reference
counting frees all of it as before; anything cyclic made meanwhile waits for the next pass
after the pause.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off inside, on again after (if it was on before): pauses nest."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
