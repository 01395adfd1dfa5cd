"""The acceptance test of "Agency lists in": every sample agency file imports with the outcome
its expected file gives for each row, at the row number the agency sees in its spreadsheet."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from lindung.intake.models import RowOutcome, SubmissionRow
from tests.intake.conftest import EXPECTED, SAMPLES, import_path

NIK_INVALID = {
    "nik_length",
    "nik_not_digits",
    "nik_province_unknown",
    "nik_regency_unknown",
    "nik_date_invalid",
    "nik_serial_zero",
    "nik_district_zero",
}
NIK_MISMATCH = {"nik_birth_date_mismatch", "nik_sex_mismatch"}
REJECTED_BY = {
    "nik_missing": {"nik_missing"},
    "nik_invalid": NIK_INVALID,
    "nik_excel_damaged": {"nik_excel_damaged"},
    "nik_mismatch": NIK_MISMATCH,
    "dup_in_file": {"dup_in_file"},
}
ACCEPTED = {RowOutcome.ACCEPTED, RowOutcome.ACCEPTED_WITH_WARNINGS}

# file, the agency fixture that hands it in, blank and total rows (not in the expected file)
SAMPLE_FILES = [
    # 602 rows under the header on row 5: 600 people, a blank row and the JUMLAH row.
    ("dinas-perikanan-nelayan.xlsx", "agency", 2),
    # 902 rows under the header on row 2: 900 people, a blank row and the JUMLAH row.
    ("dishub-ojol.xlsx", "other_agency", 2),
    # 401 lines under the header: 400 people and the TOTAL line.
    ("satpolpp-becak.csv", "agency", 1),
    ("disperindag-pedagang.xls", "agency", 0),
    ("desa-perangkat-rt-rw.ods", "village_agency", 0),
]


def expected_rows(filename: str) -> dict[tuple[str, int], dict[str, str]]:
    path = EXPECTED / (filename.rsplit(".", 1)[0] + ".csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["sheet"], int(row["row"])): row for row in csv.DictReader(handle)}


def mismatch(row: SubmissionRow, expect: str) -> str | None:
    """Why ``row`` does not have the expected outcome, or None when it does."""
    codes = {issue["code"] for issue in row.issues}
    if expect == "ok":
        if row.outcome in ACCEPTED:
            return None
    elif expect == "ok_cleaned":
        if row.outcome in ACCEPTED and "nik_cleaned" in codes:
            return None
    elif row.outcome == RowOutcome.REJECTED and codes & REJECTED_BY[expect]:
        return None
    return f"{row.sheet}!{row.row_number}: expected {expect}, got {row.outcome} {sorted(codes)}"


@pytest.mark.parametrize(("filename", "agency_fixture", "ignored"), SAMPLE_FILES)
def test_each_sample_file_imports_with_the_expected_outcome_per_row(
    request, operator, program, filename, agency_fixture, ignored
):
    agency = request.getfixturevalue(agency_fixture)
    expected = expected_rows(filename)

    submission = import_path(
        actor=operator, program=program, agency=agency, path=SAMPLES / filename
    )

    rows = {(r.sheet, r.row_number): r for r in submission.rows.all()}
    missing = sorted(set(expected) - set(rows))
    assert not missing, f"rows of the expected file not stored: {missing[:10]}"
    wrong = [
        problem
        for key, want in expected.items()
        if (problem := mismatch(rows[key], want["expect"])) is not None
    ]
    assert not wrong, f"{len(wrong)} rows differ:\n" + "\n".join(wrong[:20])
    # Every other stored row is a blank or total row: ignored, never rejected.
    extra = {key: row.outcome for key, row in rows.items() if key not in expected}
    assert set(extra.values()) <= {RowOutcome.IGNORED}, extra
    assert len(extra) == ignored

    counts = Counter(row.outcome for row in rows.values())
    assert (
        submission.accepted,
        submission.accepted_with_warnings,
        submission.rejected,
        submission.ignored,
        submission.rows_total,
    ) == (
        counts[RowOutcome.ACCEPTED],
        counts[RowOutcome.ACCEPTED_WITH_WARNINGS],
        counts[RowOutcome.REJECTED],
        counts[RowOutcome.IGNORED],
        len(rows),
    )
    kinds = Counter(want["expect"] for want in expected.values())
    assert submission.accepted + submission.accepted_with_warnings == (
        kinds["ok"] + kinds["ok_cleaned"]
    )
    assert submission.rejected == len(expected) - kinds["ok"] - kinds["ok_cleaned"]
    assert submission.ignored == len(extra)
