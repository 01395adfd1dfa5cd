from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from lindung.common.commands import LindungCommand, UsageError
from lindung.domain.nik import parse_nik


def parse_date_arg(value: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"{label} harus berformat TTTT-BB-HH, tertulis {value!r}.") from exc


class Command(LindungCommand):
    help = "Memeriksa satu NIK: struktur, wilayah, tanggal lahir dan jenis kelamin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("nik", help="NIK yang diperiksa (16 digit)")
        parser.add_argument("--json", action="store_true", help="keluaran JSON")
        parser.add_argument("--as-of", help="tanggal acuan TTTT-BB-HH (bawaan: hari ini)")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = (
            parse_date_arg(options["as_of"], "--as-of")
            if options["as_of"]
            else timezone.localdate()
        )
        result = parse_nik(options["nik"], as_of=as_of)
        if options["json"]:
            self.write_json(result.to_dict())
            return
        if result.valid:
            self.stdout.write(
                f"NIK {result.nik} sah: wilayah {result.district}, lahir "
                f"{result.birth_date:%d-%m-%Y}, jenis kelamin {result.sex}."
            )
        else:
            self.stdout.write(f"NIK tidak sah: {options['nik']}")
        for issue in result.errors:
            self.stdout.write(f"  Kesalahan: {issue.message}")
        for issue in result.warnings:
            self.stdout.write(f"  Peringatan: {issue.message}")
