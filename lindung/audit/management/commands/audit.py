from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import CommandParser

from lindung.audit.chain import verify
from lindung.common.commands import LindungCommand, UsageError


class Command(LindungCommand):
    help = "Log audit: `verify` memeriksa rantai hash (status keluar 1 bila ada yang rusak)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, dest="action", metavar="verify")
        check = sub.add_parser("verify", help="periksa rantai hash log audit")
        check.add_argument("--pemda", help="kode Pemda (bawaan: semua rantai)")
        check.add_argument("--json", action="store_true", help="laporan JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        pemda_id = None
        if options["pemda"]:
            # Looked up by name: accounts sits above audit in the layers.
            pemda_model = apps.get_model("accounts", "Pemda")
            pemda = pemda_model.objects.filter(code=options["pemda"]).first()
            if pemda is None:
                raise UsageError(f"Pemda dengan kode {options['pemda']!r} tidak ada.")
            pemda_id = pemda.pk
        report = verify(pemda_id)
        if options["json"]:
            self.write_json(report)
        else:
            for chain in report["chains"]:
                state = "utuh" if chain["intact"] else "RUSAK"
                self.stdout.write(f"{chain['chain']}: {chain['events']} peristiwa, {state}")
            broken = report["first_break"]
            if broken:
                self.stdout.write(
                    f"Mata rantai pertama yang rusak: peristiwa {broken['event_id']} "
                    f"({broken['problem']}): diharapkan {broken['expected']}, "
                    f"ditemukan {broken['found']}"
                )
        if not report["intact"]:
            raise SystemExit(1)
