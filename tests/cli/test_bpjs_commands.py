"""`lindung bpjs export|import-result`, `lindung participants import`, `lindung enrolment end`."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.common.commands import UsageError
from lindung.enrollment.models import BpjsExport
from lindung.workers.models import Enrolment, EnrolmentStatus
from tests.enrollment.bpjs_files import write_csv, write_xlsx
from tests.factories import EnrolmentFactory, UserFactory, WorkerFactory

LINDUNG = Path(sys.executable).parent / "lindung"
CODE = "pekerja-rentan-2025"
BUDI, ANI = "3504011208750001", "3504015708800002"


def run_json(*args: str) -> dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def approved_people(program, funding_source):
    return [
        EnrolmentFactory(
            program=program,
            worker=WorkerFactory(pemda=program.pemda, nik=nik, name=name),
            funding_source=funding_source,
            status=EnrolmentStatus.APPROVED,
            kpj="",
            started_on=None,
        )
        for nik, name in ((BUDI, "Budi"), (ANI, "Ani"))
    ]


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_writes_the_registration_file_named_by_its_extension(
    program, approved_people, tmp_path, suffix
):
    out = tmp_path / f"daftar.{suffix}"

    payload = run_json("bpjs", "export", "--program", CODE, "--out", str(out))

    assert payload["count"] == 2
    assert payload["format"] == suffix
    assert out.is_file()
    if suffix == "xlsx":
        assert load_workbook(out).active.cell(row=2, column=2).data_type == "s"
    assert BpjsExport.objects.get().created_by is None
    assert AuditEvent.objects.get(action="bpjs.registration_exported").actor_label == "cli"
    assert not Enrolment.objects.filter(status=EnrolmentStatus.APPROVED).exists()


def test_export_names_the_user_who_acted(program, approved_people, verifier, tmp_path):
    run_json(
        "bpjs", "export", "--program", CODE, "--out", str(tmp_path / "a.csv"), "--user", "erin"
    )

    assert BpjsExport.objects.get().created_by == verifier


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--out", "daftar.pdf"], "--out harus berakhiran .xlsx atau .csv."),
        (["--out", "/tidak/ada/daftar.csv"], "tidak ditemukan"),
        (["--out", "daftar.csv", "--user", "tidak-ada"], "Pengguna 'tidak-ada' tidak ditemukan"),
    ],
)
def test_export_refuses_a_wrong_argument_in_one_indonesian_line(
    program, approved_people, args, says
):
    with pytest.raises(UsageError, match=says):
        run_json("bpjs", "export", "--program", CODE, *args)


def test_export_refuses_a_user_without_the_role(program, approved_people, finance, tmp_path):
    with pytest.raises(UsageError, match="tidak berwenang"):
        run_json(
            "bpjs", "export", "--program", CODE, "--out", str(tmp_path / "a.csv"), "--user", "bpkad"
        )


def test_import_result_reports_activated_rejected_and_unmatched(program, approved_people, tmp_path):
    rows = [
        ["HASIL PENDAFTARAN"],
        ["No. KTP", "Nama TK", "No. KPJ", "TMT", "Status", "Alasan"],
        [BUDI, "Budi", "25012345678", "01-09-2025", "DITERIMA", ""],
        [ANI, "Ani", "", "", "DITOLAK", "Sudah terdaftar PU"],
        ["3504011111700009", "Lain", "25099999999", "01-09-2025", "DITERIMA", ""],
    ]
    path = write_xlsx(tmp_path / "hasil.xlsx", rows)

    first = run_json("bpjs", "import-result", str(path), "--program", CODE)
    second = run_json("bpjs", "import-result", str(path), "--program", CODE)

    assert (first["activated"], first["rejected"], first["unmatched"]) == (1, 1, 1)
    assert (second["activated"], second["rejected"], second["unmatched"]) == (0, 0, 1)


def test_import_result_of_a_file_without_nik_is_a_usage_error(program, tmp_path):
    path = write_csv(tmp_path / "hasil.csv", [["Nama", "KPJ"], ["Budi", "1"]])

    with pytest.raises(UsageError, match="Kolom NIK tidak ditemukan"):
        run_json("bpjs", "import-result", str(path), "--program", CODE)


def test_participants_import_reports_imported_matched_and_problems(
    program, funding_source, tmp_path
):
    rows = [
        ["NIK", "Nama Peserta", "KPJ", "Tgl Kepesertaan", "Kode Dana", "Status Kepesertaan"],
        [BUDI, "Budi", "25000001", "01-02-2025", "SG", "AKTIF"],
        [ANI, "Ani", "25000002", "01-02-2025", "SB", "AKTIF"],
    ]

    payload = run_json(
        "participants", "import", str(write_xlsx(tmp_path / "p.xlsx", rows)), "--program", CODE
    )

    assert {k: payload[k] for k in ("imported", "matched_to_submissions", "problems")} == {
        "imported": 1,
        "matched_to_submissions": 0,
        "problems": 1,
    }


def test_enrolment_end_ends_the_participant_of_that_nik(program, verifier):
    enrolment = EnrolmentFactory(
        program=program, worker=WorkerFactory(pemda=program.pemda, nik=BUDI)
    )

    payload = run_json(
        "enrolment", "end", "--program", CODE, "--nik", BUDI, "--reason", "deceased",
        "--date", "2025-10-05", "--user", "erin",
    )  # fmt: skip

    assert payload["status"] == "ended"
    assert payload["ended_on"] == "2025-10-05"
    enrolment.refresh_from_db()
    assert enrolment.worker.died_on == dt.date(2025, 10, 5)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--nik", ANI, "--date", "2025-10-05", "--user", "erin"], "bukan peserta program"),
        (["--nik", BUDI, "--date", "05-10-2025", "--user", "erin"], "--date harus berformat"),
        (["--nik", BUDI, "--date", "2024-10-05", "--user", "erin"], "sebelum mulai"),
        (["--nik", BUDI, "--date", "2025-10-05", "--user", "bob"], "tidak ditemukan"),
    ],
)
def test_enrolment_end_refuses_in_one_indonesian_line(program, verifier, args, says):
    EnrolmentFactory(program=program, worker=WorkerFactory(pemda=program.pemda, nik=BUDI))

    with pytest.raises(UsageError, match=says):
        run_json("enrolment", "end", "--program", CODE, "--reason", "moved", *args)


def test_enrolment_end_refuses_an_operator(program, operator):
    EnrolmentFactory(program=program, worker=WorkerFactory(pemda=program.pemda, nik=BUDI))
    UserFactory(username="petugas", pemda=program.pemda, role=Role.BPJS_OFFICER)

    for username in ("bob", "petugas"):
        with pytest.raises(UsageError):
            run_json(
                "enrolment", "end", "--program", CODE, "--nik", BUDI, "--reason", "moved",
                "--date", "2025-10-05", "--user", username,
            )  # fmt: skip


@pytest.fixture(scope="module")
def console_env(tmp_path_factory):
    """A throw-away SQLite database of our own, migrated once for this module."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(LINDUNG_ENV="test", LINDUNG_VAR_DIR=str(tmp_path_factory.mktemp("lindung-var")))
    subprocess.run([LINDUNG, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    return env


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["bpjs", "export", "--program", "x"], "argumen wajib belum diisi: --out"),
        (["bpjs", "import-result", "/tidak/ada.xlsx", "--program", "x"], "tidak ditemukan"),
        (["participants"], "argumen wajib belum diisi: import"),
        (
            [
                "enrolment",
                "end",
                "--program",
                "x",
                "--nik",
                "1",
                "--reason",
                "bosan",
                "--date",
                "2025-01-01",
                "--user",
                "u",
            ],
            "pilihan tidak dikenal: 'bosan'",
        ),
    ],
)
def test_the_console_script_exits_2_with_one_indonesian_line(console_env, args, says):
    result = subprocess.run(
        [LINDUNG, *args], env=console_env, capture_output=True, text=True, timeout=120, check=False
    )

    lines = result.stderr.splitlines()
    assert result.returncode == 2
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Kesalahan: ")
    assert says in lines[0]
