from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.audit.chain import verify
from lindung.common.backup import BackupError, backup_restore, row_counts
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.sealing import SealError, key_read


class Command(LindungCommand):
    help = "Pulihkan cadangan `lindung backup` ke instans KOSONG, lalu periksa isi dan log audit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="folder cadangan")
        parser.add_argument("--key-file", help="kunci cadangan tersegel")
        parser.add_argument("--json", action="store_true", help="laporan JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = key_read(Path(options["key_file"])) if options["key_file"] else None
            manifest = backup_restore(source=Path(options["source"]), key=key)
        except (BackupError, SealError) as exc:
            raise UsageError(str(exc)) from exc
        counts = row_counts()
        differing = sorted(t for t, n in manifest["row_counts"].items() if counts.get(t) != n)
        audit = verify()
        report = {"tables_differing": differing, "audit_intact": audit["intact"]}
        if options["json"]:
            self.write_json(report)
        else:
            self.stdout.write(
                f"Dipulihkan dari {options['source']}: {len(manifest['row_counts'])} tabel, "
                f"{len(differing)} berbeda jumlah baris; log audit "
                f"{'utuh' if audit['intact'] else 'RUSAK'}."
            )
        if differing or not audit["intact"]:
            raise SystemExit(1)
