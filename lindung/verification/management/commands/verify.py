from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.programs.cli import find_program
from lindung.verification.services import run_verification


class Command(LindungCommand):
    help = "Memverifikasi semua baris usulan yang sudah diserahkan untuk sebuah program."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="kode program")
        parser.add_argument("--pemda", help="kode Pemda, bila kode program dipakai lebih dari satu")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        program = find_program(code=options["program"], pemda_code=options.get("pemda"))
        try:
            run = run_verification(actor="cli", program=program)
        except ServiceError as exc:
            raise UsageError(exc.message) from exc
        counts = run.counts
        outcomes = {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("outcome:")}
        payload = {
            "run": run.pk,
            "program": program.code,
            "snapshot": run.snapshot_id,
            "rows": run.rows,
            "outcomes": dict(sorted(outcomes.items())),
            "verdicts": {
                k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("verdict:")
            },
            "matches": {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("match:")},
            "review": {
                "match": counts.get("review:match", 0),
                "duplicate": counts.get("review:duplicate", 0),
            },
            "duplicate_groups": counts.get("duplicate_groups", 0),
            "seconds": run.seconds,
        }
        if options["json"]:
            self.write_json(payload)
        else:
            lines = [f"Verifikasi #{run.pk}: {run.rows} baris dalam {run.seconds} detik."]
            lines += [f"  {k}: {v}" for k, v in payload["outcomes"].items()]
            self.stdout.write("\n".join(lines))
