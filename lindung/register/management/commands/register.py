from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.accounts.models import Pemda
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.register.models import RegionCodeStyle, RegisterSource
from lindung.register.services import snapshot_load


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"--as-of harus berformat TTTT-BB-HH, tertulis {value!r}.") from exc


class Command(LindungCommand):
    help = "Memuat salinan data kesejahteraan (DTKS, DTSEN, P3KE)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, "what", "load")
        load = sub.add_parser("load", help="muat file register sebagai salinan bertanggal")
        load.add_argument("file", help="file CSV atau Excel")
        load.add_argument("--source", required=True, choices=RegisterSource.values)
        load.add_argument("--as-of", required=True, help="keadaan data per TTTT-BB-HH")
        load.add_argument("--pemda", help="kode Pemda (bawaan: satu-satunya Pemda)")
        load.add_argument(
            "--codes",
            default=RegionCodeStyle.NAMES,
            choices=RegionCodeStyle.values,
            help="wilayah ditulis sebagai nama (names), kode Kemendagri (35.04.15 atau 350415) "
            "atau kode BPS (3504150, dipetakan lewat nama kecamatan/desa)",
        )
        load.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["as_of"])
        pemda = self._pemda(options.get("pemda"))
        path = Path(options["file"])
        if not path.is_file():
            raise UsageError(f"File {str(path)!r} tidak ditemukan.")
        try:
            snapshot = snapshot_load(
                actor="cli",
                pemda=pemda,
                path=path,
                filename=path.name,
                source=options["source"],
                as_of=as_of,
                region_code_style=options["codes"],
            )
        except ServiceError as exc:
            raise UsageError(exc.message) from exc
        payload = {
            "snapshot": snapshot.pk,
            "rows": snapshot.rows,
            "rejected": snapshot.rejected,
            "source": snapshot.source,
            "as_of": snapshot.as_of.isoformat(),
            "pemda": pemda.code,
        }
        if options["json"]:
            self.write_json(payload)
        else:
            self.stdout.write(
                f"Salinan {snapshot.pk} dimuat: {snapshot.rows} baris, {snapshot.rejected} ditolak."
            )

    def _pemda(self, code: str | None) -> Pemda:
        if code:
            pemda = Pemda.objects.filter(code=code).first()
            if pemda is None:
                raise UsageError(f"Pemda dengan kode {code!r} tidak ditemukan.")
            return pemda
        pemdas = list(Pemda.objects.all()[:2])
        if len(pemdas) != 1:
            raise UsageError("Ada lebih dari satu Pemda (atau belum ada); isi --pemda.")
        return pemdas[0]
