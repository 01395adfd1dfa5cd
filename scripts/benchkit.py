"""What the timed benchmarks share: a fresh Lindung database in a private directory, set up
outside the timing (settings for tests, SQLite, the migrations, East Java's regions), and the
readings of /proc that measure a command's process tree and the rest of the machine."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def fresh_database(var_dir: Path, *, regions: bool = True, **environ: str) -> None:
    """Point Django at a new SQLite database under `var_dir`, migrate it and, with `regions`,
    load East Java's (province 35) regions. `environ` adds settings (e.g. ALLOWED_HOSTS)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "lindung.settings",
            "LINDUNG_ENV": "test",
            "LINDUNG_DEBUG": "0",
            "LINDUNG_VAR_DIR": str(var_dir),
            **environ,
        }
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    if regions:
        call_command("load-regions", "--province", "35", verbosity=0)


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
    return found


def rss(pid: int) -> int:
    """Resident memory of one process in bytes (0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def busy_seconds() -> float:
    """CPU time spent by the whole machine so far (all cores, not idle or waiting on I/O)."""
    with open("/proc/stat") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
