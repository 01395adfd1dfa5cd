"""Reading a program's rows, the people it already enrolled and its verifiers' decisions
into polars frames for a verification run (raw SQL read column-wise through `read_columns`:
the ORM would build a Python object per row, `read_frame` one per value)."""

from __future__ import annotations

from typing import Any, Final

import polars as pl
from django.db import connection

from lindung.common.bulk import read_columns
from lindung.intake.models import Submission, SubmissionRow, SubmissionStatus
from lindung.programs.models import Program
from lindung.verification.models import DecisionKind, ReviewDecision
from lindung.workers.models import HOLDS_SLOT, EndReason, Enrolment, EnrolmentStatus, Worker


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _text(column: str) -> str:
    return f"{column}::text" if connection.vendor == "postgresql" else column


def _date(column: str) -> str:
    """A date column as ISO text: on SQLite cast (a date stored under NUMERIC affinity could
    be a number), on PostgreSQL as its JSON writes a date (`read_columns`); `_dates_parsed`
    parses the column at once."""
    return column if connection.vendor == "postgresql" else f"CAST({column} AS TEXT)"


def _dates_parsed(frame: pl.DataFrame, *names: str) -> pl.DataFrame:
    # Text that is no date is read as none, as Django's converter (`parse_date`) read it.
    return frame.with_columns(pl.col(name).str.to_date("%Y-%m-%d", strict=False) for name in names)


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
    """Every row of the program's handed-in submissions (blank and total rows aside), with
    what the run reads from its issues (`_from_issues`)."""
    where, params = _rows_of(program)
    columns = [
        "r.id",
        "r.submission_id",
        "r.agency_id",
        "r.row_number",
        "r.nik",
        "r.kk",
        "r.name",
        _date("r.birth_date"),
        "r.sex",
        "r.district_id",
        "r.village_id",
        "r.occupation_id",
        _text("r.issues"),
    ]
    schema = {
        "row_id": pl.Int64(), "submission_id": pl.Int64(), "agency_id": pl.Int64(),
        "row_number": pl.Int64(), "nik": pl.String(), "kk": pl.String(), "name": pl.String(),
        "birth_date": pl.String(), "sex": pl.String(), "district": pl.String(),
        "village": pl.String(), "occupation_id": pl.Int64(), "issues": pl.String(),
    }  # fmt: skip
    frame = read_columns(columns, where, params, schema, json_texts={"issues"})
    # In the order of the rows' ids (sorted here: in SQL the sort carried every column).
    frame = _dates_parsed(frame, "birth_date").sort("row_id")
    # What the run reads from the issues, worked out once per distinct issues text (rows
    # share theirs: about one text in seven is distinct) and joined back; the text itself is
    # not kept (nothing reads it, and the frame goes pickled to the second process).
    frame = frame.with_columns(pl.col("issues").fill_null("[]"))
    distinct = frame.select(pl.col("issues").unique())
    return frame.join(_from_issues(distinct), on="issues", how="left", maintain_order="left").drop(
        "issues"
    )


def _from_issues(distinct: pl.DataFrame) -> pl.DataFrame:
    """For each issues text (JSON, as intake stored it; PostgreSQL reorders the keys): the
    codes, the NIK's messages, and the year of a birth date written as the year alone."""
    issues = pl.col("issues").str.json_decode(_ISSUES)
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
    return distinct.with_columns(
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
    flags, in the order of their ids.

    Two plain reads joined here: the Pemda's workers, and only the enrolments that set a
    flag (a LEFT JOIN of every worker with every enrolment, grouped in SQL, looked each
    worker's enrolments up in an index and cost twice as much)."""
    previous = list(
        Program.objects.filter(pemda_id=program.pemda_id, year=program.year - 1).values_list(
            "pk", flat=True
        )
    )
    workers = read_columns(
        [
            "w.id", "w.nik", "w.name", _date("w.birth_date"), "w.sex", "SUBSTR(w.village_id, 1, 8)",
            "CASE WHEN w.died_on IS NULL THEN 0 ELSE 1 END",
        ],
        f"FROM {_table(Worker)} w WHERE w.pemda_id = %s",
        [program.pemda_id],
        {
            "record_id": pl.Int64(), "nik": pl.String(), "name": pl.String(),
            "birth_date": pl.String(), "sex": pl.String(), "district": pl.String(),
            "died": pl.Int64(),
        },
    )  # fmt: skip
    flags = _enrolment_flags(program, previous)
    frame = (
        _dates_parsed(workers, "birth_date")
        .join(flags, on="record_id", how="left", maintain_order="left")
        .with_columns(
            pl.col("enrolled", "previous").fill_null(0),
            deceased=pl.max_horizontal("died", pl.col("deceased").fill_null(0)),
        )
        .drop("died")
        .sort("record_id")
    )
    return frame.filter(
        (pl.col("enrolled") + pl.col("previous") + pl.col("deceased")) > 0
    ).with_columns(
        kk=pl.lit("", dtype=pl.String),
        enrolled=pl.col("enrolled").cast(pl.Boolean),
        previous=pl.col("previous").cast(pl.Boolean),
        deceased=pl.col("deceased").cast(pl.Boolean),
    )


def _enrolment_flags(program: Program, previous: list[int]) -> pl.DataFrame:
    """Per worker of the program's Pemda with an enrolment that says so: holds a place in
    ``program``, was active in (or ended) one of the ``previous`` programs, left a program
    deceased (0 or 1 each)."""
    in_previous = ", ".join(["%s"] * len(previous)) or "NULL"
    enrolled = "e.program_id = %s AND e.status IN (%s, %s, %s)"
    renewal = f"e.program_id IN ({in_previous}) AND e.status IN (%s, %s)"
    deceased = "e.end_reason = %s"
    params = [
        program.pk,
        *HOLDS_SLOT,
        *previous,
        EnrolmentStatus.ACTIVE,
        EnrolmentStatus.ENDED,
        EndReason.DECEASED,
    ]
    columns = [
        "e.worker_id",
        f"CASE WHEN {enrolled} THEN 1 ELSE 0 END",
        f"CASE WHEN {renewal} THEN 1 ELSE 0 END",
        f"CASE WHEN {deceased} THEN 1 ELSE 0 END",
    ]
    tail = f"""
        FROM {_table(Enrolment)} e JOIN {_table(Worker)} w ON w.id = e.worker_id
        WHERE w.pemda_id = %s AND (({enrolled}) OR ({renewal}) OR {deceased})
    """
    schema = {
        "record_id": pl.Int64(), "enrolled": pl.Int64(), "previous": pl.Int64(),
        "deceased": pl.Int64(),
    }  # fmt: skip
    return (
        read_columns(columns, tail, [*params, program.pemda_id, *params], schema)
        .group_by("record_id")
        .agg(pl.col("enrolled", "previous", "deceased").max())
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
