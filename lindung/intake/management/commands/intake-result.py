from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.audit.services import audit_record
from lindung.common.commands import LindungCommand, UsageError
from lindung.intake.cli import csv_safe, nik_as_written
from lindung.intake.models import Submission


class Command(LindungCommand):
    help = "Menulis hasil pemeriksaan setiap baris sebuah usulan ke file CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("submission", type=int, help="nomor usulan")
        parser.add_argument("--out", required=True, help="file CSV tujuan")

    def handle(self, *args: Any, **options: Any) -> None:
        submission = Submission.objects.filter(pk=options["submission"]).first()
        if submission is None:
            raise UsageError(f"Usulan #{options['submission']} tidak ditemukan.")
        out = Path(options["out"])
        count = 0
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row_number", "nik", "name", "outcome", "reasons"])
            for row in submission.rows.order_by("sheet", "row_number").iterator(chunk_size=5000):
                writer.writerow(
                    [
                        row.row_number,
                        csv_safe(nik_as_written(row, submission)),
                        csv_safe(row.name),
                        row.outcome,
                        csv_safe(row.reasons),
                    ]
                )
                count += 1
        audit_record(
            actor="cli",
            action="submission.result_exported",
            obj=submission,
            changes={"rows": count, "file": out.name},
        )
        self.stdout.write(f"{count} baris ditulis ke {out}.")
