"""A program of Alice's Pemda as the demo runs it (37.500 people, JKK + JKM at
Rp 1.000.000, January–December 2025)."""

from __future__ import annotations

import pytest

from tests.factories import ProgramFactory


@pytest.fixture
def program(pemda):
    return ProgramFactory(pemda=pemda, code="pekerja-rentan-2025", name="Pekerja Rentan 2025")
