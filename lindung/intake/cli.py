"""Helpers shared by the intake commands."""

from __future__ import annotations

from lindung.intake.models import Submission, SubmissionRow

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (ASVS 1.2.10)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_TRIGGERS) else text


def nik_as_written(row: SubmissionRow, submission: Submission) -> str:
    """The cleaned NIK, or the cell as the agency wrote it when it could not be cleaned."""
    if row.nik:
        return row.nik
    for sheet in submission.layout.get("sheets", []):
        if sheet.get("name") == row.sheet:
            column = (sheet.get("columns") or {}).get("nik")
            if column is not None and column < len(row.raw):
                value = row.raw[column]
                if isinstance(value, float) and value.is_integer():
                    return str(int(value))
                return "" if value is None else str(value)
    return ""
