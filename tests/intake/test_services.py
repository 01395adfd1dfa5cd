"""Intake services: receiving a file once, importing it all or nothing, correcting rows with
their history, replacing rejected rows by a corrected feedback file, handing a list in, and
walk-in entries — each leaving its audit event."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ConflictError, ServiceError
from lindung.common.jobs import JobStatus
from lindung.intake import selectors, services
from lindung.intake.exports import feedback_workbook
from lindung.intake.models import (
    ImportJob,
    RowOutcome,
    RowRevision,
    Submission,
    SubmissionRow,
    SubmissionSource,
    SubmissionStatus,
    UploadedFile,
)
from tests.conftest import client_for
from tests.intake.conftest import csv_bytes, good_csv, receive

# This NIK says born 28-04-1987, female; the row claims 12-08-1975.
MISMATCH_ROW = ["3504096804870007", "Sumarni", "12-08-1975", "P", "Nelayan"]
# A NIK that agrees with 12-08-1975, female, Kec. Ngunut (35.04.09): day 12 + 40 = 52.
FIXED_NIK = "3504095208750001"


def audit_actions() -> list[str]:
    """The intake's audit trail (the fixtures' region and job-list loads left out)."""
    events = AuditEvent.objects.exclude(action__startswith="region.").exclude(
        action__startswith="occupation."
    )
    return list(events.order_by("pk").values_list("action", flat=True))


def rows_of(submission: Submission) -> dict[int, SubmissionRow]:
    return {row.row_number: row for row in submission.rows.all()}


def stored_files(upload_dir: Path) -> list[Path]:
    return [path for path in upload_dir.rglob("*") if path.is_file()]


def correction(row: SubmissionRow, **changes: str) -> dict[str, str]:
    """What the row form posts: the row's current values, with ``changes``."""
    values = {
        "nik": row.nik,
        "name": row.name,
        "birth_place": row.birth_place,
        "birth_date": row.birth_date.strftime("%d-%m-%Y") if row.birth_date else "",
        "sex": row.sex,
        "address": row.address,
        "rt": row.rt,
        "rw": row.rw,
        "village": "",
        "district": "",
        "occupation": row.occupation.name if row.occupation else "",
        "phone": row.phone,
    }
    return values | changes


# --- receiving a file once -----------------------------------------------------------------


def test_the_same_file_twice_is_stored_once(operator, program, agency, upload_dir):
    first, created = receive(
        actor=operator, program=program, agency=agency, data=good_csv(), filename="a.csv"
    )
    again, created_again = receive(
        actor=operator, program=program, agency=agency, data=good_csv(), filename="b.csv"
    )

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert UploadedFile.objects.count() == 1
    assert stored_files(upload_dir) == [upload_dir / first.stored_name]
    assert audit_actions() == ["upload.received"]


def test_the_same_file_from_another_agency_is_its_own_upload(
    operator, other_operator, program, agency, other_agency
):
    receive(actor=operator, program=program, agency=agency, data=good_csv(), filename="a.csv")
    _file, created = receive(
        actor=other_operator,
        program=program,
        agency=other_agency,
        data=good_csv(),
        filename="a.csv",
    )

    assert created
    assert UploadedFile.objects.count() == 2


def test_a_file_arriving_twice_at_once_keeps_the_first(
    operator, program, agency, upload_dir, monkeypatch
):
    first, _created = receive(
        actor=operator, program=program, agency=agency, data=good_csv(), filename="a.csv"
    )
    # The second request looked before the first one's row was committed: it saw nothing and
    # runs into the unique constraint when it inserts.
    monkeypatch.setattr(UploadedFile.objects, "filter", lambda **kw: UploadedFile.objects.none())

    again, created = receive(
        actor=operator, program=program, agency=agency, data=good_csv(), filename="a.csv"
    )

    assert (again.pk, created) == (first.pk, False)
    assert UploadedFile.objects.count() == 1
    assert stored_files(upload_dir) == [upload_dir / first.stored_name]


def test_uploading_the_same_file_again_on_the_page_leads_to_the_first_submission(
    operator, program, imported
):
    submission = imported()
    client = client_for(operator)

    response = client.post(
        reverse("intake:upload"),
        {"program": program.pk, "file": io_file(good_csv(), "lagi.csv")},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("intake:detail", args=[submission.pk]), 302)]
    assert "sudah pernah diunggah" in response.content.decode()
    assert Submission.objects.count() == 1
    assert ImportJob.objects.count() == 1


def io_file(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_an_upload_for_a_closed_program_is_refused(operator, program, agency):
    program.status = "closed"
    program.save()

    with pytest.raises(ServiceError, match="tidak sedang menerima usulan"):
        receive(actor=operator, program=program, agency=agency, data=good_csv(), filename="a.csv")
    assert UploadedFile.objects.count() == 0


# --- importing: all or nothing -------------------------------------------------------------


def test_an_import_stores_every_row_with_its_outcome_and_audits_it(imported):
    # Rows 2-5 people, 6 blank, 7 a NIK/birth date mismatch.
    submission = imported(good_csv(["", "", "", "", ""], MISMATCH_ROW))

    assert submission.status == SubmissionStatus.DRAFT
    assert submission.source == SubmissionSource.UPLOAD
    assert (submission.rows_total, submission.accepted, submission.rejected) == (6, 4, 1)
    assert submission.ignored == 1
    rows = rows_of(submission)
    assert rows[2].raw == ["3504096804874842", "Suwarni", "28-04-1987", "P", "Nelayan"]
    assert (rows[2].nik, rows[2].birth_date, rows[2].sex) == (
        "3504096804874842",
        dt.date(1987, 4, 28),
        "P",
    )
    assert rows[2].occupation.name == "Nelayan"
    assert rows[6].outcome == RowOutcome.IGNORED
    assert rows[7].outcome == RowOutcome.REJECTED
    assert [i["code"] for i in rows[7].issues] == ["nik_birth_date_mismatch"]
    assert audit_actions() == ["upload.received", "import_job.queued", "submission.imported"]


def test_a_job_killed_while_writing_leaves_no_half_submission_and_can_run_again(
    operator, program, agency, monkeypatch, django_capture_on_commit_callbacks
):
    uploaded, _created = receive(
        actor=operator, program=program, agency=agency, data=good_csv(), filename="a.csv"
    )
    job = services.job_create(
        actor=operator, uploaded=uploaded, layouts=services.file_analyse(uploaded), enqueue=False
    )
    real_insert_rows = services.jobs.insert_rows

    def dies_halfway(rows):
        real_insert_rows(list(rows)[:2])
        # Written, inside the transaction: a submission and two of its rows.
        assert Submission.objects.count() == 1
        assert SubmissionRow.objects.count() == 2
        raise OSError("worker killed")

    monkeypatch.setattr(services.jobs, "insert_rows", dies_halfway)

    with pytest.raises(OSError, match="worker killed"):
        services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "jalankan ulang" in job.message
    assert Submission.objects.count() == 0
    assert SubmissionRow.objects.count() == 0

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.job_restart(actor=operator, job=job)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    submission = Submission.objects.get()
    assert job.submission_id == submission.pk
    assert submission.rows.count() == submission.rows_total == 4
    assert "import_job.restarted" in audit_actions()


def test_a_job_failing_at_the_recount_leaves_nothing_either(operator, program, agency, monkeypatch):
    uploaded, _created = receive(
        actor=operator, program=program, agency=agency, data=good_csv(), filename="a.csv"
    )
    job = services.job_create(
        actor=operator, uploaded=uploaded, layouts=services.file_analyse(uploaded), enqueue=False
    )

    def broken(submission):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.jobs, "submission_recount", broken)
    with pytest.raises(RuntimeError):
        services.job_run(job_id=job.pk)
    assert (Submission.objects.count(), SubmissionRow.objects.count()) == (0, 0)

    monkeypatch.undo()
    job = services.job_run(job_id=job.pk)

    assert job.status == JobStatus.DONE
    assert Submission.objects.get().rows.count() == 4


def test_a_file_already_imported_cannot_be_queued_again(imported, operator):
    submission = imported()
    uploaded = submission.file

    with pytest.raises(ServiceError, match="sudah diproses"):
        services.job_create(
            actor=operator, uploaded=uploaded, layouts=services.file_analyse(uploaded)
        )


# --- correcting a row ----------------------------------------------------------------------

# The agency's own layout: name before NIK, a running number first.
OWN_LAYOUT = csv_bytes(
    [
        ["No", "Nama", "NIK", "Tgl Lahir", "L/P", "Pekerjaan"],
        [1, "Suwarni", "3504096804874842", "12-08-1975", "P", "Nelayan"],
        [2, "Siti Aminah", "3504095806010862", "18-06-2001", "P", "Nelayan"],
    ]
)


def test_correcting_a_row_rechecks_it_and_keeps_the_old_state(imported, operator):
    submission = imported(OWN_LAYOUT)
    row = rows_of(submission)[2]
    assert row.outcome == RowOutcome.REJECTED
    old_raw, old_issues = list(row.raw), list(row.issues)

    corrected = services.row_correct(
        actor=operator, row=row, values=correction(row, nik=FIXED_NIK), revision=1
    )

    assert corrected.outcome == RowOutcome.ACCEPTED
    assert (corrected.nik, corrected.revision) == (FIXED_NIK, 2)
    history = RowRevision.objects.get(row=row)
    assert (history.revision, history.raw, history.outcome) == (1, old_raw, RowOutcome.REJECTED)
    assert history.issues == old_issues
    assert history.values["nik"] == "3504096804874842"
    assert history.source == "edit"
    submission.refresh_from_db()
    assert (submission.accepted, submission.rejected) == (2, 0)
    event = AuditEvent.objects.get(action="submission_row.corrected")
    assert event.changes["outcome"] == [RowOutcome.REJECTED, RowOutcome.ACCEPTED]


def test_a_corrected_row_keeps_the_agencys_column_layout(imported, operator):
    submission = imported(OWN_LAYOUT)
    row = rows_of(submission)[2]

    corrected = services.row_correct(
        actor=operator, row=row, values=correction(row, nik=FIXED_NIK), revision=1
    )

    # No, Nama, NIK, Tgl Lahir, L/P, Pekerjaan — as the agency wrote them, NIK in column C.
    assert corrected.raw == ["1", "Suwarni", FIXED_NIK, "12-08-1975", "P", "Nelayan"]


def test_a_correction_from_a_stale_form_is_refused(imported, operator):
    submission = imported(OWN_LAYOUT)
    row = rows_of(submission)[2]
    services.row_correct(
        actor=operator, row=row, values=correction(row, name="Suwarni S"), revision=1
    )
    stale = SubmissionRow.objects.get(pk=row.pk)

    with pytest.raises(ConflictError):
        services.row_correct(
            actor=operator, row=stale, values=correction(stale, nik=FIXED_NIK), revision=1
        )

    stale.refresh_from_db()
    assert (stale.revision, stale.name) == (2, "Suwarni S")
    assert RowRevision.objects.filter(row=row).count() == 1


def test_a_row_of_a_submitted_list_cannot_be_corrected(imported, operator):
    submission = imported(OWN_LAYOUT)
    services.submission_submit(actor=operator, submission=submission)
    row = rows_of(submission)[2]

    with pytest.raises(ServiceError, match="terkunci"):
        services.row_correct(
            actor=operator, row=row, values=correction(row, nik=FIXED_NIK), revision=1
        )
    row.refresh_from_db()
    assert row.revision == 1


def test_a_correction_giving_a_nik_already_in_the_list_is_rejected(imported, operator):
    submission = imported(OWN_LAYOUT)
    row = rows_of(submission)[2]

    corrected = services.row_correct(
        actor=operator,
        row=row,
        values=correction(row, nik="3504095806010862", birth_date="18-06-2001"),
        revision=1,
    )

    assert corrected.outcome == RowOutcome.REJECTED
    assert "dup_in_file" in {i["code"] for i in corrected.issues}


# --- replacing rejected rows by a corrected feedback file -------------------------------


def feedback_bytes(submission: Submission) -> bytes:
    buffer = io.BytesIO()
    feedback_workbook(submission, selectors.submission_rows(submission=submission), buffer)
    return buffer.getvalue()


def fix_feedback(data: bytes, *, row_number: int, nik: str) -> bytes:
    """Type the right NIK into the feedback file's row for ``row_number``, as the agency does."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    nik_column = headers.index("NIK") + 1
    for cells in sheet.iter_rows(min_row=2):
        if cells[1].value == row_number:
            sheet.cell(row=cells[0].row, column=nik_column, value=nik)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def replace_with(*, actor, submission: Submission, data: bytes) -> ImportJob:
    uploaded, _created = receive(
        actor=actor,
        program=submission.program,
        agency=submission.agency,
        data=data,
        filename="umpan-balik-diperbaiki.xlsx",
    )
    job = services.job_create(
        actor=actor,
        uploaded=uploaded,
        layouts=services.file_analyse(uploaded)[:1],
        target=submission,
        origin_column=0,
        enqueue=False,
    )
    return services.job_run(job_id=job.pk)


def test_a_corrected_feedback_file_replaces_only_the_rejected_rows(imported, operator):
    # Rows 2-5 accepted, row 6 a NIK/birth date mismatch, row 7 without a NIK.
    submission = imported(good_csv(MISMATCH_ROW, ["", "Tanpa NIK", "01-01-1980", "L", "Petani"]))
    before = rows_of(submission)
    assert [before[n].outcome for n in (6, 7)] == [RowOutcome.REJECTED] * 2
    fixed = fix_feedback(feedback_bytes(submission), row_number=6, nik=FIXED_NIK)

    job = replace_with(actor=operator, submission=submission, data=fixed)

    assert job.status == JobStatus.DONE, job.message
    assert job.submission_id == submission.pk
    after = rows_of(submission)
    assert (after[6].outcome, after[6].nik, after[6].revision) == (
        RowOutcome.ACCEPTED,
        FIXED_NIK,
        2,
    )
    # Back in the agency's own layout, without the feedback file's four columns.
    assert after[6].raw == [FIXED_NIK, "Sumarni", "12-08-1975", "P", "Nelayan"]
    assert after[7].outcome == RowOutcome.REJECTED
    for number in (2, 3, 4, 5):
        assert after[number].revision == 1
        assert after[number].updated_at == before[number].updated_at
    assert RowRevision.objects.get(row=after[6]).source == "reupload"
    submission.refresh_from_db()
    assert (submission.accepted, submission.rejected, submission.rows_total) == (5, 1, 6)
    assert Submission.objects.count() == 1
    assert "submission.rows_replaced" in audit_actions()


def test_a_file_that_is_not_our_feedback_file_cannot_replace_rows(imported, operator):
    submission = imported(good_csv(MISMATCH_ROW))
    uploaded, _created = receive(
        actor=operator,
        program=submission.program,
        agency=submission.agency,
        data=good_csv(["3504095208750001", "Suwarni", "12-08-1975", "P", "Nelayan"]),
        filename="perbaikan.csv",
    )

    with pytest.raises(ServiceError, match="umpan balik"):
        services.job_create(
            actor=operator,
            uploaded=uploaded,
            layouts=services.file_analyse(uploaded),
            target=submission,
        )


def test_a_non_feedback_file_uploaded_as_correction_is_refused_with_a_message(imported, operator):
    submission = imported(good_csv(MISMATCH_ROW))
    client = client_for(operator)

    response = client.post(
        reverse("intake:replace", args=[submission.pk]),
        {"file": io_file(good_csv(["", "Orang Baru", "", "", ""]), "perbaikan.csv")},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("intake:detail", args=[submission.pk]), 302)]
    assert "file umpan balik" in response.content.decode()
    assert ImportJob.objects.filter(target=submission).count() == 0
    assert submission.rows.get(row_number=6).revision == 1
    assert list(UploadedFile.objects.all()) == [submission.file]
    assert "upload.refused" in audit_actions()


def test_a_corrected_feedback_file_uploaded_on_the_page_replaces_the_rejected_row(
    imported, operator, django_capture_on_commit_callbacks
):
    submission = imported(good_csv(MISMATCH_ROW))
    fixed = fix_feedback(feedback_bytes(submission), row_number=6, nik=FIXED_NIK)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(operator).post(
            reverse("intake:replace", args=[submission.pk]),
            {"file": io_file(fixed, "umpan-balik.xlsx")},
        )

    job = ImportJob.objects.get(target=submission)
    assert response.url == reverse("intake:submission_job", args=[submission.pk])
    assert (job.status, job.result["replaced"]) == (JobStatus.DONE, 1)
    row = submission.rows.get(row_number=6)
    assert (row.outcome, row.nik) == (RowOutcome.ACCEPTED, FIXED_NIK)


def test_a_feedback_file_cannot_replace_rows_of_a_submitted_list(imported, operator):
    submission = imported(good_csv(MISMATCH_ROW))
    data = fix_feedback(feedback_bytes(submission), row_number=6, nik=FIXED_NIK)
    services.submission_submit(actor=operator, submission=submission)

    with pytest.raises(ServiceError, match="sudah diserahkan"):
        replace_with(actor=operator, submission=submission, data=data)

    assert submission.rows.get(row_number=6).outcome == RowOutcome.REJECTED


# --- states --------------------------------------------------------------------------------


def test_a_list_goes_from_draft_to_submitted_to_in_verification(imported, operator, verifier):
    submission = imported()
    assert submission.status == SubmissionStatus.DRAFT

    services.submission_submit(actor=operator, submission=submission)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_at is not None
    assert not submission.is_editable

    services.submission_start_verification(actor=verifier, submission=submission)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_VERIFICATION
    assert audit_actions()[-2:] == ["submission.submitted", "submission.verification_started"]


def test_a_list_cannot_be_handed_in_twice(imported, operator):
    submission = imported()
    services.submission_submit(actor=operator, submission=submission)

    with pytest.raises(ServiceError, match="sudah diserahkan"):
        services.submission_submit(actor=operator, submission=submission)
    assert audit_actions().count("submission.submitted") == 1


def test_a_stale_copy_cannot_hand_a_list_in(imported, operator):
    submission = imported()
    stale = Submission.objects.get(pk=submission.pk)
    services.submission_submit(actor=operator, submission=submission)

    with pytest.raises(ServiceError):
        services.submission_submit(actor=operator, submission=stale)


def test_an_empty_list_cannot_be_handed_in(imported, operator):
    submission = imported(csv_bytes([["NIK", "Nama", "Tanggal Lahir"]]))
    assert submission.rows_total == 0

    with pytest.raises(ServiceError, match="kosong"):
        services.submission_submit(actor=operator, submission=submission)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT
    assert "submission.submitted" not in audit_actions()


def test_only_a_submitted_list_can_go_into_verification(imported, verifier):
    submission = imported()

    with pytest.raises(ServiceError, match="sudah diserahkan"):
        services.submission_start_verification(actor=verifier, submission=submission)


def test_an_import_without_draft_hands_the_list_in_with_its_audit_event(imported):
    submission = imported(draft=False)

    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_at is not None
    assert "submission.submitted" in audit_actions()


# --- walk-in entries -----------------------------------------------------------------------

WALK_IN = {
    "nik": "3504096804874842",
    "name": "Suwarni",
    "birth_place": "Tulungagung",
    "birth_date": "28-04-1987",
    "sex": "P",
    "address": "Dsn. Krajan",
    "rt": "1",
    "rw": "2",
    "village": "",
    "district": "Ngunut",
    "occupation": "Nelayan",
    "phone": "0812-3456-7890",
}


def test_walk_in_entries_go_to_one_open_batch_per_agency_and_program(
    operator, other_operator, program, agency, other_agency
):
    first = services.entry_add(actor=operator, program=program, agency=agency, values=WALK_IN)
    second = services.entry_add(
        actor=operator,
        program=program,
        agency=agency,
        values=WALK_IN | {"nik": "3504095806010862", "name": "Siti", "birth_date": "18-06-2001"},
    )
    theirs = services.entry_add(
        actor=other_operator, program=program, agency=other_agency, values=WALK_IN
    )

    assert first.submission_id == second.submission_id != theirs.submission_id
    assert (first.row_number, second.row_number, theirs.row_number) == (1, 2, 1)
    batch = first.submission
    batch.refresh_from_db()
    assert (batch.source, batch.status, batch.rows_total, batch.accepted) == (
        SubmissionSource.ENTRY,
        SubmissionStatus.DRAFT,
        2,
        2,
    )
    assert first.outcome == RowOutcome.ACCEPTED
    assert (first.nik, first.district_id, first.phone, first.rt) == (
        "3504096804874842",
        "35.04.11",  # Kecamatan Ngunut
        "+6281234567890",
        "001",
    )
    assert first.raw[:2] == ["3504096804874842", "Suwarni"]
    assert audit_actions().count("submission_row.entered") == 3


def test_a_handed_in_batch_is_closed_and_the_next_entry_opens_a_new_one(operator, program, agency):
    first = services.entry_add(actor=operator, program=program, agency=agency, values=WALK_IN)
    services.submission_submit(actor=operator, submission=first.submission)

    second = services.entry_add(
        actor=operator,
        program=program,
        agency=agency,
        values=WALK_IN | {"nik": "3504095806010862", "name": "Siti", "birth_date": "18-06-2001"},
    )

    assert second.submission_id != first.submission_id
    assert second.row_number == 1


def test_a_walk_in_entry_is_checked_like_a_file_row(operator, program, agency):
    row = services.entry_add(
        actor=operator, program=program, agency=agency, values=WALK_IN | {"sex": "L"}
    )

    assert row.outcome == RowOutcome.REJECTED
    assert {i["code"] for i in row.issues} == {"nik_sex_mismatch"}
    assert row.submission.rejected == 1


def test_a_walk_in_entry_repeating_a_nik_of_the_batch_is_rejected(operator, program, agency):
    services.entry_add(actor=operator, program=program, agency=agency, values=WALK_IN)

    again = services.entry_add(actor=operator, program=program, agency=agency, values=WALK_IN)

    assert again.outcome == RowOutcome.REJECTED
    assert [i["code"] for i in again.issues] == ["dup_in_file"]
    assert "baris 1" in again.reasons


def test_a_walk_in_entry_for_a_closed_program_is_refused(operator, program, agency):
    program.status = "closed"
    program.save()

    with pytest.raises(ServiceError):
        services.entry_add(actor=operator, program=program, agency=agency, values=WALK_IN)
    assert Submission.objects.count() == 0
