"""`lindung pay --program CODE --source SOURCE_CODE --sp2d NUMBER --date YYYY-MM-DD --amount RP
--months YYYY-MM[,YYYY-MM…] --user USERNAME [--proof FILE] [--note TEXT] [--corrects SP2D]
--json`: record a treasury payment (SP2D) by Keuangan, or a correction of one (a new entry,
the amount may be negative: `--amount=-16.800`). An SP2D number already recorded is refused
(exit 2)."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.billing.cli import find_user, parse_month
from lindung.billing.models import Payment
from lindung.billing.services import normalise_sp2d, payment_record
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.domain.money import parse_rupiah
from lindung.programs.cli import find_program
from lindung.programs.models import FundingSource, Program


def _source(program: Program, code: str) -> FundingSource:
    for source in FundingSource.objects.filter(program=program):
        if (source.code or str(source.pk)) == code.strip():
            return source
    raise UsageError(f"Sumber dana dengan kode {code!r} tidak ada di program {program.code}.")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise UsageError(f"--date harus berformat TTTT-BB-HH, tertulis {value!r}.") from exc


def _amount(value: str) -> int:
    text = value.strip()
    try:
        amount = parse_rupiah(text.removeprefix("-"))
    except ValueError as exc:
        raise UsageError(f"--amount bukan jumlah rupiah: {value!r}.") from exc
    return -amount if text.startswith("-") else amount


def _corrected(program: Program, number: str | None) -> Payment | None:
    if not number:
        return None
    payment = Payment.objects.filter(program=program, sp2d_number=normalise_sp2d(number)).first()
    if payment is None:
        raise UsageError(f"Pembayaran dengan SP2D {number!r} tidak ada di program ini.")
    return payment


class Command(LindungCommand):
    help = "Mencatat pembayaran iuran (SP2D) oleh Keuangan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="kode program")
        parser.add_argument("--pemda", help="kode Pemda bila kode program dipakai lebih dari satu")
        parser.add_argument("--source", required=True, help="kode sumber dana")
        parser.add_argument("--sp2d", required=True, help="nomor SP2D")
        parser.add_argument("--date", required=True, help="tanggal SP2D TTTT-BB-HH")
        parser.add_argument("--amount", required=True, help="jumlah (Rp)")
        parser.add_argument("--months", required=True, help="bulan dibayar TTTT-BB[,TTTT-BB…]")
        parser.add_argument("--user", required=True, help="nama pengguna Keuangan")
        parser.add_argument("--proof", help="file bukti (PDF, JPG, PNG)")
        parser.add_argument("--note", default="", help="catatan")
        parser.add_argument("--corrects", help="nomor SP2D yang dikoreksi (jumlah boleh negatif)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        program = find_program(code=options["program"], pemda_code=options["pemda"])
        source = _source(program, options["source"])
        user = find_user(options["user"], program)
        months = [parse_month(m, "--months") for m in options["months"].split(",") if m.strip()]
        proof_path = Path(options["proof"]) if options["proof"] else None
        if proof_path is not None and not proof_path.is_file():
            raise UsageError(f"File bukti {options['proof']!r} tidak ditemukan.")
        opened = proof_path.open("rb") if proof_path is not None else nullcontext(None)
        try:
            with opened as proof:
                payment = payment_record(
                    actor=user,
                    program=program,
                    funding_source=source,
                    sp2d_number=options["sp2d"],
                    paid_on=_date(options["date"]),
                    amount=_amount(options["amount"]),
                    months=months,
                    proof=proof,
                    note=options["note"],
                    corrects=_corrected(program, options["corrects"]),
                )
        except ServiceError as exc:
            raise UsageError(exc.message) from exc
        if options["json"]:
            self.write_json({"payment": payment.pk, "months": payment.months})
            return
        self.stdout.write(f"SP2D {payment.sp2d_number} dicatat (#{payment.pk}).")
