"""The program a user works on by default (`program_current`): shared by the home pages and
the verification pages."""

from __future__ import annotations

from lindung.programs.models import ProgramStatus
from lindung.programs.selectors import program_current
from tests.factories import ProgramFactory


def test_the_newest_open_program_of_the_users_pemda_comes_first(admin, pemda, other_pemda):
    ProgramFactory(pemda=pemda, year=2024, status=ProgramStatus.OPEN)
    newest_open = ProgramFactory(pemda=pemda, year=2025, status=ProgramStatus.OPEN)
    ProgramFactory(pemda=pemda, year=2026, status=ProgramStatus.DRAFT)
    ProgramFactory(pemda=other_pemda, year=2027, status=ProgramStatus.OPEN)

    assert program_current(user=admin) == newest_open


def test_without_an_open_program_the_newest_of_any_status(admin, pemda):
    ProgramFactory(pemda=pemda, year=2024, status=ProgramStatus.CLOSED)
    draft = ProgramFactory(pemda=pemda, year=2026, status=ProgramStatus.DRAFT)

    assert program_current(user=admin) == draft


def test_a_pemda_without_programs_has_none(admin, other_pemda):
    ProgramFactory(pemda=other_pemda)

    assert program_current(user=admin) is None
