"""Hostile files (security goal S8) sent through the upload page: each is refused with an
Indonesian message on the form and leaves nothing behind — no stored file, no submission, no
row, no temporary file — only the audit event saying it was refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.common.tabular import FileRejected, inspect_file, read_workbook
from lindung.intake import services
from lindung.intake.models import ImportJob, Submission, SubmissionRow, UploadedFile
from tests.conftest import client_for
from tests.intake.conftest import good_csv
from tests.intake.hostile import HOSTILE


def refusal(path: Path) -> str:
    """The message the file checks give for ``path``."""
    try:
        read_workbook(path, kind=inspect_file(path, filename=path.name))
    except FileRejected as exc:
        return exc.message
    raise AssertionError(f"{path.name} was not refused")


def assert_nothing_kept(upload_dir: Path) -> None:
    assert UploadedFile.objects.count() == 0
    assert ImportJob.objects.count() == 0
    assert Submission.objects.count() == 0
    assert SubmissionRow.objects.count() == 0
    assert [path for path in upload_dir.rglob("*") if path.is_file()] == []


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_on_the_upload_page_and_nothing_is_kept(
    name, operator, program, tmp_path, upload_dir, django_capture_on_commit_callbacks
):
    path = HOSTILE[name].build(tmp_path)
    message = refusal(path)

    with path.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        response = client_for(operator).post(
            reverse("intake:upload"),
            {"program": program.pk, "file": SimpleUploadedFile(path.name, handle.read())},
        )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert message in response.content.decode()
    assert_nothing_kept(upload_dir)
    refused = AuditEvent.objects.get(action="upload.refused")
    assert refused.changes["file"] == path.name
    assert refused.actor == operator


def test_a_file_over_the_size_limit_is_refused_while_it_streams_in(
    operator, program, agency, settings, upload_dir
):
    settings.INTAKE_MAX_BYTES = 100

    with pytest.raises(ServiceError, match="File lebih besar dari"):
        services.upload_receive(
            actor=operator,
            program=program,
            agency=agency,
            stream=[good_csv()[:80], good_csv()[80:]],
            filename="besar.csv",
        )

    assert_nothing_kept(upload_dir)
    assert AuditEvent.objects.get(action="upload.refused").changes["code"] == "too_large"


def test_a_refused_file_sent_straight_to_the_service_leaves_only_its_audit_event(
    operator, program, agency, tmp_path, upload_dir
):
    path = HOSTILE["executable renamed xlsx"].build(tmp_path)

    with pytest.raises(ServiceError, match="program atau skrip"):
        services.upload_receive(
            actor=operator,
            program=program,
            agency=agency,
            stream=[path.read_bytes()],
            filename=path.name,
        )

    assert_nothing_kept(upload_dir)
    event = AuditEvent.objects.get(action="upload.refused")
    assert (event.changes["code"], event.pemda) == ("executable", program.pemda)


def test_a_letter_renamed_xlsx_is_told_on_the_upload_page_it_is_not_a_spreadsheet(
    operator, program, upload_dir
):
    letter = "Kepada Yth. Kepala Disnaker,\nBersama ini, kami kirimkan daftar nelayan.\n"

    response = client_for(operator).post(
        reverse("intake:upload"),
        {"program": program.pk, "file": SimpleUploadedFile("daftar.xlsx", letter.encode())},
    )

    assert response.status_code == 200
    (message,) = response.context["form"].errors["file"]
    assert message.startswith("Berkas ini bukan lembar kerja Excel/ODS/CSV")
    assert "judul kolom" not in message
    assert_nothing_kept(upload_dir)
    assert AuditEvent.objects.get(action="upload.refused").changes["code"] == "unsupported"
