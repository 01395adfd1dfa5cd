from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from lindung.accounts.models import Agency
from lindung.common.commands import LindungCommand
from lindung.intake.cli import find_program


class Command(LindungCommand):
    help = "Daftar instansi dan desa pengusul sebuah program."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, "what", "list")
        listing = sub.add_parser("list", help="daftar instansi")
        listing.add_argument("--program", required=True, help="kode program")
        listing.add_argument("--pemda", help="kode Pemda")
        listing.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        program = find_program(code=options["program"], pemda_code=options["pemda"])
        agencies = Agency.objects.filter(pemda_id=program.pemda_id, is_active=True)
        items = [
            {
                "code": a.code,
                "name": a.name,
                "kind": a.kind,
                "village": a.village_id,
                "program": program.code,
            }
            for a in agencies.order_by("kind", "code")
        ]
        if options["json"]:
            self.write_json(items)
            return
        for item in items:
            self.stdout.write(f"{item['code']}  {item['name']}")
