"""`lindung reconcile FILE --program CODE --month YYYY-MM [--user USERNAME] --json`: compare
BPJS's bill for a month with ours and record the comparison; prints the lines per outcome."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.accounts.models import Actor, User
from lindung.billing.bpjs_bill import OUTCOMES
from lindung.billing.reconciliation import bpjs_bill_reconcile
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.programs.cli import find_program


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 - a calendar month
    except ValueError as exc:
        raise UsageError(f"--month harus berformat TTTT-BB, tertulis {value!r}.") from exc


class Command(LindungCommand):
    help = "Merekonsiliasi tagihan BPJS satu bulan dengan tagihan Lindung."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="file tagihan BPJS (xlsx, xls, ods, csv)")
        parser.add_argument("--program", required=True, help="kode program")
        parser.add_argument("--pemda", help="kode Pemda bila kode program dipakai lebih dari satu")
        parser.add_argument("--month", required=True, help="bulan iuran TTTT-BB")
        parser.add_argument("--user", help="nama pengguna Keuangan/Admin yang dicatat")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        program = find_program(code=options["program"], pemda_code=options["pemda"])
        month = _month(options["month"])
        path = Path(options["file"])
        if not path.is_file():
            raise UsageError(f"File {options['file']!r} tidak ditemukan.")
        actor: Actor = "cli"
        if options["user"]:
            user = User.objects.filter(
                username=options["user"], pemda_id=program.pemda_id, is_active=True
            ).first()
            if user is None:
                raise UsageError(
                    f"Pengguna {options['user']!r} tidak ditemukan di Pemda program ini."
                )
            actor = user
        try:
            bill = bpjs_bill_reconcile(
                actor=actor, program=program, month=month, path=path, filename=path.name
            )
        except ServiceError as exc:
            raise UsageError(" ".join(exc.message.split())) from exc
        counts = {outcome: int(bill.counts.get(outcome, 0)) for outcome in OUTCOMES}
        if options["json"]:
            self.write_json(counts)
            return
        self.stdout.write(
            f"Rekonsiliasi #{bill.pk} {month:%m-%Y}: "
            + ", ".join(f"{outcome} {count}" for outcome, count in counts.items())
        )
