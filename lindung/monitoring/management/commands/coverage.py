"""`lindung coverage --program CODE [--as-of YYYY-MM-DD] [--pemda CODE] --json`: active
participants on a date against quota and, per district of the Pemda, against the working
population (rate = active ÷ workforce, null without a workforce figure)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from lindung.common.commands import LindungCommand
from lindung.enrollment.bpjs.cli import iso_date
from lindung.monitoring.coverage import coverage_of
from lindung.programs.cli import find_program


class Command(LindungCommand):
    help = "Cakupan kepesertaan per kecamatan pada suatu tanggal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="kode program")
        parser.add_argument("--pemda", help="kode Pemda (bila kode program dipakai >1 Pemda)")
        parser.add_argument("--as-of", help="tanggal TTTT-BB-HH (bawaan: hari ini)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        program = find_program(code=options["program"], pemda_code=options.get("pemda"))
        raw = options.get("as_of")
        as_of = iso_date(raw, option="--as-of") if raw else timezone.localdate()
        coverage = coverage_of(program, as_of)
        if options["json"]:
            self.write_json(coverage.as_json())
            return
        self.stdout.write(
            f"{program.code} per {as_of:%d-%m-%Y}: {coverage.active} peserta aktif "
            f"dari kuota {coverage.quota}."
        )
        for region in coverage.regions:
            rate = "-" if region.rate is None else f"{region.rate} %"
            self.stdout.write(f"  {region.code} {region.name}: {region.active} ({rate})")
