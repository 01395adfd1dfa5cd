"""`lindung enrolment end`: end a participant's enrolment with a reason and a date."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from lindung.accounts.access import VERIFIERS
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.bpjs.cli import command_actor, iso_date
from lindung.enrollment.lifecycle import enrolment_end
from lindung.programs.cli import find_program
from lindung.workers.models import EndReason, Enrolment

REASONS = [r for r in EndReason.values if r not in (EndReason.LAPSED, EndReason.ON_REQUEST)]


class Command(LindungCommand):
    help = "Mengakhiri kepesertaan seorang peserta program."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, "what", "end")
        end = sub.add_parser("end", help="akhiri kepesertaan (alasan dan tanggal)")
        end.add_argument("--program", required=True, help="kode program")
        end.add_argument("--pemda", help="kode Pemda (bila kode program dipakai >1 Pemda)")
        end.add_argument("--nik", required=True, help="NIK peserta")
        end.add_argument("--reason", required=True, choices=REASONS, help="alasan berakhir")
        end.add_argument("--date", required=True, help="tanggal berakhir TTTT-BB-HH")
        end.add_argument("--user", required=True, help="nama pengguna (admin/verifikator)")
        end.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        date = iso_date(options["date"], option="--date")
        program = find_program(code=options["program"], pemda_code=options.get("pemda"))
        actor = command_actor(options["user"], program=program, roles=VERIFIERS, required=True)
        enrolment = (
            Enrolment.objects.select_related("program", "worker")
            .filter(program=program, worker__nik=options["nik"].strip())
            .first()
        )
        if enrolment is None:
            raise UsageError(f"NIK {options['nik']!r} bukan peserta program {program.code!r}.")
        try:
            ended = enrolment_end(
                actor=actor, enrolment=enrolment, reason=options["reason"], date=date
            )
        except ServiceError as exc:
            raise UsageError(exc.message) from exc
        payload = {
            "enrolment": ended.pk,
            "status": ended.status,
            "ended_on": ended.ended_on.isoformat() if ended.ended_on else None,
            "end_reason": ended.end_reason,
        }
        if options["json"]:
            self.write_json(payload)
        else:
            self.stdout.write(f"Kepesertaan #{ended.pk} berakhir {payload['ended_on']}.")
