"""The feedback file: reasons and verification notes read as sentences, not as messages glued
together with "; " (issue 8)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from lindung.intake import selectors
from lindung.intake.exports import (
    RowVerification,
    SubmissionVerification,
    feedback_workbook,
    read_back,
    sentences,
)
from tests.intake.conftest import good_csv

# A NIK of 15 digits with a birth date that is no date: two reasons on one row.
TWO_REASONS = ["350409680487000", "Sumarni", "31-02-1975", "P", "Nelayan"]


def feedback_rows(submission, verification=None) -> dict[int, dict[str, object]]:
    buffer = io.BytesIO()
    feedback_workbook(
        submission,
        selectors.submission_rows(submission=submission),
        buffer,
        verification=verification,
    )
    buffer.seek(0)
    workbook = load_workbook(buffer, read_only=True)
    rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return {r[1]: dict(zip(rows[0], r, strict=False)) for r in rows[1:]}


def test_messages_are_joined_as_sentences_each_said_once():
    joined = sentences(
        [
            "Tercatat meninggal dunia (DTKS).",
            "  Sudah menjadi peserta program ini.",
            "Tercatat meninggal dunia (DTKS).",
            "",
            "Ada di DTKS per 01-01-2026, desil 3",
        ]
    )

    assert joined == (
        "Tercatat meninggal dunia (DTKS). Sudah menjadi peserta program ini. "
        "Ada di DTKS per 01-01-2026, desil 3."
    )


def test_the_feedback_file_joins_reasons_and_verification_notes_cleanly(imported):
    submission = imported(good_csv(TWO_REASONS))
    row = submission.rows.get(row_number=6)
    assert len(row.issues) >= 2
    verification = SubmissionVerification(
        label="Verifikasi #1",
        counts={"ineligible": 1},
        rows={
            row.pk: RowVerification(
                verdict="ineligible",
                verdict_label="Tidak memenuhi syarat",
                findings=(
                    "Tercatat meninggal dunia (data kepesertaan).",
                    "NIK tidak valid: NIK harus 16 digit angka (tertulis 15 digit).",
                    "Tidak ditemukan di DTKS per 01-11-2026.",
                ),
                register_match="",
            )
        },
    )

    by_row = feedback_rows(submission, verification)

    notes = str(by_row[6]["Keterangan verifikasi"])
    assert notes == (
        "Tercatat meninggal dunia (data kepesertaan). NIK tidak valid: NIK harus 16 digit "
        "angka (tertulis 15 digit). Tidak ditemukan di DTKS per 01-11-2026."
    )
    reasons = str(by_row[6]["Alasan"])
    assert ".;" not in reasons
    assert ".." not in reasons
    assert reasons == " ".join(issue["message"] for issue in row.issues)
    assert by_row[2]["Alasan"] is None
    assert by_row[2]["Keterangan verifikasi"] is None


def test_text_protected_from_being_a_formula_reads_back_as_written():
    assert read_back("'-") == "-"
    assert read_back("'=SUM(A1)") == "=SUM(A1)"
    assert read_back("'Jumat") == "'Jumat"
    assert read_back(12) == 12
