"""The `lindung` console command: everything manage.py does, plus Lindung's own commands."""

import gc
import os
import sys
from typing import Final

# Whether `main` paused the cycle collector for the start-up (`_started` resumes it).
_paused: list[bool] = []


def _started() -> None:
    """Start-up is over (Django set up, the command's module imported): the cycle collector
    runs again, and never walks what start-up made — the modules, classes and functions that
    live as long as the process (about 90.000 objects). Its passes during the imports freed
    nothing and cost about a tenth of the start-up's CPU (docs/benchmarks.md, session 4)."""
    if _paused and _paused.pop():
        gc.freeze()
        gc.enable()


# How polars' allocator (jemalloc) keeps memory a command freed: given back after ten seconds
# unused (jemalloc's own default), not almost at once; and in one arena, not one per thread
# (jemalloc makes four per core): what one of polars' threads freed, another takes again. A
# run frees and takes again hundreds of megabytes within seconds, and each page taken fresh
# from the kernel is faulted in. A full-size `lindung verify` spends ~0,5 s less in the kernel
# with the first (docs/benchmarks.md, session 4), and has 14 % fewer page faults with the
# second (session 6).
ALLOCATOR: Final = "dirty_decay_ms:10000,muzzy_decay_ms:10000,narenas:1"

# numpy's OpenBLAS starts a thread per core when imported, which spins waiting for work
# that never comes: nothing in Lindung multiplies matrices. In each process of a full-size
# `lindung verify` those threads took about a tenth of a second of CPU from the run
# (docs/benchmarks.md, issue 10 session 7).
BLAS_THREADS: Final = "1"


def main() -> None:
    _paused[:] = [gc.isenabled()]
    gc.disable()  # until `_started`
    # Before polars is loaded (it reads this once), here and in the processes a command
    # spawns (they inherit the environment); an operator's own setting wins.
    os.environ.setdefault("_RJEM_MALLOC_CONF", ALLOCATOR)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", BLAS_THREADS)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    # Owner and group only, for every file any command writes (lindung.common.files).
    os.umask(0o027)
    from django.core.management import ManagementUtility
    from django.core.management.base import BaseCommand

    class Utility(ManagementUtility):
        def fetch_command(self, subcommand: str) -> BaseCommand:
            command = super().fetch_command(subcommand)
            _started()
            return command

    try:
        Utility(["lindung", *sys.argv[1:]]).execute()
    finally:
        _started()  # a command that was never found (`lindung`, `lindung help`)
        # The process ends with the command: everything alive now is only freed, so the
        # cycle collections of the interpreter's exit may skip it. After a full-size
        # `lindung verify` they walked the whole heap, the matching's caches included
        # (about a second of the command's teardown; docs/benchmarks.md, session 3).
        gc.freeze()


if __name__ == "__main__":
    main()
