"""Fixtures for verification: an open program of Tulungagung, agency lists handed in through
intake, and the sample register loaded as a snapshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from lindung.intake.models import Submission
from lindung.register.models import RegisterSnapshot
from lindung.register.services import snapshot_load
from tests.factories import AgencyFactory
from tests.intake.conftest import import_bytes, import_path

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLES = DATA / "samples"
EXPECTED = DATA / "samples_expected"
REGISTER = DATA / "register" / "register.csv"
AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _inline_jobs(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def third_agency(pemda):
    return AgencyFactory(pemda=pemda, code="satpolpp", name="Satuan Polisi Pamong Praja")


@pytest.fixture
def register_snapshot(pemda) -> RegisterSnapshot:
    return snapshot_load(
        actor="cli", pemda=pemda, path=REGISTER, filename=REGISTER.name, source="dtks", as_of=AS_OF
    )


@pytest.fixture
def hand_in(operator, program) -> Callable[..., Submission]:
    """Import a file (bytes or a path) for an agency and hand it in."""

    def run(agency, data: bytes | Path, filename: str = "daftar.csv") -> Submission:
        if isinstance(data, Path):
            return import_path(
                actor=operator, program=program, agency=agency, path=data, draft=False
            )
        return import_bytes(
            actor=operator,
            program=program,
            agency=agency,
            data=data,
            filename=filename,
            draft=False,
        )

    return run
