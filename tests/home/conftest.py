"""Home pages count what a program holds: a plain program, without the default job list."""

from __future__ import annotations

import pytest

from tests.factories import ProgramFactory


@pytest.fixture
def program(pemda):
    return ProgramFactory(pemda=pemda, name="Pekerja Rentan 2025")
