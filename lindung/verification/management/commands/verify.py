from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.programs.cli import find_program
from lindung.verification import side_start


class Command(LindungCommand):
    help = "Memverifikasi semua baris usulan yang sudah diserahkan untuk sebuah program."
    # Django's system checks import every URL module and view (~0,5 s of CPU on each run, a
    # batch job's whole start-up); they run with `lindung check` at deployment and when the
    # web server starts, and find nothing a run depends on.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="kode program")
        parser.add_argument("--pemda", help="kode Pemda, bila kode program dipakai lebih dari satu")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        # A large run links to the register in a second process: started before this one
        # imports the engine and reads its program, it imports its own meanwhile, on the
        # other core (`side_start`).
        side_start.start_ahead()
        try:
            from lindung.verification.services import run_verification

            program = find_program(code=options["program"], pemda_code=options.get("pemda"))
            run = run_verification(actor="cli", program=program)
        except ServiceError as exc:
            raise UsageError(exc.message) from exc
        finally:
            side_start.discard()
        counts = run.tally
        payload = {
            "run": run.pk,
            "program": program.code,
            "snapshot": run.snapshot_id,
            "rows": run.rows,
            "outcomes": dict(sorted(counts.outcomes.items())),
            "verdicts": dict(counts.verdicts),
            "matches": dict(counts.matches),
            "review": {"match": counts.review_match, "duplicate": counts.review_duplicate},
            "duplicate_groups": counts.duplicate_groups,
            "seconds": run.seconds,
        }
        if options["json"]:
            self.write_json(payload)
        else:
            lines = [f"Verifikasi #{run.pk}: {run.rows} baris dalam {run.seconds} detik."]
            lines += [f"  {k}: {v}" for k, v in payload["outcomes"].items()]
            self.stdout.write("\n".join(lines))
