"""Base class for Lindung's management commands.

A wrong argument exits with status 2 and ONE line in Bahasa Indonesia, instead of argparse's
English usage dump. Scripts read our JSON on stdout; people read the one line on stderr.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

ARGPARSE_TRANSLATIONS = (
    ("the following arguments are required:", "argumen wajib belum diisi:"),
    ("unrecognized arguments:", "argumen tidak dikenal:"),
    ("invalid choice:", "pilihan tidak dikenal:"),
    ("(choose from", "(pilih dari"),
    ("expected one argument", "membutuhkan satu nilai"),
    ("invalid int value:", "bukan bilangan bulat:"),
    ("argument ", "argumen "),
)


def _indonesian(message: str) -> str:
    for english, indonesian in ARGPARSE_TRANSLATIONS:
        message = message.replace(english, indonesian)
    return message


class UsageError(Exception):
    """A user's wrong argument, reported in one line and exit status 2."""


class LindungParser(CommandParser):
    def error(self, message: str) -> NoReturn:
        if self.called_from_command_line:
            sys.stderr.write(f"Kesalahan: {_indonesian(message)}\n")
            sys.exit(2)
        super().error(message)


class LindungCommand(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds a plain CommandParser; ours only changes how errors are reported,
        # and subparsers inherit the class (CommandParser.add_subparsers uses type(self)).
        parser.__class__ = LindungParser
        return parser

    def add_subparsers(self, parser: CommandParser, dest: str, metavar: str) -> Any:
        # add_arguments runs before create_parser swaps the class, so name ours explicitly.
        return parser.add_subparsers(
            dest=dest, required=True, metavar=metavar, parser_class=LindungParser
        )

    def run_from_argv(self, argv: list[str]) -> None:
        try:
            super().run_from_argv(argv)
        except UsageError as exc:
            sys.stderr.write(f"Kesalahan: {exc}\n")
            sys.exit(2)

    def write_json(self, payload: Any) -> None:
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
