from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils import timezone

from lindung.common.commands import LindungCommand, UsageError
from lindung.demo.services import DEMO_PASSWORD, demo_create


class Command(LindungCommand):
    help = "Membuat Pemda demo (Kabupaten Tulungagung) dengan program, instansi dan pengguna."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="tanpa daftar login")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # Demo users share one published password: never on an instance with real data.
            raise UsageError(
                "data demo tidak boleh dibuat pada instalasi produksi (LINDUNG_ENV=production)."
            )
        try:
            result = demo_create(as_of=timezone.localdate())
        except LookupError as exc:
            raise UsageError(str(exc)) from exc
        if result.created:
            self.stdout.write(
                f"Pemda demo dibuat: {result.pemda.name}, {result.worker_count} pekerja sintetis."
            )
            if result.run is not None:
                counts = result.run.tally
                self.stdout.write(
                    f"Verifikasi demo: {counts.rows} baris usulan dari 5 daftar; "
                    f"{counts.review_match} calon padanan DTKS dan "
                    f"{counts.review_duplicate} baris data ganda menunggu verifikator."
                )
        else:
            self.stdout.write(f"Pemda demo sudah ada: {result.pemda.name} (data tidak diubah).")
        if options["quiet"]:
            return
        self.stdout.write("")
        self.stdout.write("Login demo (kata sandi sama untuk semua, kecuali sudah diganti):")
        self.stdout.write(f"  Kata sandi: {DEMO_PASSWORD}")
        width = max(len(login.username) for login in result.logins)
        for login in result.logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {login.role} — {login.scope}")
