"""`lindung retention purge [--dry-run] [--days N] [--json]`: destroy raw files and register
snapshot rows past retention (`lindung.privacy.retention`); run daily by deploy/'s timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from lindung.common.commands import LindungCommand, UsageError
from lindung.privacy.retention import KINDS, retention_purge

LABELS = {
    "intake_uploads": "file daftar instansi",
    "register_files": "file DTKS/DTSEN",
    "bpjs_files": "file BPJS",
    "feedback_files": "file umpan balik",
    "snapshots": "salinan DTKS/DTSEN",
}


class Command(LindungCommand):
    help = "Memusnahkan berkas unggahan dan isi salinan DTKS/DTSEN yang lewat masa simpan."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, dest="action", metavar="purge")
        purge = sub.add_parser("purge", help="musnahkan yang lewat masa simpan")
        purge.add_argument("--dry-run", action="store_true", help="hanya hitung, tanpa menghapus")
        purge.add_argument("--days", type=int, help="masa simpan (hari); bawaan dari pengaturan")
        purge.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options.get("days")
        if days is not None and days < 1:
            raise UsageError("--days harus bilangan bulat positif")
        result = retention_purge(actor="sistem", days=days, dry_run=options["dry_run"])
        if options["json"]:
            self.write_json(result.to_json())
            return
        verb = "akan dimusnahkan" if result.dry_run else "dimusnahkan"
        parts = [f"{result.total(kind)} {LABELS[kind]}" for kind in KINDS]
        self.stdout.write(
            f"Lewat masa simpan (sebelum {result.cutoff:%d-%m-%Y}), {verb}: "
            + ", ".join(parts)
            + f" ({sum(result.snapshot_rows.values())} baris DTKS/DTSEN)."
        )
