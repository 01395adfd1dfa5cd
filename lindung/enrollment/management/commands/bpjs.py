"""`lindung bpjs export` and `lindung bpjs import-result`: the exchange with BPJS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.accounts.models import Role
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.bpjs.cli import command_actor
from lindung.enrollment.bpjs.export import bpjs_export_create
from lindung.enrollment.bpjs.results import bpjs_result_import
from lindung.programs.cli import find_program

ROLES = (Role.ADMIN, Role.VERIFIER, Role.BPJS_OFFICER)
FORMATS = {".xlsx": "xlsx", ".csv": "csv"}


class Command(LindungCommand):
    help = "Pertukaran data dengan BPJS Ketenagakerjaan: file pendaftaran dan file hasil."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, "what", "export|import-result")
        export = sub.add_parser("export", help="tulis file pendaftaran kolektif (xlsx atau csv)")
        export.add_argument("--program", required=True, help="kode program")
        export.add_argument("--out", required=True, help="file tujuan, .xlsx atau .csv")
        result = sub.add_parser("import-result", help="baca file hasil pendaftaran dari BPJS")
        result.add_argument("file", help="file hasil (xlsx, xls, ods, csv)")
        result.add_argument("--program", required=True, help="kode program")
        for each in (export, result):
            each.add_argument("--pemda", help="kode Pemda (bila kode program dipakai >1 Pemda)")
            each.add_argument("--user", help="nama pengguna yang bertindak (bawaan: sistem)")
            each.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        program = find_program(code=options["program"], pemda_code=options.get("pemda"))
        actor = command_actor(options.get("user"), program=program, roles=ROLES)
        try:
            if options["what"] == "export":
                payload = self._export(actor, program, Path(options["out"]))
            else:
                payload = self._import(actor, program, Path(options["file"]))
        except ServiceError as exc:
            raise UsageError(exc.message) from exc
        if options["json"]:
            self.write_json(payload)
        else:
            self.stdout.write(", ".join(f"{key}: {value}" for key, value in payload.items()))

    def _export(self, actor: Any, program: Any, out: Path) -> dict[str, Any]:
        file_format = FORMATS.get(out.suffix.lower())
        if file_format is None:
            raise UsageError("--out harus berakhiran .xlsx atau .csv.")
        if not out.parent.is_dir():
            raise UsageError(f"Folder {str(out.parent)!r} tidak ditemukan.")
        export, path = bpjs_export_create(actor=actor, program=program, file_format=file_format)
        out.write_bytes(path.read_bytes())
        return {"export": export.pk, "count": export.count, "format": file_format, "out": str(out)}

    def _import(self, actor: Any, program: Any, path: Path) -> dict[str, Any]:
        if not path.is_file():
            raise UsageError(f"File {str(path)!r} tidak ditemukan.")
        source = bpjs_result_import(actor=actor, program=program, path=path, filename=path.name)
        return {"import": source.pk, **source.counts}
