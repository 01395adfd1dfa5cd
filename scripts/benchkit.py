"""What the timed benchmarks share: a fresh Lindung database in a private directory, set up
outside the timing (settings for tests, SQLite, the migrations, East Java's regions)."""

from __future__ import annotations

import os
from pathlib import Path


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
