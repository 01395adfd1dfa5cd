"""Fixtures for the intake tests: an open program of Tulungagung with the default job list,
jobs run at once, uploads kept in a temporary folder."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from lindung.intake import services
from lindung.intake.models import Submission

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
EXPECTED = Path(__file__).resolve().parents[1] / "data" / "samples_expected"

# A header and four people of Tulungagung whose NIK, birth date and sex agree.
GOOD_CSV_HEADER = ["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Pekerjaan"]
GOOD_CSV_ROWS = [
    ["3504096804874842", "Suwarni", "28-04-1987", "P", "Nelayan"],
    ["3504095806010862", "Siti Aminah", "18-06-2001", "P", "Nelayan"],
    ["3504074710880241", "Lestari", "07-10-1988", "P", "Nelayan"],
    ["3504034601761119", "Sri Wahyuni", "06-01-1976", "P", "Nelayan"],
]


@pytest.fixture(autouse=True)
def _intake_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def upload_dir(settings) -> Path:
    return Path(settings.UPLOAD_DIR)


def csv_bytes(rows: Sequence[Sequence[object]], *, delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def good_csv(*extra_rows: Sequence[object]) -> bytes:
    return csv_bytes([GOOD_CSV_HEADER, *GOOD_CSV_ROWS, *extra_rows])


def receive(*, actor, program, agency, data: bytes, filename: str):
    return services.upload_receive(
        actor=actor, program=program, agency=agency, stream=[data], filename=filename
    )


def import_bytes(
    *, actor, program, agency, data: bytes, filename: str = "daftar.csv", draft: bool = True
) -> Submission:
    """Receive, analyse and import a file the way the upload page does, job run inline."""
    uploaded, _created = receive(
        actor=actor, program=program, agency=agency, data=data, filename=filename
    )
    job = services.job_create(
        actor=actor,
        uploaded=uploaded,
        layouts=services.file_analyse(uploaded),
        draft=draft,
        enqueue=False,
    )
    job = services.job_run(job_id=job.pk)
    assert job.submission is not None, job.message
    return Submission.objects.get(pk=job.submission_id)


def import_path(*, actor, program, agency, path: Path, draft: bool = True) -> Submission:
    return import_bytes(
        actor=actor,
        program=program,
        agency=agency,
        data=path.read_bytes(),
        filename=path.name,
        draft=draft,
    )


@pytest.fixture
def imported(operator, program, agency) -> Callable[..., Submission]:
    """Import a CSV as Bob of Dinas Perikanan."""

    def run(data: bytes | None = None, **kwargs: object) -> Submission:
        return import_bytes(
            actor=operator,
            program=program,
            agency=agency,
            data=good_csv() if data is None else data,
            **kwargs,
        )

    return run
