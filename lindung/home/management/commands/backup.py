from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.common.backup import BackupError, backup_create
from lindung.common.commands import LindungCommand, UsageError


class Command(LindungCommand):
    help = "Cadangkan basis data dan berkas unggahan ke folder baru, dengan manifest SHA-256."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="folder cadangan (baru atau kosong)")
        parser.add_argument("--json", action="store_true", help="tulis manifest sebagai JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(out=Path(options["out"]))
        except BackupError as exc:
            raise UsageError(str(exc)) from exc
        if options["json"]:
            self.write_json(manifest)
            return
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Cadangan dibuat di {options['out']}: {len(manifest['files'])} berkas, "
            f"{rows} baris dari {len(manifest['row_counts'])} tabel."
        )
