"""`lindung participants <subcommand>`: a small dispatcher, one function pair per
subcommand (its arguments, its handler). `import` reads BPJS's roster of existing
participants; `export --program CODE --out FILE.csv` writes every participant of a program
(and its waiting list) with the columns
nik,name,kpj,status,started_on,ended_on,end_reason,agency,village_code,funding_source.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.accounts.models import Role
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.bpjs.cli import command_actor
from lindung.enrollment.bpjs.roster import participants_roster_import
from lindung.enrollment.services.participants import participants_export
from lindung.programs.cli import find_program

IMPORT_ROLES = (Role.ADMIN, Role.VERIFIER, Role.BPJS_OFFICER)


def import_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="daftar peserta dari BPJS (xlsx, xls, ods, csv)")
    parser.add_argument("--program", required=True, help="kode program")
    parser.add_argument("--pemda", help="kode Pemda (bila kode program dipakai >1 Pemda)")
    parser.add_argument("--user", help="nama pengguna yang bertindak (bawaan: sistem)")
    parser.add_argument("--json", action="store_true")


def import_handle(command: LindungCommand, options: dict[str, Any]) -> None:
    path = Path(options["file"])
    if not path.is_file():
        raise UsageError(f"File {str(path)!r} tidak ditemukan.")
    program = find_program(code=options["program"], pemda_code=options.get("pemda"))
    actor = command_actor(options.get("user"), program=program, roles=IMPORT_ROLES)
    try:
        source = participants_roster_import(
            actor=actor, program=program, path=path, filename=path.name
        )
    except ServiceError as exc:
        raise UsageError(exc.message) from exc
    counts = source.counts
    payload = {
        "imported": counts["imported"],
        "matched_to_submissions": counts["matched_to_submissions"],
        "problems": counts["problem"],
        "unchanged": counts["unchanged"],
        "ignored": counts["ignored"],
        "import": source.pk,
    }
    if options["json"]:
        command.write_json(payload)
    else:
        command.stdout.write(
            f"{payload['imported']} peserta diimpor, {payload['matched_to_submissions']} juga "
            f"ada di usulan, {payload['problems']} baris bermasalah."
        )


def export_arguments(parser: CommandParser) -> None:
    parser.add_argument("--program", required=True, help="kode program")
    parser.add_argument("--pemda", help="kode Pemda (bila kode program dipakai dua Pemda)")
    parser.add_argument("--out", required=True, help="file CSV yang ditulis")
    parser.add_argument("--json", action="store_true")


def export_handle(command: LindungCommand, options: dict[str, Any]) -> None:
    program = find_program(code=options["program"], pemda_code=options.get("pemda"))
    out = Path(options["out"])
    if out.suffix.lower() != ".csv":
        raise UsageError("File keluaran harus berakhiran .csv.")
    if not out.parent.is_dir():
        raise UsageError(f"Folder {str(out.parent)!r} tidak ada.")
    counts = participants_export(actor="cli", program=program, out=out)
    result = {"rows": sum(counts.values()), "by_status": counts, "file": str(out)}
    if options["json"]:
        command.write_json(result)
        return
    command.stdout.write(f"{result['rows']} baris ditulis ke {out}.")


# name → (help, arguments, handler).
SUBCOMMANDS: dict[
    str,
    tuple[str, Callable[[CommandParser], None], Callable[[LindungCommand, dict[str, Any]], None]],
] = {
    "import": ("impor daftar peserta BPJS yang sudah ada", import_arguments, import_handle),
    "export": ("ekspor peserta ke CSV", export_arguments, export_handle),
}


class Command(LindungCommand):
    help = "Peserta program: impor daftar peserta BPJS yang sudah ada, ekspor ke CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, "what", "|".join(SUBCOMMANDS))
        for name, (text, arguments, _handler) in SUBCOMMANDS.items():
            arguments(sub.add_parser(name, help=text))

    def handle(self, *args: Any, **options: Any) -> None:
        SUBCOMMANDS[options["what"]][2](self, options)
