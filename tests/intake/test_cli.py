"""The intake commands: `intake` imports a file as an agency's list, `intake-result` writes
each row's outcome to CSV, `program list` and `agency list` give the codes to use."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from lindung.audit.models import AuditEvent
from lindung.common.commands import UsageError
from lindung.intake.models import RowOutcome, Submission, SubmissionStatus, UploadedFile
from tests.intake.conftest import SAMPLES, csv_bytes

LINDUNG = Path(sys.executable).parent / "lindung"
BECAK = SAMPLES / "satpolpp-becak.csv"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def intake(path: Path, *extra: str) -> dict[str, object]:
    """`lindung intake FILE --program pekerja-rentan-2025 --agency perikanan --json`."""
    codes = ("--program", "pekerja-rentan-2025", "--agency", "perikanan")
    return json.loads(run("intake", str(path), *codes, "--json", *extra))


def test_importing_the_becak_list_reports_its_counts(program, agency):
    result = intake(BECAK)

    # From samples_expected/satpolpp-becak.csv: 358 ok + 13 ok_cleaned = 371 usable; 14
    # nik_invalid + 11 nik_mismatch + 3 nik_missing + 1 dup_in_file = 29 rejected; the TOTAL
    # line is ignored; 400 people + TOTAL = 401 rows stored.
    assert result["rows"] == 401
    assert result["accepted"] + result["accepted_with_warnings"] == 371
    # With warnings: the 13 cleaned NIKs, 15 blank birth dates taken from the NIK, 7 village
    # names spelt loosely, 1 row with both, 1 NIK whose district code Tulungagung lacks.
    assert (result["accepted"], result["accepted_with_warnings"]) == (334, 37)
    assert (result["rejected"], result["ignored"]) == (29, 1)
    assert result["status"] == SubmissionStatus.SUBMITTED
    assert result["duplicate"] is False
    submission = Submission.objects.get(pk=result["submission"])
    assert (submission.agency, submission.rows_total) == (agency, 401)
    assert submission.submitted_at is not None
    assert AuditEvent.objects.filter(action="submission.submitted").exists()


def test_a_draft_import_stays_a_draft(program, agency):
    result = intake(BECAK, "--draft")

    assert result["status"] == SubmissionStatus.DRAFT
    assert Submission.objects.get(pk=result["submission"]).submitted_at is None


def test_importing_the_same_file_again_returns_the_same_submission(program, agency):
    first = intake(BECAK)

    again = intake(BECAK)

    assert again["submission"] == first["submission"]
    assert again["duplicate"] is True
    assert Submission.objects.count() == UploadedFile.objects.count() == 1


def test_the_plain_output_is_one_indonesian_sentence(program, agency):
    out = run("intake", str(BECAK), "--program", "pekerja-rentan-2025", "--agency", "perikanan")

    assert "401 baris, " in out
    assert "29 ditolak, 1 diabaikan." in out


def two_month_workbook(path: Path) -> Path:
    workbook = Workbook()
    january = workbook.active
    january.title = "Januari"
    february = workbook.create_sheet("Februari")
    for sheet, rows in (
        (january, [["3504096804874842", "Suwarni"], ["3504095806010862", "Siti Aminah"]]),
        (february, [["3504074710880241", "Lestari"]]),
    ):
        sheet.append(["NIK", "Nama", "Tanggal Lahir"])
        for row in rows:
            sheet.append([*row, ""])
    workbook.save(path)
    return path


def test_sheet_picks_one_sheet_of_a_workbook(program, agency, tmp_path):
    path = two_month_workbook(tmp_path / "dua-bulan.xlsx")

    result = intake(path, "--sheet", "Februari")

    submission = Submission.objects.get(pk=result["submission"])
    assert list(submission.rows.values_list("sheet", "row_number", "nik")) == [
        ("Februari", 2, "3504074710880241")
    ]


def test_without_sheet_every_sheet_of_the_same_layout_is_imported(program, agency, tmp_path):
    path = two_month_workbook(tmp_path / "dua-bulan.xlsx")

    result = intake(path)

    assert result["rows"] == 3
    submission = Submission.objects.get(pk=result["submission"])
    assert list(submission.rows.values_list("sheet", "row_number")) == [
        ("Februari", 2),
        ("Januari", 2),
        ("Januari", 3),
    ]


def test_an_unknown_sheet_is_a_usage_error(program, agency, tmp_path):
    path = two_month_workbook(tmp_path / "dua-bulan.xlsx")

    with pytest.raises(UsageError, match="Lembar 'Maret' tidak ditemukan"):
        intake(path, "--sheet", "Maret")
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--program", "tidak-ada", "--agency", "perikanan"], "Program dengan kode 'tidak-ada'"),
        (["--program", "pekerja-rentan-2025", "--agency", "dinsos"], "Instansi dengan kode"),
    ],
)
def test_an_unknown_program_or_agency_is_a_usage_error(program, agency, args, says):
    with pytest.raises(UsageError, match=says):
        run("intake", str(BECAK), *args)


def test_a_file_too_long_to_read_is_refused_and_not_kept(
    program, agency, tmp_path, settings, upload_dir
):
    settings.INTAKE_MAX_ROWS = 3  # the reader allows 50 more rows for titles and headers
    path = tmp_path / "panjang.csv"
    path.write_bytes(csv_bytes([["NIK", "Nama"]] + [["3504096804874842", "Ani"]] * 60))

    with pytest.raises(UsageError, match="baris"):
        intake(path)

    assert UploadedFile.objects.count() == 0
    assert [p for p in upload_dir.rglob("*") if p.is_file()] == []
    assert AuditEvent.objects.filter(action="upload.refused").count() == 1


# --- intake-result -------------------------------------------------------------------------


def result_rows(submission_id: object, out: Path) -> list[dict[str, str]]:
    run("intake-result", str(submission_id), "--out", str(out))
    with out.open(encoding="utf-8", newline="") as handle:
        assert handle.readline().strip() == "row_number,nik,name,outcome,reasons"
        handle.seek(0)
        return list(csv.DictReader(handle))


def test_the_result_file_has_a_line_per_row_at_its_spreadsheet_row(program, agency, tmp_path):
    result = intake(BECAK)

    lines = result_rows(result["submission"], tmp_path / "hasil.csv")

    assert len(lines) == 401
    by_row = {int(line["row_number"]): line for line in lines}
    # Row 21 wrote the NIK as 35.04.08.4405068843: cleaned to its digits.
    assert by_row[21]["nik"] == "3504084405068843"
    assert by_row[21]["outcome"] == RowOutcome.ACCEPTED_WITH_WARNINGS
    assert "NIK dirapikan" in by_row[21]["reasons"]
    # Row 2: a well-formed NIK that disagrees with the stated birth date or sex.
    assert by_row[2]["outcome"] == RowOutcome.REJECTED
    assert by_row[2]["nik"] == "3504022907696320"
    assert by_row[max(by_row)]["outcome"] == RowOutcome.IGNORED


def test_the_result_file_shows_a_nik_as_written_when_it_cannot_be_cleaned(
    program, agency, tmp_path
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin"])
    sheet.append([3504196005906740, "Sutinah", "20-05-1990", "P"])  # a number cell: damaged
    sheet.append(["35040968X4874842", "Suwarni", "28-04-1987", "P"])  # a letter X
    sheet.append(["3504096804874842", "Suwarni", "", ""])  # birth date and sex from the NIK
    path = tmp_path / "rusak.xlsx"
    workbook.save(path)
    result = intake(path)

    lines = result_rows(result["submission"], tmp_path / "hasil.csv")

    assert [line["nik"] for line in lines] == [
        "3504196005906740",
        "35040968X4874842",
        "3504096804874842",
    ]
    assert [line["outcome"] for line in lines] == [
        RowOutcome.REJECTED,
        RowOutcome.REJECTED,
        RowOutcome.ACCEPTED_WITH_WARNINGS,
    ]
    # Two warnings, joined by "; ".
    assert lines[2]["reasons"] == (
        "Tanggal lahir kosong; diambil dari NIK (28-04-1987).; "
        "Jenis kelamin kosong; diambil dari NIK (perempuan)."
    )


def test_the_result_file_neutralises_names_a_spreadsheet_would_run(program, agency, tmp_path):
    path = tmp_path / "rumus.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["NIK", "Nama"],
                ["3504096804874842", '=HYPERLINK("http://x.example")'],
                ["3504095806010862", "+Siti"],
                ["3504074710880241", "@Lestari"],
                ["3504034601761119", "-Sri"],
            ]
        )
    )
    result = intake(path)

    lines = result_rows(result["submission"], tmp_path / "hasil.csv")

    assert [line["name"] for line in lines] == [
        '\'=HYPERLINK("http://x.example")',
        "'+Siti",
        "'@Lestari",
        "'-Sri",
    ]


def test_an_unknown_submission_is_a_usage_error(db, tmp_path):
    with pytest.raises(UsageError, match="Usulan #999 tidak ditemukan"):
        run("intake-result", "999", "--out", str(tmp_path / "hasil.csv"))


# --- the codes to use ----------------------------------------------------------------------


def test_program_and_agency_lists_give_the_codes(program, agency, other_agency, other_pemda):
    programs = json.loads(run("program", "list", "--json"))
    agencies = json.loads(run("agency", "list", "--program", "pekerja-rentan-2025", "--json"))

    assert [p["code"] for p in programs] == ["pekerja-rentan-2025"]
    assert programs[0]["pemda"] == "tulungagung"
    assert {a["code"] for a in agencies} == {"perikanan", "dishub"}


# --- the real console script ---------------------------------------------------------------


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
        (["intake", "/tidak/ada.csv", "--program", "x", "--agency", "y"], "tidak ditemukan"),
        (
            ["intake", str(BECAK), "--program", "tidak-ada", "--agency", "y"],
            "Program dengan kode 'tidak-ada' tidak ditemukan.",
        ),
        (["intake", str(BECAK)], "argumen wajib belum diisi: --program, --agency"),
        (["intake-result", "1"], "argumen wajib belum diisi: --out"),
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
    assert result.stdout == ""
