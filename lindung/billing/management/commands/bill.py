"""`lindung bill --program CODE --month YYYY-MM [--user USERNAME] --json`: generate (or
regenerate) the month's bills, one per funding source."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from lindung.accounts.models import Actor
from lindung.billing.cli import find_user, parse_month
from lindung.billing.services import bill_generate
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.programs.cli import find_program


class Command(LindungCommand):
    help = "Membuat (atau membuat ulang) tagihan iuran satu bulan, satu per sumber dana."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="kode program")
        parser.add_argument("--pemda", help="kode Pemda bila kode program dipakai lebih dari satu")
        parser.add_argument("--month", required=True, help="bulan iuran TTTT-BB")
        parser.add_argument("--user", help="nama pengguna Keuangan/admin (bawaan: sistem)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        program = find_program(code=options["program"], pemda_code=options["pemda"])
        month = parse_month(options["month"], "--month")
        actor: Actor = find_user(options["user"], program) if options["user"] else "baris perintah"
        try:
            run = bill_generate(actor=actor, program=program, month=month)
        except ServiceError as exc:
            raise UsageError(exc.message) from exc
        if run.unfunded:
            self.stderr.write(
                f"Peringatan: {run.unfunded} peserta tanpa sumber dana, tidak ditagihkan."
            )
        if options["json"]:
            self.write_json(run.to_json())
            return
        self.stdout.write(
            f"Tagihan {month:%m-%Y}: {run.participants} peserta, Rp {run.total:,}".replace(",", ".")
        )
