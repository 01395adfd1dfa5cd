"""Helpers shared by the intake commands."""

from __future__ import annotations

from lindung.common.tabular.values import formula_safe
from lindung.intake.models import Submission, SubmissionRow


def csv_safe(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (ASVS 1.2.10), neutralised as
    every file Lindung writes (`lindung.common.tabular.values.formula_safe`)."""
    return formula_safe("" if value is None else str(value))


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
