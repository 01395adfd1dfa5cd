"""`lindung claims entitlement|report`: a participant's cover and entitlement on an incident
day from the real enrolment and payments, and reporting a claim (the same services as the
pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import CommandParser

from lindung.accounts.access import CLAIM_HANDLERS
from lindung.claims.cover import entitlement_for
from lindung.claims.models import ClaimKind, Reporter
from lindung.claims.services import Incident, claim_report
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.domain.cover import ClaimType
from lindung.domain.rulebook import RuleError, RuleNotFound, format_rupiah
from lindung.enrollment.bpjs.cli import command_actor, iso_date
from lindung.programs.cli import find_program
from lindung.programs.models import Program
from lindung.workers.models import Enrolment


def _decimal(value: str | None, option: str) -> Decimal | None:
    if value is None:
        return None
    try:
        result = Decimal(value)
    except InvalidOperation as exc:
        raise UsageError(f"{option} harus angka, tertulis {value!r}.") from exc
    if not result.is_finite() or result < 0:
        raise UsageError(f"{option} harus angka tidak negatif.")
    return result


def _enrolment(program: Program, nik: str) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_related("program", "worker", "pemda")
        .filter(program=program, worker__nik=nik.strip())
        .first()
    )
    if enrolment is None:
        raise UsageError(f"NIK {nik!r} bukan peserta program {program.code!r}.")
    return enrolment


def _common(parser: CommandParser) -> None:
    parser.add_argument("--program", required=True, help="kode program")
    parser.add_argument("--pemda", help="kode Pemda (bila kode program dipakai >1 Pemda)")
    parser.add_argument("--nik", required=True, help="NIK peserta")
    parser.add_argument("--type", required=True, choices=ClaimKind.values, help="jenis klaim")
    parser.add_argument("--date", required=True, help="tanggal kejadian TTTT-BB-HH")
    parser.add_argument("--months-off-work", help="lama tidak mampu bekerja (bulan, STMB)")
    parser.add_argument("--percent", help="persentase cacat menurut tabel (cacat sebagian)")
    parser.add_argument("--children", type=int, default=0, help="jumlah anak (beasiswa)")
    parser.add_argument("--json", action="store_true")


class Command(LindungCommand):
    help = "Hak manfaat JKK/JKM peserta pada tanggal kejadian, dan pelaporan klaim."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, "what", "entitlement|report")
        _common(sub.add_parser("entitlement", help="hitung hak manfaat dari catatan"))
        report = sub.add_parser("report", help="catat laporan klaim")
        _common(report)
        report.add_argument("--user", required=True, help="nama pengguna (admin/verifikator)")
        report.add_argument("--place", default="-", help="tempat kejadian")
        report.add_argument("--reporter", default="", help="nama pelapor")
        report.add_argument(
            "--reported-by", default=Reporter.FAMILY, choices=Reporter.values, help="pelapor"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = iso_date(options["date"], option="--date")
        program = find_program(code=options["program"], pemda_code=options.get("pemda"))
        enrolment = _enrolment(program, options["nik"])
        months = _decimal(options.get("months_off_work"), "--months-off-work")
        percent = _decimal(options.get("percent"), "--percent")
        if options["children"] < 0:
            raise UsageError("--children harus bilangan bulat tidak negatif.")
        if options["what"] == "entitlement":
            self._entitlement(enrolment, options, day, months, percent)
        else:
            self._report(program, enrolment, options, day, months, percent)

    def _entitlement(
        self,
        enrolment: Enrolment,
        options: dict[str, Any],
        day: dt.date,
        months: Decimal | None,
        percent: Decimal | None,
    ) -> None:
        try:
            cover, result = entitlement_for(
                enrolment=enrolment, kind=ClaimType(options["type"]), incident_on=day,
                months_off_work=months, percent=percent, children=options["children"],
            )  # fmt: skip
        except (RuleError, RuleNotFound) as exc:
            raise UsageError(str(exc)) from exc
        payload = {
            "entitled": result.entitled,
            "total": result.total,
            "paid_months": len(cover.paid_months),
            "parts": result.parts,
            "reasons": list(result.reasons),
            "legal_basis": result.legal_basis,
            "cover": cover.to_dict(),
            "scholarship": result.scholarship,
        }
        if options["json"]:
            self.write_json(payload)
        else:
            word = "berhak" if result.entitled else "tidak berhak"
            self.stdout.write(
                f"{enrolment.worker.name}: {word}, Rp {result.total:,}".replace(",", ".")
            )

    def _report(
        self,
        program: Program,
        enrolment: Enrolment,
        options: dict[str, Any],
        day: dt.date,
        months: Decimal | None,
        percent: Decimal | None,
    ) -> None:
        actor = command_actor(options["user"], program=program, roles=CLAIM_HANDLERS, required=True)
        incident = Incident(
            kind=options["type"],
            incident_on=day,
            place=options["place"],
            reported_by=options["reported_by"],
            reporter_name=options["reporter"] or str(actor),
            months_off_work=months,
            percent=percent,
            children=options["children"],
        )
        try:
            claim = claim_report(actor=actor, enrolment=enrolment, incident=incident)
        except ServiceError as exc:
            raise UsageError(exc.message) from exc
        if options["json"]:
            self.write_json({"claim": claim.pk, "total": claim.total})
        else:
            self.stdout.write(f"Klaim #{claim.pk} dicatat: {format_rupiah(claim.total)}")
