"""`lindung workforce load FILE --year YYYY --source TEXT [--pemda CODE] [--user NAME]
--json`: a statistics office's table of the working population per district or village as
the coverage denominator of that year (replacing the year's figures)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.accounts.models import Actor, Pemda, User
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.bpjs.cli import SYSTEM_ACTOR
from lindung.monitoring.workforce import (
    WORKFORCE_LOADERS,
    coverage_target_set,
    workforce_load,
)


def find_pemda(code: str | None) -> Pemda:
    """The Pemda named by --pemda, or the only one of the installation."""
    if code:
        pemda = Pemda.objects.filter(code=code).first()
        if pemda is None:
            raise UsageError(f"Pemda dengan kode {code!r} tidak ditemukan.")
        return pemda
    found = list(Pemda.objects.all()[:2])
    if len(found) != 1:
        raise UsageError("Isi --pemda dengan kode Pemda.")
    return found[0]


def _actor(username: str | None, pemda: Pemda) -> Actor:
    if not username:
        return SYSTEM_ACTOR
    user = User.objects.filter(username=username, pemda=pemda, is_active=True).first()
    if user is None or not user.has_role(*WORKFORCE_LOADERS):
        raise UsageError(f"Pengguna {username!r} tidak ada atau tidak berwenang memuat data.")
    return user


class Command(LindungCommand):
    help = "Memuat jumlah penduduk bekerja per kecamatan/desa (BPS, Sakernas, Dukcapil)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, "what", "load|target")
        load = sub.add_parser("load", help="muat tabel jumlah pekerja satu tahun")
        load.add_argument("file", help="file xlsx/xls/ods/csv")
        load.add_argument("--year", type=int, required=True, help="tahun data")
        load.add_argument("--source", required=True, help="sumber data, mis. BPS 2025")
        load.add_argument("--pemda", help="kode Pemda (bila lebih dari satu)")
        load.add_argument("--user", help="nama pengguna (admin/pimpinan) yang memuat")
        load.add_argument("--json", action="store_true")
        target = sub.add_parser("target", help="target cakupan Pemda dan cakupan provinsi")
        target.add_argument("--year", type=int, required=True, help="tahun")
        target.add_argument("--target", help="target cakupan Pemda (persen, mis. 45)")
        target.add_argument("--province", help="cakupan provinsi (persen, mis. 33,4)")
        target.add_argument("--note", default="", help="sumber angka (RPJMD, BPJS Kanwil)")
        target.add_argument("--pemda", help="kode Pemda (bila lebih dari satu)")
        target.add_argument("--user", help="nama pengguna (admin/pimpinan)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "target":
            self._target(options)
            return
        path = Path(options["file"])
        if not path.is_file():
            raise UsageError(f"File {str(path)!r} tidak ditemukan.")
        pemda = find_pemda(options.get("pemda"))
        try:
            result = workforce_load(
                actor=_actor(options.get("user"), pemda),
                pemda=pemda,
                path=path,
                filename=path.name,
                year=options["year"],
                source=options["source"],
            )
        except ServiceError as exc:
            raise UsageError(exc.message) from exc
        payload = {
            "rows": result.rows,
            "districts": result.districts,
            "villages": result.villages,
            "replaced": result.replaced,
            "ignored": result.ignored,
            "problems": [
                {"row": p.line, "text": p.text, "message": p.message} for p in result.problems
            ],
        }
        if options["json"]:
            self.write_json(payload)
            return
        self.stdout.write(
            f"{result.rows} wilayah dimuat ({result.districts} kecamatan, "
            f"{result.villages} desa/kelurahan) untuk tahun {result.year}."
        )
        for problem in result.problems:
            self.stdout.write(f"  baris {problem.line}: {problem.message}")

    def _target(self, options: dict[str, Any]) -> None:
        pemda = find_pemda(options.get("pemda"))
        try:
            target = coverage_target_set(
                actor=_actor(options.get("user"), pemda),
                pemda=pemda,
                year=options["year"],
                target_rate=_percent(options.get("target"), "--target"),
                province_rate=_percent(options.get("province"), "--province"),
                note=options["note"],
            )
        except ServiceError as exc:
            raise UsageError(exc.message) from exc
        self.stdout.write(
            f"Tahun {target.year}: target {target.target_rate} %, "
            f"provinsi {target.province_rate} %."
        )


def _percent(value: str | None, option: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value.replace(",", ".").rstrip("% "))
    except InvalidOperation as exc:
        raise UsageError(f"{option} harus angka persen, tertulis {value!r}.") from exc
