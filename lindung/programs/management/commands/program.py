from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from lindung.common.commands import LindungCommand
from lindung.programs.models import Program


class Command(LindungCommand):
    help = "Daftar program (kode untuk perintah lain)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, "what", "list")
        listing = sub.add_parser("list", help="daftar program")
        listing.add_argument("--pemda", help="kode Pemda")
        listing.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        programs = Program.objects.select_related("pemda").order_by("pemda__code", "-year", "code")
        if options["pemda"]:
            programs = programs.filter(pemda__code=options["pemda"])
        items = [
            {
                "code": p.code,
                "name": p.name,
                "year": p.year,
                "status": p.status,
                "pemda": p.pemda.code,
                "quota": p.quota,
                "benefits": p.benefits,
            }
            for p in programs
        ]
        if options["json"]:
            self.write_json(items)
            return
        for item in items:
            self.stdout.write(f"{item['pemda']}  {item['code']}  {item['year']}  {item['name']}")
