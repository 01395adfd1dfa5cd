from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.common.backup import BackupError, backup_create
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.sealing import SealError, key_create, key_read


class Command(LindungCommand):
    help = "Cadangkan basis data dan berkas unggahan ke folder baru, dengan manifest SHA-256."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="folder cadangan (baru atau kosong)")
        parser.add_argument(
            "--key-file", help="segel setiap berkas cadangan dengan kunci ini (AES-256-GCM)"
        )
        parser.add_argument(
            "--new-key", metavar="FILE", help="buat berkas kunci baru (hanya pemilik), lalu selesai"
        )
        parser.add_argument("--json", action="store_true", help="tulis manifest sebagai JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["new_key"]:
                key_create(Path(options["new_key"]))
                self.stdout.write(
                    f"Kunci dibuat di {options['new_key']}. Simpan salinannya di luar server: "
                    "tanpa kunci, cadangan tersegel tidak bisa dipulihkan."
                )
                return
            if not options["out"]:
                raise UsageError("Sebutkan folder cadangan dengan --out.")
            key = key_read(Path(options["key_file"])) if options["key_file"] else None
            manifest = backup_create(out=Path(options["out"]), key=key)
        except (BackupError, SealError) as exc:
            raise UsageError(str(exc)) from exc
        if options["json"]:
            self.write_json(manifest)
            return
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Cadangan dibuat di {options['out']}: {len(manifest['files'])} berkas, "
            f"{rows} baris dari {len(manifest['row_counts'])} tabel."
        )
