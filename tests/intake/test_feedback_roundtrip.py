"""The feedback file round trip through the pages, as an agency does it: upload a list whose
NIK column Lindung does not know, map it by hand, download the feedback file, fix one row in
it and upload it as the correction. Only what the agency changed may change."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lindung.audit.models import AuditEvent
from lindung.common.jobs import JobStatus
from lindung.intake.models import ImportJob, RowOutcome, Submission
from tests.conftest import client_for
from tests.intake.conftest import GOOD_CSV_ROWS, csv_bytes

# "Identitas" is a header Lindung does not recognise as the NIK column; "Catatan" holds "-",
# which the feedback file writes as "'-" so that no spreadsheet takes it for a formula.
HEADER = ["Identitas", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Pekerjaan", "Catatan"]
# This NIK says born 28-04-1987, female; the row claims 12-08-1975.
MISMATCH_ROW = ["3504096804870007", "Sumarni", "12-08-1975", "P", "Nelayan"]
# A NIK of 15 digits: rejected, and left as it is by the agency.
SHORT_ROW = ["350409520875000", "Painem", "12-08-1975", "P", "Nelayan"]
FIXED_NIK = "3504095208750001"


@pytest.fixture
def client(operator):
    return client_for(operator)


def upload_and_map(client, program, capture) -> Submission:
    rows = [*GOOD_CSV_ROWS, MISMATCH_ROW, SHORT_ROW]
    data = csv_bytes([HEADER, *([*row, "-"] for row in rows)])
    response = client.post(
        reverse("intake:upload"),
        {"program": program.pk, "file": SimpleUploadedFile("daftar.csv", data)},
    )
    assert "/kolom/" in response.url, "an unknown NIK header asks for the mapping"
    mapping = {
        f"col{i}": field
        for i, field in enumerate(["nik", "name", "birth_date", "sex", "occupation"])
    }
    with capture(execute=True):
        response = client.post(response.url, mapping)
    job = ImportJob.objects.get(target=None)
    assert job.status == JobStatus.DONE, job.message
    return Submission.objects.get(pk=job.submission_id)


def download_feedback(client, submission: Submission) -> bytes:
    response = client.get(reverse("intake:feedback", args=[submission.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def edit_feedback(data: bytes, edits: dict[int, dict[int, object]]) -> bytes:
    """Type into the feedback file as the agency would: {spreadsheet row: {column: value}}
    where the row is the Baris the file names and the column counts from 1."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet is not None
    for cells in sheet.iter_rows(min_row=2):
        for column, value in edits.get(cells[1].value, {}).items():
            sheet.cell(row=cells[0].row, column=column).value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def header_of(data: bytes) -> list[object]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    header = list(next(workbook.worksheets[0].iter_rows(values_only=True)))
    workbook.close()
    return header


def replace(client, submission, data, capture):
    with capture(execute=True):
        return client.post(
            reverse("intake:replace", args=[submission.pk]),
            {"file": SimpleUploadedFile("umpan-balik.xlsx", data)},
            follow=True,
        )


def test_a_hand_mapped_list_corrected_through_its_feedback_file_keeps_every_nik(
    client, program, django_capture_on_commit_callbacks
):
    submission = upload_and_map(client, program, django_capture_on_commit_callbacks)
    rows = {row.row_number: row for row in submission.rows.all()}
    assert (rows[6].outcome, rows[7].outcome) == (RowOutcome.REJECTED, RowOutcome.REJECTED)
    feedback = download_feedback(client, submission)
    nik_column = header_of(feedback).index("Identitas") + 1

    fixed = edit_feedback(feedback, {6: {nik_column: FIXED_NIK}})
    response = replace(client, submission, fixed, django_capture_on_commit_callbacks)

    job = ImportJob.objects.get(target=submission)
    assert job.status == JobStatus.DONE, job.message
    assert response.status_code == 200
    rows = {row.row_number: row for row in submission.rows.all()}
    assert (rows[6].outcome, rows[6].nik) == (RowOutcome.ACCEPTED, FIXED_NIK)
    # The row the agency left alone keeps its NIK and its own reason, not "NIK belum diisi".
    assert rows[7].nik == SHORT_ROW[0]
    assert rows[7].outcome == RowOutcome.REJECTED
    assert "belum diisi" not in rows[7].reasons
    assert "15 digit" in rows[7].reasons
    for number in (2, 3, 4, 5):
        assert rows[number].revision == 1
    assert rows[6].raw == [FIXED_NIK, "Sumarni", "12-08-1975", "P", "Nelayan", "-"]


def test_a_correction_that_blanks_a_cell_keeps_the_stored_value(
    client, program, django_capture_on_commit_callbacks
):
    submission = upload_and_map(client, program, django_capture_on_commit_callbacks)
    feedback = download_feedback(client, submission)
    header = header_of(feedback)
    nik_column = header.index("Identitas") + 1
    name_column = header.index("Nama") + 1

    # Row 6 gets its NIK fixed but its name emptied; row 7's NIK is emptied.
    fixed = edit_feedback(
        feedback, {6: {nik_column: FIXED_NIK, name_column: None}, 7: {nik_column: None}}
    )
    replace(client, submission, fixed, django_capture_on_commit_callbacks)

    job = ImportJob.objects.get(target=submission)
    assert job.status == JobStatus.DONE, job.message
    rows = {row.row_number: row for row in submission.rows.all()}
    assert (rows[6].nik, rows[6].name) == (FIXED_NIK, "Sumarni")
    assert rows[7].nik == SHORT_ROW[0]
    assert job.result["kept"] == 2


def test_a_correction_that_changes_an_accepted_row_is_refused_and_nothing_is_stored(
    client, program, django_capture_on_commit_callbacks
):
    submission = upload_and_map(client, program, django_capture_on_commit_callbacks)
    feedback = download_feedback(client, submission)
    header = header_of(feedback)
    nik_column = header.index("Identitas") + 1
    name_column = header.index("Nama") + 1

    fixed = edit_feedback(feedback, {6: {nik_column: FIXED_NIK}, 3: {name_column: "Siti Aisyah"}})
    replace(client, submission, fixed, django_capture_on_commit_callbacks)

    job = ImportJob.objects.get(target=submission)
    assert job.status == JobStatus.FAILED
    assert "baris 3" in job.message
    assert "hanya baris yang ditolak" in job.message.lower()
    page = client.get(reverse("intake:job", args=[job.pk])).content.decode()
    assert "baris 3" in page
    rows = {row.row_number: row for row in submission.rows.all()}
    assert all(row.revision == 1 for row in rows.values())
    assert rows[3].name == "Siti Aminah"
    assert not AuditEvent.objects.filter(action="submission.rows_replaced").exists()


def test_a_correction_with_a_new_row_is_refused(
    client, program, django_capture_on_commit_callbacks
):
    submission = upload_and_map(client, program, django_capture_on_commit_callbacks)
    feedback = download_feedback(client, submission)
    workbook = load_workbook(io.BytesIO(feedback))
    sheet = workbook.active
    assert sheet is not None
    header = header_of(feedback)
    new = [""] * len(header)
    new[header.index("Identitas")] = FIXED_NIK
    new[header.index("Nama")] = "Orang Baru"
    sheet.append(new)
    out = io.BytesIO()
    workbook.save(out)

    replace(client, submission, out.getvalue(), django_capture_on_commit_callbacks)

    job = ImportJob.objects.get(target=submission)
    assert job.status == JobStatus.FAILED
    assert "Lembar dan Baris" in job.message
    assert submission.rows.count() == 6


def test_a_correction_with_columns_moved_by_the_agency_is_read_by_its_headers(
    client, program, django_capture_on_commit_callbacks
):
    submission = upload_and_map(client, program, django_capture_on_commit_callbacks)
    feedback = download_feedback(client, submission)
    workbook = load_workbook(io.BytesIO(feedback))
    sheet = workbook.active
    assert sheet is not None
    rows = [[cell.value for cell in cells] for cells in sheet.iter_rows()]
    header = rows[0]
    nik, name = header.index("Identitas"), header.index("Nama")
    # The agency swaps the NIK and name columns, then fixes row 6's NIK.
    for cells in rows:
        cells[nik], cells[name] = cells[name], cells[nik]
        if cells[1] == 6:
            cells[name] = FIXED_NIK
    moved = load_workbook(io.BytesIO(feedback))
    target = moved.active
    assert target is not None
    for r, cells in enumerate(rows, start=1):
        for c, value in enumerate(cells, start=1):
            target.cell(row=r, column=c).value = value
    out = io.BytesIO()
    moved.save(out)

    replace(client, submission, out.getvalue(), django_capture_on_commit_callbacks)

    job = ImportJob.objects.get(target=submission)
    assert job.status == JobStatus.DONE, job.message
    stored = {row.row_number: row for row in submission.rows.all()}
    assert (stored[6].outcome, stored[6].nik, stored[6].name) == (
        RowOutcome.ACCEPTED,
        FIXED_NIK,
        "Sumarni",
    )
    # Stored back in the list's own column order.
    assert stored[6].raw[:2] == [FIXED_NIK, "Sumarni"]
    assert stored[7].nik == SHORT_ROW[0]
    assert all(stored[n].revision == 1 for n in (2, 3, 4, 5, 7))
