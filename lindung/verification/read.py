"""Reading a program's rows, the people it already enrolled and its verifiers' decisions
into polars frames for a verification run (raw SQL through `read_frame`: the ORM would build
a Python object per row)."""

from __future__ import annotations

from typing import Any, Final

import polars as pl
from django.db import connection

from lindung.common.bulk import read_frame
from lindung.intake.models import Submission, SubmissionRow, SubmissionStatus
from lindung.programs.models import Program
from lindung.verification.models import DecisionKind, ReviewDecision
from lindung.workers.models import HOLDS_SLOT, EndReason, Enrolment, EnrolmentStatus, Worker


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _text(column: str) -> str:
    return f"{column}::text" if connection.vendor == "postgresql" else column


_ISSUES: Final = pl.List(
    pl.Struct({"field": pl.String, "code": pl.String, "message": pl.String, "severity": pl.String})
)


_ROWS_OF: Final = """
    FROM {rows} r JOIN {submissions} s ON s.id = r.submission_id
    WHERE s.pemda_id = %s AND s.program_id = %s AND s.status IN (%s, %s)
      AND r.outcome <> 'ignored'
"""


def _rows_of(program: Program) -> tuple[str, list[Any]]:
    """The FROM and WHERE of the program's handed-in rows, and their parameters."""
    sql = _ROWS_OF.format(rows=_table(SubmissionRow), submissions=_table(Submission))
    params: list[Any] = [
        program.pemda_id,
        program.pk,
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.IN_VERIFICATION,
    ]
    return sql, params


def count_rows(program: Program) -> int:
    """How many rows `read_rows` will read."""
    where, params = _rows_of(program)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {where}", params)
        return int(cursor.fetchone()[0])


def read_rows(program: Program) -> pl.DataFrame:
    """Every row of the program's handed-in submissions (blank and total rows aside)."""
    where, params = _rows_of(program)
    sql = f"""
        SELECT r.id, r.submission_id, r.agency_id, r.row_number, r.nik, r.kk, r.name,
               r.birth_date, r.sex, r.district_id, r.village_id, r.occupation_id,
               {_text("r.issues")}, r.outcome
        {where}
        ORDER BY r.id
    """
    schema = {
        "row_id": pl.Int64(), "submission_id": pl.Int64(), "agency_id": pl.Int64(),
        "row_number": pl.Int64(), "nik": pl.String(), "kk": pl.String(), "name": pl.String(),
        "birth_date": pl.Date(), "sex": pl.String(), "district": pl.String(),
        "village": pl.String(), "occupation_id": pl.Int64(), "issues": pl.String(),
        "intake_outcome": pl.String(),
    }  # fmt: skip
    frame = read_frame(sql, params, schema)
    # Issues as intake stored them (JSON text; PostgreSQL reorders the keys).
    issues = pl.col("issues").fill_null("[]").str.json_decode(_ISSUES)
    nik_issues = issues.list.eval(
        pl.element().filter(pl.element().struct.field("field") == "nik").struct.field("message")
    )
    # A birth date written as the year alone is refused by intake ("date_incomplete", the
    # year quoted in its message); matching still grades the year (`birth_year`).
    year_issue = issues.list.eval(
        pl.element()
        .filter(
            (pl.element().struct.field("field") == "birth_date")
            & (pl.element().struct.field("code") == "date_incomplete")
        )
        .struct.field("message")
    )
    return frame.with_columns(
        codes=issues.list.eval(pl.element().struct.field("code")),
        nik_message=nik_issues.list.join(" "),
    ).with_columns(
        nik_damaged=pl.col("codes").list.contains("nik_excel_damaged"),
        birth_date_from_nik=pl.col("codes").list.contains("birth_date_from_nik"),
        birth_year=year_issue.list.first()
        .str.extract(r"\((\d{4})\)", 1)
        .cast(pl.Int32, strict=False),
    )


def read_known_people(program: Program) -> pl.DataFrame:
    """Workers of the Pemda holding a place in this program (approved, sent or active), active
    in last year's (or ended there), or known dead: one line per worker with those three
    flags."""
    previous = list(
        Program.objects.filter(pemda_id=program.pemda_id, year=program.year - 1).values_list(
            "pk", flat=True
        )
    )
    in_previous = ", ".join(["%s"] * len(previous)) or "NULL"
    sql = f"""
        SELECT w.id, w.nik, w.name, w.birth_date, w.sex, SUBSTR(w.village_id, 1, 8),
          MAX(CASE WHEN e.program_id = %s AND e.status IN (%s, %s, %s) THEN 1 ELSE 0 END),
          MAX(CASE WHEN e.program_id IN ({in_previous}) AND e.status IN (%s, %s) THEN 1 ELSE 0 END),
          MAX(CASE WHEN w.died_on IS NOT NULL OR e.end_reason = %s THEN 1 ELSE 0 END)
        FROM {_table(Worker)} w LEFT JOIN {_table(Enrolment)} e ON e.worker_id = w.id
        WHERE w.pemda_id = %s
        GROUP BY w.id, w.nik, w.name, w.birth_date, w.sex, w.village_id
    """  # noqa: S608
    schema = {
        "record_id": pl.Int64(), "nik": pl.String(), "name": pl.String(),
        "birth_date": pl.Date(), "sex": pl.String(), "district": pl.String(),
        "enrolled": pl.Int64(), "previous": pl.Int64(), "deceased": pl.Int64(),
    }  # fmt: skip
    frame = read_frame(
        sql,
        [
            program.pk,
            *HOLDS_SLOT,
            *previous,
            EnrolmentStatus.ACTIVE,
            EnrolmentStatus.ENDED,
            EndReason.DECEASED,
            program.pemda_id,
        ],
        schema,
    )
    return frame.filter(
        (pl.col("enrolled") + pl.col("previous") + pl.col("deceased")) > 0
    ).with_columns(
        kk=pl.lit("", dtype=pl.String),
        enrolled=pl.col("enrolled").cast(pl.Boolean),
        previous=pl.col("previous").cast(pl.Boolean),
        deceased=pl.col("deceased").cast(pl.Boolean),
    )


def read_decisions(program: Program) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The verifiers' decisions kept for this program: (match decisions, owner decisions)."""
    match_rows = list(
        ReviewDecision.objects.filter(
            program=program, kind=DecisionKind.MATCH, accepted__isnull=False
        ).values_list("row_id", "register_id", "accepted")
    )
    owner_rows = list(
        ReviewDecision.objects.filter(program=program, kind=DecisionKind.DUPLICATE)
        .exclude(owner=None)
        .order_by("decided_at", "pk")
        .values_list("row_id", "owner_id", "accepted")
    )
    matches = pl.DataFrame(
        match_rows,
        schema={"row_id": pl.Int64, "register_id": pl.String, "accepted": pl.Boolean},
        orient="row",
    )
    owners = pl.DataFrame(
        owner_rows,
        schema={"row_id": pl.Int64, "owner": pl.Int64, "same_person": pl.Boolean},
        orient="row",
    )
    return matches, owners
