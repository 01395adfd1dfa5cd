"""`lindung monitoring-refresh [--pemda CODE] [--all] [--json]`: rebuild the kept
participation counts (`monitoring.participation`) of the programs whose counts are out of
date (every program with `--all`) — after enrolments were loaded in bulk outside the
services, or when no background worker ran."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandParser

from lindung.common.commands import LindungCommand
from lindung.monitoring.participation import participation_refresh, refresh_stale
from lindung.programs.models import Program


class Command(LindungCommand):
    help = "Bangun ulang hitungan kepesertaan harian untuk dasbor pemantauan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pemda", help="kode Pemda (bawaan: semua)")
        parser.add_argument("--all", action="store_true", help="semua program, juga yang mutakhir")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        programs = Program.objects.order_by("pemda_id", "-year", "pk")
        if options.get("pemda"):
            programs = programs.filter(pemda__code=options["pemda"])
        started = time.monotonic()
        if options["all"]:
            for program in programs:
                participation_refresh(program)
            done = list(programs)
        else:
            done = refresh_stale(programs)
        seconds = round(time.monotonic() - started, 2)
        if options["json"]:
            self.write_json({"refreshed": [p.code for p in done], "seconds": seconds})
            return
        names = ", ".join(p.code for p in done) or "tidak ada (semua mutakhir)"
        self.stdout.write(f"Dibangun ulang: {names} ({seconds} detik).")
