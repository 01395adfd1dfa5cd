"""Point 10 of issue 15: four simultaneous uploads of one file give one import and three
"sudah pernah diunggah" answers, never an error (run on PostgreSQL too, where they really
run at once)."""

from __future__ import annotations

import io
import threading

import pytest
from django.db import connection

from lindung.intake.models import ImportJob, UploadedFile
from lindung.intake.services import upload_start
from tests.enrollment.test_approval_concurrency import (  # noqa: F401 - fixtures
    _flushable,
    _restored_after_flush,
)
from tests.intake.conftest import good_csv

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.usefixtures("_restored_after_flush", "_flushable")
def test_four_simultaneous_uploads_of_one_file_make_one_import_and_three_repeats(
    operator, program, agency
):
    data = good_csv()
    outcomes = []
    errors: list[BaseException] = []
    gate = threading.Barrier(4)

    def upload() -> None:
        try:
            gate.wait()
            outcomes.append(
                upload_start(
                    actor=operator,
                    program=program,
                    agency=agency,
                    stream=io.BytesIO(data),
                    filename="daftar.csv",
                )
            )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(o.again for o in outcomes) == [False, True, True, True]
    assert UploadedFile.objects.count() == 1
    assert ImportJob.objects.count() == 1
    assert len({o.uploaded.pk for o in outcomes}) == 1
