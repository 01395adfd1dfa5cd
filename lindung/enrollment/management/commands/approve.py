"""`lindung approve`: the Kepala Dinas approves the program's pending proposals."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from lindung.accounts.models import Role, User
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.approval import allocation_approve
from lindung.enrollment.models import Allocation, AllocationStatus
from lindung.programs.cli import find_program


class Command(LindungCommand):
    help = (
        "Menyetujui usulan alokasi peserta program yang menunggu persetujuan (terlama dulu) "
        "atas nama Kepala Dinas."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="kode program")
        parser.add_argument("--user", required=True, help="nama pengguna Kepala Dinas")
        parser.add_argument("--pemda", help="kode Pemda, bila kode program dipakai lebih dari satu")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        program = find_program(code=options["program"], pemda_code=options.get("pemda"))
        user = User.objects.filter(
            username=options["user"], pemda_id=program.pemda_id, is_active=True
        ).first()
        if user is None:
            raise UsageError(f"Pengguna {options['user']!r} tidak ditemukan di Pemda program ini.")
        if user.role != Role.APPROVER:
            raise UsageError("Hanya Kepala Dinas yang dapat menyetujui usulan.")
        pending = list(
            Allocation.objects.filter(program=program, status=AllocationStatus.PROPOSED).order_by(
                "proposed_at", "pk"
            )
        )
        if not pending:
            raise UsageError("Tidak ada usulan yang menunggu persetujuan untuk program ini.")
        if all(a.proposed_by_id == user.pk for a in pending):
            raise UsageError(
                "Usulan tidak dapat diputuskan oleh pengusulnya sendiri (prinsip empat mata)."
            )
        approved = 0
        for allocation in pending:
            if allocation.proposed_by_id == user.pk:
                continue
            try:
                approved += allocation_approve(actor=user, allocation=allocation).approved
            except ServiceError as exc:
                done = f" ({approved} orang sudah disetujui sebelumnya.)" if approved else ""
                raise UsageError(f"Usulan #{allocation.pk}: {exc.message}{done}") from exc
        if options["json"]:
            self.write_json({"approved": approved})
        else:
            self.stdout.write(f"{approved} orang disetujui.")
