"""Point 10 of issue 15: two command-line imports of one file at the same moment make one
submission; the other run gets a clear message, never a traceback (PostgreSQL too). A module
of its own: the flush of a transactional test empties the region tree until module end."""

from __future__ import annotations

import io
import threading
import traceback

import pytest
from django.core.management import call_command
from django.db import connection

from lindung.common.commands import UsageError
from lindung.intake.models import Submission
from tests.enrollment.test_approval_concurrency import (  # noqa: F401 - fixtures
    _flushable,
    _restored_after_flush,
)
from tests.intake.conftest import good_csv

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.usefixtures("_restored_after_flush", "_flushable")
def test_two_simultaneous_command_line_imports_make_one_submission_and_one_clear_message(
    operator, program, agency, tmp_path
):
    path = tmp_path / "daftar.csv"
    path.write_bytes(good_csv())
    outputs: list[str] = []
    refusals: list[str] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(2)

    def run() -> None:
        out = io.StringIO()
        try:
            gate.wait()
            call_command(
                "intake", str(path), "--program", program.code, "--agency", agency.code,
                stdout=out,
            )  # fmt: skip
            outputs.append(out.getvalue())
        except UsageError as exc:
            refusals.append(str(exc))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [], "\n".join("".join(traceback.format_exception(e)) for e in errors)
    assert Submission.objects.count() == 1
    # The second run either saw the finished import or was told the first is running.
    assert len(outputs) + len(refusals) == 2
    assert all("sedang diimpor oleh proses lain" in r for r in refusals)
    assert any(o.startswith("usulan #") for o in outputs)
