from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.audit.services import audit_record
from lindung.common.commands import LindungCommand, UsageError
from lindung.intake.cli import csv_safe
from lindung.programs.cli import find_program
from lindung.verification.selectors import run_current, verdicts_for_export

HEADER = [
    "submission", "row_number", "nik", "outcome", "match", "register_id", "register_nik",
    "duplicate_of", "score", "reasons",
]  # fmt: skip


class Command(LindungCommand):
    help = (
        "Menulis hasil verifikasi terakhir sebuah program ke file CSV, satu baris per baris usulan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="kode program")
        parser.add_argument("--pemda", help="kode Pemda, bila kode program dipakai lebih dari satu")
        parser.add_argument("--out", required=True, help="file CSV tujuan")

    def handle(self, *args: Any, **options: Any) -> None:
        program = find_program(code=options["program"], pemda_code=options.get("pemda"))
        run = run_current(program=program)
        if run is None:
            raise UsageError(f"Program {program.code!r} belum pernah diverifikasi.")
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise UsageError(f"Folder {str(out.parent)!r} tidak ditemukan.")
        count = 0
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            for verdict in verdicts_for_export(run=run).iterator(chunk_size=5000):
                row = verdict.row
                other = verdict.duplicate_of
                writer.writerow(
                    [
                        verdict.submission_id,
                        row.row_number,
                        csv_safe(row.nik),
                        verdict.outcome,
                        verdict.match,
                        csv_safe(verdict.register_id),
                        csv_safe(verdict.register_nik),
                        f"{other.submission_id}:{other.row_number}" if other else "",
                        "" if verdict.score is None else f"{verdict.score:.4f}",
                        ";".join(verdict.reasons or []),
                    ]
                )
                count += 1
        audit_record(
            actor="cli",
            action="verification.result_exported",
            obj=run,
            pemda=program.pemda,
            changes={"rows": count, "file": out.name},
        )
        self.stdout.write(f"{count} baris ditulis ke {out}.")
