from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from lindung.accounts.models import Agency, Pemda
from lindung.common.commands import LindungCommand, UsageError


class Command(LindungCommand):
    help = "Daftar instansi dan desa pengusul sebuah program."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, "what", "list")
        listing = sub.add_parser("list", help="daftar instansi")
        listing.add_argument("--program", required=True, help="kode program")
        listing.add_argument("--pemda", help="kode Pemda")
        listing.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["program"]
        pemda = _pemda_of_program(code=code, pemda_code=options["pemda"])
        agencies = Agency.objects.filter(pemda=pemda, is_active=True)
        items = [
            {
                "code": a.code,
                "name": a.name,
                "kind": a.kind,
                "village": a.village_id,
                "program": code,
            }
            for a in agencies.order_by("kind", "code")
        ]
        if options["json"]:
            self.write_json(items)
            return
        for item in items:
            self.stdout.write(f"{item['code']}  {item['name']}")


def _pemda_of_program(*, code: str, pemda_code: str | None) -> Pemda:
    """The Pemda whose program has ``code``. Programs sit above accounts (the layers
    contract), so the Pemda is found through its programs rather than by importing them."""
    pemdas = Pemda.objects.filter(programs__code=code).distinct()
    if pemda_code:
        pemdas = pemdas.filter(code=pemda_code)
    found = list(pemdas[:2])
    if not found:
        raise UsageError(f"Program dengan kode {code!r} tidak ditemukan.")
    if len(found) > 1:
        raise UsageError(f"Kode program {code!r} dipakai lebih dari satu Pemda: isi --pemda.")
    return found[0]
