"""`lindung allocate --program CODE --user USERNAME [--from-month YYYY-MM] [--dry-run] --json`:
rank and fit the program's eligible candidates; without --dry-run record the proposal by
that user (a verifier)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from lindung.accounts.models import User
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.services import allocation_propose
from lindung.programs.cli import find_program


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 - a calendar month
    except ValueError as exc:
        raise UsageError(f"--from-month harus berformat TTTT-BB, tertulis {value!r}.") from exc


class Command(LindungCommand):
    help = "Menyusun alokasi peserta dalam kuota dan anggaran; tanpa --dry-run mengajukannya."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="kode program")
        parser.add_argument("--pemda", help="kode Pemda bila kode program dipakai lebih dari satu")
        parser.add_argument("--user", required=True, help="nama pengguna verifikator")
        parser.add_argument("--from-month", help="bulan mulai TTTT-BB (bawaan: bulan depan)")
        parser.add_argument("--dry-run", action="store_true", help="hitung saja, tidak dicatat")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        program = find_program(code=options["program"], pemda_code=options["pemda"])
        user = User.objects.filter(
            username=options["user"], pemda_id=program.pemda_id, is_active=True
        ).first()
        if user is None:
            raise UsageError(f"Pengguna {options['user']!r} tidak ditemukan di Pemda program ini.")
        start = _month(options["from_month"]) if options["from_month"] else None
        try:
            proposal = allocation_propose(
                actor=user,
                program=program,
                as_of=timezone.localdate(),
                start_month=start,
                dry_run=options["dry_run"],
            )
        except ServiceError as exc:
            raise UsageError(exc.message) from exc
        for warning in proposal.warnings:
            self.stderr.write(f"Peringatan: {warning}")
        if options["json"]:
            self.write_json(proposal.to_json())
            return
        recorded = (
            f"; usulan #{proposal.allocation.pk} menunggu persetujuan"
            if proposal.allocation is not None
            else " (tidak dicatat)"
        )
        self.stdout.write(
            f"Dialokasikan {proposal.allocated}, daftar tunggu {proposal.waiting}, "
            f"{proposal.months} bulan, biaya Rp {proposal.cost:,}".replace(",", ".")
            + recorded
        )
