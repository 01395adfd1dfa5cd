"""Hand-in, corrections and walk-in entries cannot overtake each other (ASVS 2.3.4): every
change to a draft bumps its version under a conditional UPDATE."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from lindung.common.commands import UsageError
from lindung.common.errors_domain import ServiceError
from lindung.intake import services
from lindung.intake.models import Submission, SubmissionSource, SubmissionStatus
from tests.intake.conftest import csv_bytes, good_csv, receive
from tests.intake.test_services import WALK_IN


def _imported(operator, program, agency):
    uploaded, _created = receive(
        actor=operator, program=program, agency=agency, data=good_csv(), filename="daftar.csv"
    )
    job = services.job_create(
        actor=operator, uploaded=uploaded, layouts=services.file_analyse(uploaded), enqueue=False
    )
    return services.job_run(job_id=job.pk).submission


def test_a_hand_in_prepared_before_a_correction_is_refused_as_stale(operator, program, agency):
    submission = _imported(operator, program, agency)
    stale = Submission.objects.get(pk=submission.pk)  # the page the operator loaded earlier
    row = submission.rows.order_by("row_number").first()

    services.row_correct(
        actor=operator, row=row, values={**WALK_IN, "name": "Suwarni"}, revision=row.revision
    )

    with pytest.raises(ServiceError, match="baru saja diubah"):
        services.submission_submit(actor=operator, submission=stale)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DRAFT


def test_a_correction_after_the_hand_in_is_refused(operator, program, agency):
    submission = _imported(operator, program, agency)
    row = submission.rows.order_by("row_number").first()
    services.submission_submit(actor=operator, submission=submission)
    row.submission.status = SubmissionStatus.DRAFT  # a form opened before the hand-in

    with pytest.raises(ServiceError, match="terkunci"):
        services.row_correct(actor=operator, row=row, values=WALK_IN, revision=row.revision)


def test_an_agency_has_only_one_open_walk_in_batch_per_program(operator, program, agency):
    services.entry_add(actor=operator, program=program, agency=agency, values=WALK_IN)

    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(
            pemda=program.pemda,
            program=program,
            agency=agency,
            source=SubmissionSource.ENTRY,
            status=SubmissionStatus.DRAFT,
        )


def test_the_command_refuses_a_file_without_nik_and_name_columns(program, agency, tmp_path):
    path = tmp_path / "tanpa-nik.csv"
    path.write_bytes(csv_bytes([["Nama", "Alamat"], ["Sutrisno", "Dsn. Krajan"]]))

    with pytest.raises(UsageError, match="belum dapat dikenali"):
        call_command(
            "intake",
            str(path),
            "--program",
            program.code,
            "--agency",
            agency.code,
            "--json",
            stdout=StringIO(),
        )
    assert not Submission.objects.exists()


def test_the_command_imports_a_plain_nik_and_name_list(program, agency, tmp_path):
    path = tmp_path / "nik-nama.csv"
    path.write_bytes(csv_bytes([["NIK", "Nama"], ["3504096804874842", "Suwarni"]]))
    out = StringIO()

    call_command(
        "intake",
        str(path),
        "--program",
        program.code,
        "--agency",
        agency.code,
        "--json",
        stdout=out,
    )

    assert json.loads(out.getvalue())["rows"] == 1
