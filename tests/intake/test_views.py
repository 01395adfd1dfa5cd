"""The intake pages through HTTP: who sees what, uploading, confirming a mapping once, the
row table and its htmx fragments, the feedback and template spreadsheets, walk-in entry."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lindung.audit.models import AuditEvent
from lindung.common.jobs import JobStatus
from lindung.intake.models import (
    ColumnMapping,
    ImportJob,
    RowOutcome,
    Submission,
    SubmissionRow,
    SubmissionStatus,
    UploadedFile,
)
from lindung.intake.services import submission_submit
from tests.conftest import client_for
from tests.intake.conftest import csv_bytes, good_csv, import_bytes

MISMATCH_ROW = ["3504096804870007", "Sumarni", "12-08-1975", "P", "Nelayan"]


def upload(client, program, data: bytes, name: str = "daftar.csv", **extra):
    return client.post(
        reverse("intake:upload"),
        {"program": program.pk, "file": SimpleUploadedFile(name, data), **extra},
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- who sees what -------------------------------------------------------------------------


@pytest.fixture
def carols(other_operator, program, other_agency) -> Submission:
    """A list Carol of Dinas Perhubungan uploaded."""
    return import_bytes(
        actor=other_operator, program=program, agency=other_agency, data=good_csv(MISMATCH_ROW)
    )


@pytest.fixture
def bobs(operator, program, agency) -> Submission:
    return import_bytes(
        actor=operator,
        program=program,
        agency=agency,
        data=csv_bytes([["NIK", "Nama"], ["3504095806010862", "Siti Aminah"]]),
    )


def pages_of(submission: Submission) -> list[str]:
    row = submission.rows.first()
    job = ImportJob.objects.get(submission=submission)
    return [
        reverse("intake:detail", args=[submission.pk]),
        reverse("intake:row_edit", args=[row.pk]),
        reverse("intake:row", args=[row.pk]),
        reverse("intake:feedback", args=[submission.pk]),
        reverse("intake:job", args=[job.pk]),
        reverse("intake:file_job", args=[job.file_id]),
        reverse("intake:submission_job", args=[submission.pk]),
        reverse("intake:submit", args=[submission.pk]),
        reverse("intake:delete", args=[submission.pk]),
        reverse("intake:mapping", args=[submission.file_id]),
    ]


def test_an_operator_lists_only_their_agencys_submissions(operator, bobs, carols):
    response = client_for(operator).get(reverse("intake:list"))

    assert list(response.context["submissions"]) == [bobs]
    assert f"#{carols.pk}" not in response.content.decode()


def test_an_operator_gets_404_on_every_page_of_another_agencys_submission(operator, carols):
    client = client_for(operator)

    for url in pages_of(carols):
        assert client.get(url).status_code == 404, url
    for name in ("submit", "replace"):
        assert client.post(reverse(f"intake:{name}", args=[carols.pk])).status_code == 404
    carols.refresh_from_db()
    assert carols.status == SubmissionStatus.DRAFT


def test_an_admin_of_another_pemda_gets_404_on_every_page(foreign_admin, carols):
    client = client_for(foreign_admin)

    assert list(client.get(reverse("intake:list")).context["submissions"]) == []
    for url in pages_of(carols):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("intake:submit", args=[carols.pk])).status_code == 404


def test_the_list_page_costs_the_same_few_queries_for_many_submissions(
    admin, bobs, carols, django_assert_max_num_queries
):
    client = client_for(admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("intake:list"))

    assert set(response.context["submissions"]) == {bobs, carols}


def test_a_verifier_sees_every_list_and_starts_verification_but_edits_no_row(
    verifier, other_operator, bobs, carols
):
    client = client_for(verifier)
    submission_submit(actor=other_operator, submission=carols)

    listed = client.get(reverse("intake:list")).context["submissions"]
    assert set(listed) == {bobs, carols}
    page = client.get(reverse("intake:detail", args=[carols.pk]))
    assert page.status_code == 200
    assert page.context["can_start_verification"]
    assert not page.context["can_edit"]
    row = carols.rows.first()
    assert client.get(reverse("intake:row_edit", args=[row.pk])).status_code == 403
    assert client.post(reverse("intake:row_edit", args=[row.pk])).status_code == 403
    assert client.get(reverse("intake:upload")).status_code == 403

    response = client.post(reverse("intake:start_verification", args=[carols.pk]))

    assert response.status_code == 302
    carols.refresh_from_db()
    assert carols.status == SubmissionStatus.IN_VERIFICATION


def test_an_operator_cannot_start_verification(operator, bobs):
    submission_submit(actor=operator, submission=bobs)

    response = client_for(operator).post(reverse("intake:start_verification", args=[bobs.pk]))

    assert response.status_code == 403


# --- uploading -----------------------------------------------------------------------------


def test_an_upload_with_known_columns_goes_straight_to_the_job_and_the_result(
    operator, program, django_capture_on_commit_callbacks
):
    client = client_for(operator)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, program, good_csv(MISMATCH_ROW))

    job = ImportJob.objects.get()
    assert response.url == reverse("intake:file_job", args=[job.file_id])
    assert job.status == JobStatus.DONE
    page = client.get(response.url)
    assert reverse("intake:detail", args=[job.submission_id]) in page.content.decode()
    # Done before the browser first loaded the page: it asks once as it loads, and goes on
    # as a poll would (without scripts, the link above).
    assert 'hx-trigger="load"' in page.content.decode()
    polled = client.get(response.url, HTTP_HX_REQUEST="true")
    assert polled.status_code == 204
    assert "HX-Redirect" not in polled  # it would leave the progress page in the history
    done = {"lindung:forward": reverse("intake:detail", args=[job.submission_id])}
    assert json.loads(polled["HX-Trigger"]) == done

    detail = client.get(reverse("intake:detail", args=[job.submission_id]))

    html = detail.content.decode()
    assert '<span class="stat-value">4</span><span class="stat-label">diterima</span>' in html
    assert '<span class="stat-value">1</span><span class="stat-label">ditolak' in html
    assert "daftar.csv" in html


def test_a_job_page_shows_a_failed_import_with_a_restart_button(
    operator, program, agency, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_for(operator)

    def broken(submission):
        raise RuntimeError("disk full")

    monkeypatch.setattr("lindung.intake.services.jobs.submission_recount", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, program, good_csv())
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED

    page = client.get(response.url).content.decode()
    assert "Jalankan ulang" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:job_restart", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Submission.objects.get().rows_total == 4


def test_the_progress_page_of_a_new_list_is_keyed_by_its_file_and_old_links_still_work(
    operator, program, django_capture_on_commit_callbacks
):
    client = client_for(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, program, good_csv())
    job = ImportJob.objects.get()

    assert response.url == f"/usulan/berkas/{job.file_id}/proses/"
    assert client.get(response.url).status_code == 200
    old = client.get(f"/usulan/proses/{job.pk}/")
    assert old.status_code == 200
    assert old.context["job_url"] == response.url


def test_the_progress_page_of_a_correction_is_keyed_by_its_submission(
    operator, mixed, django_capture_on_commit_callbacks
):
    client = client_for(operator)
    feedback = body(client.get(reverse("intake:feedback", args=[mixed.pk])))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("intake:replace", args=[mixed.pk]),
            {"file": SimpleUploadedFile("umpan-balik.xlsx", feedback)},
        )
    assert response.url == f"/usulan/{mixed.pk}/proses/"
    response = client.get(response.url)

    assert response.context["job"].target == mixed
    assert response.context["job"].status == JobStatus.DONE, response.context["job"].message
    html = response.content.decode()
    assert f'href="/usulan/{mixed.pk}/"' in html


def test_uploading_a_file_again_while_its_import_waits_leads_to_the_same_job(operator, program):
    client = client_for(operator)
    first = upload(client, program, good_csv())  # not run: on_commit callbacks are not run

    again = upload(client, program, good_csv(), name="lagi.csv")

    assert again.url == first.url
    assert ImportJob.objects.count() == 1


def test_an_admin_uploads_on_behalf_of_an_agency(
    admin, program, other_agency, django_capture_on_commit_callbacks
):
    client = client_for(admin)

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, program, good_csv(), agency=other_agency.pk)

    assert Submission.objects.get().agency == other_agency


# Only "Nama" is a header we know; the NIK column has no header at all.
UNSURE = [["", "Nama", "Keterangan", "Catatan"]]
UNSURE_ROWS = [
    ["3504096804874842", "Suwarni", "nelayan pantai", "-"],
    ["3504095806010862", "Siti Aminah", "nelayan pantai", "-"],
]


def test_an_unsure_layout_is_confirmed_once_and_remembered(
    operator, program, agency, django_capture_on_commit_callbacks
):
    client = client_for(operator)

    response = upload(client, program, csv_bytes(UNSURE + UNSURE_ROWS))

    uploaded = UploadedFile.objects.get()
    mapping_url = reverse("intake:mapping", args=[uploaded.pk])
    assert response.url == mapping_url
    assert ImportJob.objects.count() == 0
    page = client.get(mapping_url)
    html = page.content.decode()
    assert "3504096804874842" in html
    assert "Siti Aminah" in html
    assert "Kolom NIK tidak dikenali" in html
    assert page.context["header_cells"][1] == (1, "Nama", "name")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(mapping_url, {"sheet": "", "col0": "nik", "col1": "name"})

    job = ImportJob.objects.get()
    assert response.url == reverse("intake:file_job", args=[uploaded.pk])
    assert job.status == JobStatus.DONE
    submission = job.submission
    assert submission.rows_total == 2
    assert submission.rows.get(row_number=2).nik == "3504096804874842"
    remembered = ColumnMapping.objects.get(agency=agency)
    assert remembered.columns == {"nik": 0, "name": 1}
    assert AuditEvent.objects.filter(action="column_mapping.saved").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        second = upload(
            client,
            program,
            csv_bytes([*UNSURE, ["3504074710880241", "Lestari", "nelayan pantai", "-"]]),
            name="bulan-depan.csv",
        )

    next_job = ImportJob.objects.latest("pk")
    assert second.url == reverse("intake:file_job", args=[next_job.file_id])
    assert next_job.submission.rows.get().nik == "3504074710880241"


def test_a_mapping_without_a_nik_column_is_refused(operator, program):
    client = client_for(operator)
    upload(client, program, csv_bytes(UNSURE + UNSURE_ROWS))
    mapping_url = reverse("intake:mapping", args=[UploadedFile.objects.get().pk])

    response = client.post(mapping_url, {"sheet": "", "col1": "name", "col2": "occupation"})

    assert response.status_code == 200
    assert "Tentukan kolom NIK dan kolom Nama." in response.context["errors"]
    assert ImportJob.objects.count() == 0
    assert ColumnMapping.objects.count() == 0


# --- the row table -------------------------------------------------------------------------


@pytest.fixture
def mixed(operator, program, agency) -> Submission:
    """Four accepted rows and one rejected one, in Bob's agency."""
    return import_bytes(actor=operator, program=program, agency=agency, data=good_csv(MISMATCH_ROW))


def test_the_rows_can_be_filtered_by_outcome(operator, mixed):
    response = client_for(operator).get(
        reverse("intake:detail", args=[mixed.pk]), {"hasil": "rejected"}
    )

    assert [row.row_number for row in response.context["rows"]] == [6]
    assert "<h1>" in response.content.decode()


def test_the_htmx_filter_returns_only_the_rows_fragment(operator, mixed):
    response = client_for(operator).get(
        reverse("intake:detail", args=[mixed.pk]),
        {"hasil": "rejected"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert "<h1>" not in html
    assert "<form" not in html
    assert html.count('<tr id="baris-') == 1
    assert "Sumarni" in html
    assert "Suwarni" not in html


def test_a_search_by_name_finds_the_row(operator, mixed):
    response = client_for(operator).get(reverse("intake:detail", args=[mixed.pk]), {"q": "aminah"})

    assert [row.name for row in response.context["rows"]] == ["Siti Aminah"]


def damaged_nik_xlsx() -> bytes:
    """A list whose NIK column was typed as numbers: the NIK lost its last digit."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin"])
    sheet.append([3504196005906740, "Sutinah", "20-05-1990", "P"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_edit_form_does_not_prefill_a_damaged_nik(operator, program, agency):
    submission = import_bytes(
        actor=operator, program=program, agency=agency, data=damaged_nik_xlsx(), filename="a.xlsx"
    )
    row = submission.rows.get()
    assert {i["code"] for i in row.issues} == {"nik_excel_damaged"}

    response = client_for(operator).get(reverse("intake:row_edit", args=[row.pk]))

    assert response.context["form"].initial["nik"] == ""
    nik_input = re.search(r'<input[^>]*name="nik"[^>]*>', response.content.decode()).group(0)
    assert "3504196005906740" not in nik_input
    assert 'value="Sutinah"' in response.content.decode()


def test_saving_a_fixed_row_returns_the_row_with_its_new_outcome(operator, program, agency):
    submission = import_bytes(
        actor=operator, program=program, agency=agency, data=damaged_nik_xlsx(), filename="a.xlsx"
    )
    row = submission.rows.get()

    response = client_for(operator).post(
        reverse("intake:row_edit", args=[row.pk]),
        {
            "revision": "1",
            "nik": "3504196005900001",  # typed again from the KTP
            "name": "Sutinah",
            "birth_date": "20-05-1990",
            "sex": "P",
        },
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="baris-{row.pk}" class="outcome-accepted just-saved"')
    assert "<h1>" not in html
    row.refresh_from_db()
    assert (row.outcome, row.nik, row.revision) == (RowOutcome.ACCEPTED, "3504196005900001", 2)
    submission.refresh_from_db()
    assert (submission.accepted, submission.rejected) == (1, 0)


def test_saving_a_fixed_row_updates_the_counters_out_of_band(operator, mixed):
    row = mixed.rows.get(row_number=6)

    response = client_for(operator).post(
        reverse("intake:row_edit", args=[row.pk]),
        {
            "revision": "1",
            "nik": "3504095208750001",
            "name": "Sumarni",
            "birth_date": "12-08-1975",
            "sex": "P",
            "occupation": "Nelayan",
        },
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    oob = re.search(r'<template>\s*<div class="stats" id="angka-usulan" hx-swap-oob="true">', html)
    assert oob, html
    counters = html[oob.end() :]
    assert '<span class="stat-value">5</span><span class="stat-label">diterima</span>' in counters
    assert '<span class="stat-value">0</span><span class="stat-label">ditolak' in counters


def test_a_stale_edit_form_shows_a_conflict_message(operator, mixed):
    row = mixed.rows.get(row_number=6)
    client = client_for(operator)
    data = {"revision": "1", "nik": "3504095208750001", "name": "Sumarni", "sex": "P"}
    client.post(reverse("intake:row_edit", args=[row.pk]), data)

    response = client.post(reverse("intake:row_edit", args=[row.pk]), data)

    assert "baru saja diubah" in response.content.decode()
    row.refresh_from_db()
    assert row.revision == 2


def test_handing_in_on_the_page_locks_the_rows(operator, mixed):
    client = client_for(operator)

    response = client.post(
        reverse("intake:submit", args=[mixed.pk]), {"left_out": "1"}, follow=True
    )

    assert "Usulan diserahkan" in " ".join(messages_of(response))
    assert not response.context["can_edit"]
    row = mixed.rows.get(row_number=6)
    edited = client.post(
        reverse("intake:row_edit", args=[row.pk]),
        {"revision": "1", "nik": "3504095208750001", "name": "Sumarni"},
    )
    assert "terkunci" in edited.content.decode()


def test_handing_in_with_rejected_rows_asks_first_and_says_how_many_are_left_out(operator, mixed):
    client = client_for(operator)
    detail = client.get(reverse("intake:detail", args=[mixed.pk])).content.decode()
    assert f'<a class="button primary" href="/usulan/{mixed.pk}/serahkan/">' in detail

    asked = client.post(reverse("intake:submit", args=[mixed.pk]))

    html = asked.content.decode()
    assert asked.status_code == 200
    assert "1 baris masih ditolak dan tidak ikut diserahkan." in html
    assert "Serahkan tanpa 1 baris ditolak" in html
    mixed.refresh_from_db()
    assert mixed.status == SubmissionStatus.DRAFT

    confirmed = client.post(reverse("intake:submit", args=[mixed.pk]), {"left_out": "1"})

    assert confirmed.url == reverse("intake:detail", args=[mixed.pk])
    mixed.refresh_from_db()
    assert mixed.status == SubmissionStatus.SUBMITTED


def test_a_confirmation_of_another_count_of_rejected_rows_asks_again(operator, mixed):
    response = client_for(operator).post(
        reverse("intake:submit", args=[mixed.pk]), {"left_out": "2"}
    )

    assert "1 baris masih ditolak" in response.content.decode()
    mixed.refresh_from_db()
    assert mixed.status == SubmissionStatus.DRAFT


def test_an_agency_deletes_its_draft_after_confirming_and_the_audit_says_what_went(
    operator, mixed, upload_dir, django_capture_on_commit_callbacks
):
    client = client_for(operator)
    stored = upload_dir / mixed.file.stored_name
    assert stored.exists()

    asked = client.get(reverse("intake:delete", args=[mixed.pk]))
    assert "File daftar.csv dan 5 baris di dalamnya akan dihapus." in asked.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:delete", args=[mixed.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("intake:list")
    assert f"Usulan #{mixed.pk} dihapus." in messages_of(response)
    assert not Submission.objects.filter(pk=mixed.pk).exists()
    assert SubmissionRow.objects.count() == ImportJob.objects.count() == 0
    assert UploadedFile.objects.count() == 0
    assert not stored.exists()
    event = AuditEvent.objects.get(action="submission.deleted")
    assert event.object_id == str(mixed.pk)
    assert (event.changes["file"], event.changes["rows"], event.changes["rejected"]) == (
        "daftar.csv",
        5,
        1,
    )


def test_a_handed_in_list_cannot_be_deleted(operator, mixed):
    submission_submit(actor=operator, submission=mixed)
    client = client_for(operator)

    detail = client.get(reverse("intake:detail", args=[mixed.pk])).content.decode()
    response = client.post(reverse("intake:delete", args=[mixed.pk]), follow=True)

    assert "Hapus draf" not in detail
    assert "tidak dapat dihapus" in " ".join(messages_of(response))
    assert Submission.objects.filter(pk=mixed.pk).exists()


def test_a_verifier_cannot_delete_a_draft(verifier, mixed):
    response = client_for(verifier).post(reverse("intake:delete", args=[mixed.pk]))

    assert response.status_code == 403
    assert Submission.objects.filter(pk=mixed.pk).exists()


def test_an_admin_deletes_an_agencys_abandoned_walk_in_batch(admin, operator, program, agency):
    client_for(operator).post(
        reverse("intake:entry"), {"program": program.pk, **WALK_IN, "keep_rejected": "1"}
    )
    batch = Submission.objects.get()

    response = client_for(admin).post(reverse("intake:delete", args=[batch.pk]))

    assert response.url == reverse("intake:list")
    assert Submission.objects.count() == 0
    event = AuditEvent.objects.get(action="submission.deleted")
    assert (event.changes["source"], event.changes["rows"]) == ("entry", 1)


# --- the feedback spreadsheet --------------------------------------------------------------

FORMULA_NAMES = ['=HYPERLINK("http://x.example","klik")', "+SUM(1,2)", "-Budi", "@Ani"]


def test_the_feedback_file_lists_rows_with_their_outcome_and_never_a_formula(
    operator, program, agency
):
    rows = [
        ["3504096804874842", FORMULA_NAMES[0], "28-04-1987", "P", "Nelayan"],
        ["3504095806010862", FORMULA_NAMES[1], "18-06-2001", "P", "Nelayan"],
        ["3504074710880241", FORMULA_NAMES[2], "07-10-1988", "P", "Nelayan"],
        ["3504034601761119", FORMULA_NAMES[3], "06-01-1976", "P", "Nelayan"],
        MISMATCH_ROW,
    ]
    submission = import_bytes(
        actor=operator,
        program=program,
        agency=agency,
        data=csv_bytes([["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Pekerjaan"], *rows]),
    )

    response = client_for(operator).get(reverse("intake:feedback", args=[submission.pk]))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(body(response))).active
    table = list(sheet.iter_rows())
    assert [c.value for c in table[0][:4]] == ["Lembar", "Baris", "Status", "Alasan"]
    assert [c.value for c in table[0][4:6]] == ["NIK", "Nama"]
    assert [c.data_type for row in table for c in row if c.data_type == "f"] == []
    names = [row[5].value for row in table[1:]]
    assert names[:4] == ["'" + name for name in FORMULA_NAMES]
    for row in table[1:]:
        nik = row[4]
        assert (nik.data_type, nik.number_format) == ("s", "@")
    by_status = {row[2].value: row[0].fill.fgColor.rgb for row in table[1:]}
    assert by_status["Ditolak"].endswith("FDE2E2")
    assert by_status["Diterima"].endswith("E4F4EA")
    rejected = next(row for row in table[1:] if row[2].value == "Ditolak")
    assert rejected[1].value == 6
    assert "tanggal lahir" in rejected[3].value.lower()
    event = AuditEvent.objects.get(action="submission.feedback_exported")
    assert event.object_id == str(submission.pk)
    assert event.changes == {"rows": 5, "full_nik": True}


def test_the_feedback_file_keeps_a_damaged_nik_as_text_digits(operator, program, agency):
    submission = import_bytes(
        actor=operator, program=program, agency=agency, data=damaged_nik_xlsx(), filename="a.xlsx"
    )

    response = client_for(operator).get(reverse("intake:feedback", args=[submission.pk]))

    sheet = load_workbook(io.BytesIO(body(response))).active
    nik = sheet.cell(row=2, column=5)
    assert (nik.value, nik.data_type, nik.number_format) == ("3504196005906740", "s", "@")


# --- the template spreadsheet --------------------------------------------------------------


def test_the_template_has_instructions_a_text_nik_column_and_drop_downs(operator, program):
    response = client_for(operator).get(reverse("intake:template", args=[program.pk]))

    workbook = load_workbook(io.BytesIO(body(response)))
    assert workbook.sheetnames == ["Petunjuk", "Daftar Pekerja", "Pilihan"]
    assert workbook["Pilihan"].sheet_state == "hidden"
    assert workbook.active.title == "Daftar Pekerja"
    sheet = workbook["Daftar Pekerja"]
    assert sheet["B1"].value == "NIK"
    assert sheet["B2"].number_format == "@"
    assert sheet["B5001"].number_format == "@"
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert validations["F2:F5001"] == '"L,P"'
    occupations = workbook["Pilihan"]
    assert validations["L2:L5001"] == f"=Pilihan!$A$1:$A${occupations.max_row}"
    assert "Nelayan" in [c.value for c in occupations["A"]]
    assert "Petunjuk pengisian" in workbook["Petunjuk"]["A1"].value


def test_the_template_of_another_pemdas_program_is_not_found(foreign_admin, program):
    response = client_for(foreign_admin).get(reverse("intake:template", args=[program.pk]))

    assert response.status_code == 404


# --- walk-in entry -------------------------------------------------------------------------

WALK_IN = {
    "nik": "3504096804874842",
    "name": "Suwarni",
    "birth_place": "Tulungagung",
    "birth_date": "28-04-1987",
    "sex": "P",
    "district": "Ngunut",
    "occupation": "Nelayan",
}


def test_the_live_check_explains_in_indonesian_what_is_wrong(operator, program):
    response = client_for(operator).post(
        reverse("intake:entry_check"), {"program": program.pk, **WALK_IN, "sex": "L"}
    )

    html = response.content.decode()
    assert "<h1>" not in html
    assert "Belum dapat diterima" in html
    assert "jenis kelamin" in html.lower()
    assert SubmissionRow.objects.count() == 0


def test_the_live_check_accepts_a_consistent_worker(operator, program):
    response = client_for(operator).post(
        reverse("intake:entry_check"), {"program": program.pk, **WALK_IN}
    )

    html = response.content.decode()
    assert "Data lengkap dan sesuai." in html
    assert "<li>" not in html


def test_saving_a_walk_in_worker_adds_a_row_to_the_entry_batch(operator, program, agency):
    client = client_for(operator)

    response = client.post(reverse("intake:entry"), {"program": program.pk, **WALK_IN})

    assert response.url == f"{reverse('intake:entry')}?program={program.pk}"
    row = SubmissionRow.objects.get()
    assert (row.agency, row.name, row.outcome) == (agency, "Suwarni", RowOutcome.ACCEPTED)
    assert row.submission.source == "entry"
    page = client.get(response.url)
    assert "Suwarni tersimpan di usulan" in " ".join(messages_of(page))


@pytest.mark.parametrize("value", ["abc", "1; DROP TABLE", "-1", "99999"])
def test_a_made_up_program_parameter_never_breaks_the_entry_pages(operator, program, value):
    client = client_for(operator)

    page = client.get(reverse("intake:entry"), {"program": value})
    check = client.post(reverse("intake:entry_check"), {"program": value, "nik": "3504"})

    assert page.status_code == 200
    assert check.status_code == 200


def test_a_rejected_walk_in_entry_stays_in_the_form_with_its_reasons(operator, program):
    client = client_for(operator)

    response = client.post(reverse("intake:entry"), {"program": program.pk, **WALK_IN, "sex": "L"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Belum disimpan." in html
    assert "jenis kelamin" in html.lower()
    assert 'value="Suwarni"' in html
    assert 'value="3504096804874842"' in html
    assert "Simpan sebagai ditolak" in html
    assert SubmissionRow.objects.count() == 0
    assert Submission.objects.count() == 0


def test_a_rejected_walk_in_entry_is_saved_as_rejected_only_on_purpose(operator, program):
    client = client_for(operator)

    response = client.post(
        reverse("intake:entry"),
        {"program": program.pk, **WALK_IN, "sex": "L", "keep_rejected": "1"},
        follow=True,
    )

    row = SubmissionRow.objects.get()
    assert row.outcome == RowOutcome.REJECTED
    assert "tersimpan sebagai ditolak" in " ".join(messages_of(response))


def test_a_nik_already_in_the_batch_is_warned_of_live_and_refused_on_save(operator, program):
    client = client_for(operator)
    client.post(reverse("intake:entry"), {"program": program.pk, **WALK_IN})
    again = {**WALK_IN, "name": "Suwarni Dua"}

    check = client.post(reverse("intake:entry_check"), {"program": program.pk, **again})
    saved = client.post(reverse("intake:entry"), {"program": program.pk, **again})
    kept = client.post(
        reverse("intake:entry"), {"program": program.pk, **again, "keep_rejected": ""}
    )

    assert "NIK sama dengan baris 1" in check.content.decode()
    html = saved.content.decode()
    assert "sudah ada di usulan input langsung ini" in html
    assert "Simpan sebagai ditolak" not in html
    assert 'value="Suwarni Dua"' in html
    assert kept.status_code == 200
    assert SubmissionRow.objects.count() == 1
