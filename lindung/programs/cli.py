"""What the commands of every app share about programs: one lookup by code."""

from __future__ import annotations

from lindung.common.commands import UsageError
from lindung.programs.models import Program


def find_program(*, code: str, pemda_code: str | None) -> Program:
    """The program with ``code``, within the Pemda ``pemda_code`` when given; a code used by
    two Pemda sharing one installation needs the Pemda to be named."""
    programs = Program.objects.filter(code=code).select_related("pemda")
    if pemda_code:
        programs = programs.filter(pemda__code=pemda_code)
    found = list(programs[:2])
    if not found:
        raise UsageError(f"Program dengan kode {code!r} tidak ditemukan.")
    if len(found) > 1:
        raise UsageError(f"Kode program {code!r} dipakai lebih dari satu Pemda: isi --pemda.")
    return found[0]
