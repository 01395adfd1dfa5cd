"""`lindung participants export --program CODE --out FILE.csv`: every participant of a
program (and its waiting list) as CSV with the columns
nik,name,kpj,status,started_on,ended_on,end_reason,agency,village_code,funding_source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.common.commands import LindungCommand, UsageError
from lindung.enrollment.services.participants import participants_export
from lindung.programs.cli import find_program


class Command(LindungCommand):
    help = "Peserta sebuah program: ekspor ke CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, "what", "export")
        export = sub.add_parser("export", help="ekspor peserta ke CSV")
        export.add_argument("--program", required=True, help="kode program")
        export.add_argument("--pemda", help="kode Pemda (bila kode program dipakai dua Pemda)")
        export.add_argument("--out", required=True, help="file CSV yang ditulis")
        export.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"handle_{options['what']}")
        handler(**options)

    def handle_export(self, **options: Any) -> None:
        program = find_program(code=options["program"], pemda_code=options["pemda"])
        out = Path(options["out"])
        if out.suffix.lower() != ".csv":
            raise UsageError("File keluaran harus berakhiran .csv.")
        if not out.parent.is_dir():
            raise UsageError(f"Folder {str(out.parent)!r} tidak ada.")
        counts = participants_export(actor="cli", program=program, out=out)
        result = {"rows": sum(counts.values()), "by_status": counts, "file": str(out)}
        if options["json"]:
            self.write_json(result)
            return
        self.stdout.write(f"{result['rows']} baris ditulis ke {out}.")
