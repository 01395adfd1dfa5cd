"""The feedback file of a large list is written by a background job with a progress page
(issue 8): the job runs, the file is kept under a server-generated name, served only to the
user who asked for it, and every step is audited. Small lists still download at once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lindung.audit.models import AuditEvent
from lindung.common.jobs import JobStatus
from lindung.intake import exports, ports
from lindung.intake.exports import RowVerification, SubmissionVerification, feedback_workbook
from lindung.intake.models import FeedbackExport
from tests.conftest import client_for
from tests.intake.conftest import good_csv

MISMATCH_ROW = ["3504096804870007", "Sumarni", "12-08-1975", "P", "Nelayan"]


@pytest.fixture
def large(settings, imported):
    """A list of five rows, over a threshold of three rows for the test."""
    settings.INTAKE_FEEDBACK_SYNC_ROWS = 3
    return imported(good_csv(MISMATCH_ROW))


def workbook_rows(data: bytes) -> list[list[object]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def make_export(client, submission, capture) -> FeedbackExport:
    with capture(execute=True):
        response = client.post(reverse("intake:feedback", args=[submission.pk]))
    export = FeedbackExport.objects.get(submission=submission)
    assert response.url == reverse("intake:feedback_export", args=[export.pk])
    return export


def test_a_small_list_downloads_its_feedback_file_at_once(imported):
    submission = imported(good_csv(MISMATCH_ROW))

    response = client_for(submission.created_by).get(
        reverse("intake:feedback", args=[submission.pk])
    )

    assert response["Content-Disposition"].startswith("attachment")
    assert len(workbook_rows(b"".join(response.streaming_content))) == 6
    assert FeedbackExport.objects.count() == 0


def test_a_large_list_offers_a_background_job_instead_of_blank_waiting(large, operator):
    response = client_for(operator).get(reverse("intake:feedback", args=[large.pk]))

    assert response.status_code == 200
    assert "Content-Disposition" not in response
    page = response.content.decode()
    assert "dibuat di latar belakang" in page
    assert "Buat file umpan balik" in page
    assert FeedbackExport.objects.count() == 0


def test_the_feedback_job_runs_and_its_file_is_downloadable_and_audited(
    large, operator, upload_dir, django_capture_on_commit_callbacks
):
    client = client_for(operator)

    export = make_export(client, large, django_capture_on_commit_callbacks)

    export.refresh_from_db()
    assert (export.status, export.progress, export.rows) == (JobStatus.DONE, 100, 5)
    stored = upload_dir / "umpan-balik" / export.stored_name
    assert stored.is_file()
    assert len(Path(export.stored_name).stem) == 32
    page = client.get(reverse("intake:feedback_export", args=[export.pk])).content.decode()
    assert "File umpan balik siap: 5 baris" in page
    download = client.get(reverse("intake:feedback_export_file", args=[export.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert "umpan-balik-usulan-" in download["Content-Disposition"]
    rows = workbook_rows(b"".join(download.streaming_content))
    assert rows[0][:4] == ["Lembar", "Baris", "Status", "Alasan"]
    assert [r[1] for r in rows[1:]] == [2, 3, 4, 5, 6]
    actions = list(
        AuditEvent.objects.filter(action__startswith="submission.feedback")
        .order_by("pk")
        .values_list("action", "actor_id")
    )
    assert actions == [
        ("submission.feedback_export_queued", operator.pk),
        ("submission.feedback_exported", operator.pk),
        ("submission.feedback_downloaded", operator.pk),
    ]


def test_the_progress_page_polls_while_the_job_waits(large, operator):
    client = client_for(operator)
    response = client.post(reverse("intake:feedback", args=[large.pk]))  # not run: queued
    export = FeedbackExport.objects.get()
    assert response.url == reverse("intake:feedback_export", args=[export.pk])

    partial = client.get(
        reverse("intake:feedback_export", args=[export.pk]), headers={"HX-Request": "true"}
    ).content.decode()

    assert partial.lstrip().startswith('<div id="progress"')
    assert "hx-trigger" in partial
    assert "Menunggu giliran" in partial
    refused = client.get(reverse("intake:feedback_export_file", args=[export.pk]))
    assert refused.url == reverse("intake:feedback", args=[large.pk])


def test_a_feedback_file_is_served_only_to_the_user_who_asked_for_it(
    large, operator, other_operator, verifier, foreign_admin, django_capture_on_commit_callbacks
):
    export = make_export(client_for(operator), large, django_capture_on_commit_callbacks)

    for user in (other_operator, verifier, foreign_admin):
        client = client_for(user)
        for name in ("intake:feedback_export", "intake:feedback_export_file"):
            assert client.get(reverse(name, args=[export.pk])).status_code == 404, (user, name)
    assert not AuditEvent.objects.filter(action="submission.feedback_downloaded").exists()


def test_the_background_file_carries_the_verification_notes_the_user_may_see(
    large, verifier, monkeypatch, django_capture_on_commit_callbacks
):
    seen = []

    def verification(user, submission, row_ids):
        seen.append((user, submission.pk, row_ids))
        row = submission.rows.get(row_number=6)
        return SubmissionVerification(
            label="Verifikasi #7",
            counts={"ineligible": 1},
            rows={
                row.pk: RowVerification(
                    verdict="ineligible",
                    verdict_label="Tidak memenuhi syarat",
                    findings=("Tercatat meninggal dunia (DTKS).",),
                    register_match="",
                )
            },
        )

    monkeypatch.setitem(ports.providers, "verification", verification)
    client = client_for(verifier)

    export = make_export(client, large, django_capture_on_commit_callbacks)

    assert seen == [(verifier, large.pk, None)]
    data = b"".join(
        client.get(reverse("intake:feedback_export_file", args=[export.pk])).streaming_content
    )
    rows = workbook_rows(data)
    assert rows[0][4] == "Hasil verifikasi"
    assert rows[-1][4:6] == ["Tidak memenuhi syarat", "Tercatat meninggal dunia (DTKS)."]
    exported = AuditEvent.objects.get(action="submission.feedback_exported")
    assert exported.changes["verification"] == "Verifikasi #7"


def test_the_feedback_file_reports_its_progress_as_it_writes_rows(imported, monkeypatch):
    submission = imported(good_csv(MISMATCH_ROW))
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    reported: list[int] = []

    feedback_workbook(submission, submission.rows.all(), io.BytesIO(), on_progress=reported.append)

    assert reported == [2, 4]
