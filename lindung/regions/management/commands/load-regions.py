from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from lindung.common.commands import LindungCommand
from lindung.regions.services import regions_load


class Command(LindungCommand):
    help = "Memuat kode wilayah Kemendagri (provinsi sampai desa) yang dikirim bersama Lindung."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", help="hanya satu provinsi, mis. 35")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = regions_load(province=options["province"])
        summary = ", ".join(f"{label}: {n}" for label, n in counts.items())
        self.stdout.write(f"Wilayah dimuat ({summary}).")
