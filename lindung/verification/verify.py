"""One verification run, as bulk work: read the handed-in rows, the register snapshot and the
people already enrolled into polars, match them (`lindung.verification.matching`), apply the
verifiers' earlier decisions, reach each row's findings, and write one verdict per row.

The findings of a row, most decisive first (`Outcome`): known deceased; already enrolled in
this program; a duplicate of another row; NIK invalid or inconsistent with the stated birth
date or sex (from intake); outside the program's age range; not resident; occupation not
covered; decile above the program's limit; probably in the register (to review); not in the
register; in the register; last year's participant (renewal). A row's verdict is
"ineligible" when any finding rules it out, "review" when a verifier must decide, else
"eligible".
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import polars as pl
from django.db import connection
from django.utils.translation import gettext as _

from lindung.common.bulk import insert_frame, read_frame
from lindung.domain import eligibility
from lindung.domain.eligibility import (
    Candidate,
    Duplicate,
    EligibilityPolicy,
    Finding,
    Outcome,
    RegisterLink,
    RowRef,
)
from lindung.intake.models import Submission, SubmissionRow, SubmissionStatus
from lindung.programs.models import Program
from lindung.register.cache import read_register
from lindung.register.models import RegisterSnapshot
from lindung.verification import matching
from lindung.verification.models import (
    DecisionKind,
    MatchPolicy,
    ReviewDecision,
    RowVerdict,
    RunCounts,
    VerificationRun,
)
from lindung.workers.models import EndReason, Enrolment, EnrolmentStatus, Worker

# Intake's issue codes that make a NIK unusable, and those that say it disagrees with the
# stated birth date or sex.
NIK_INVALID_CODES: Final = frozenset(
    {
        "nik_missing", "nik_length", "nik_not_digits", "nik_province_unknown",
        "nik_regency_unknown", "nik_district_unknown", "nik_date_invalid", "nik_serial_zero",
        "nik_excel_damaged", "nik_scientific",
    }
)  # fmt: skip
NIK_INCONSISTENT_CODES: Final = frozenset({"nik_birth_date_mismatch", "nik_sex_mismatch"})

# Words for the evidence codes of `matching`, shown to verifiers and agencies.
REASON_LABELS: Final[Mapping[str, str]] = {
    "nik_exact": "NIK sama",
    "nik_substituted": "NIK beda satu digit",
    "nik_transposed": "dua digit NIK tertukar",
    "nik_missing_digit": "NIK kurang satu digit",
    "nik_extra_digit": "NIK kelebihan satu digit",
    "nik_moved_digit": "satu digit NIK bergeser",
    "nik_day_plus_40": "tanggal lahir di NIK tanpa/dengan +40",
    "nik_is_kk": "nomor KK tertulis di kolom NIK",
    "same_kk": "nomor KK sama",
    "nik_near": "NIK beda dua digit",
    "nik_different": "NIK berbeda",
    "nik_unknown": "NIK tidak dapat dibandingkan",
    "name_same": "nama sama",
    "name_close": "nama sangat mirip",
    "name_similar": "nama mirip",
    "name_weak": "nama agak mirip",
    "name_unlike": "nama kurang mirip",
    "name_different": "nama berbeda",
    "date_same": "tanggal lahir sama",
    "date_one_digit": "tanggal lahir beda satu digit",
    "date_day_month_swapped": "tanggal dan bulan lahir tertukar",
    "date_same_year": "tahun lahir sama",
    "date_different": "tanggal lahir berbeda",
    "date_unknown": "tanggal lahir tidak ada",
    "sex_same": "jenis kelamin sama",
    "sex_different": "jenis kelamin berbeda",
    "sex_unknown": "jenis kelamin tidak ada",
    "district_same": "kecamatan sama",
    "district_different": "kecamatan berbeda",
    "district_unknown": "kecamatan tidak ada",
    "ambiguous": "ada calon lain yang hampir sama kuat",
    "same_register_record": "padan dengan orang yang sama di DTKS/DTSEN",
    "decided": "diputuskan pemeriksa",
}

# Findings stored as {"code", "message"}, ordered by code (decisions re-sort them).
ORDER: Final = {outcome.value: index for outcome, index in eligibility.ORDER.items()}


def reasons_text(reasons: list[str] | None) -> str:
    return ", ".join(REASON_LABELS.get(code, code) for code in reasons or [])


def match_settings(pemda_id: int) -> matching.MatchSettings:
    policy = MatchPolicy.objects.filter(pemda_id=pemda_id).first()
    if policy is None:
        return matching.MatchSettings()
    return matching.MatchSettings(
        link_accept=policy.link_accept,
        link_review=policy.link_review,
        duplicate_accept=policy.duplicate_accept,
        duplicate_review=policy.duplicate_review,
    )


# -- reading ------------------------------------------------------------------------------


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _text(column: str) -> str:
    return f"{column}::text" if connection.vendor == "postgresql" else column


_ISSUES: Final = pl.List(
    pl.Struct({"field": pl.String, "code": pl.String, "message": pl.String, "severity": pl.String})
)


def read_rows(program: Program) -> pl.DataFrame:
    """Every row of the program's handed-in submissions (blank and total rows aside)."""
    sql = f"""
        SELECT r.id, r.submission_id, r.agency_id, r.row_number, r.nik, r.kk, r.name,
               r.birth_date, r.sex, r.district_id, r.village_id, r.occupation_id,
               {_text("r.issues")}, r.outcome
        FROM {_table(SubmissionRow)} r JOIN {_table(Submission)} s ON s.id = r.submission_id
        WHERE s.pemda_id = %s AND s.program_id = %s AND s.status IN (%s, %s)
          AND r.outcome <> 'ignored'
        ORDER BY r.id
    """  # noqa: S608 - table names are ours, values are parameters
    schema = {
        "row_id": pl.Int64(), "submission_id": pl.Int64(), "agency_id": pl.Int64(),
        "row_number": pl.Int64(), "nik": pl.String(), "kk": pl.String(), "name": pl.String(),
        "birth_date": pl.Date(), "sex": pl.String(), "district": pl.String(),
        "village": pl.String(), "occupation_id": pl.Int64(), "issues": pl.String(),
        "intake_outcome": pl.String(),
    }  # fmt: skip
    frame = read_frame(
        sql,
        [
            program.pemda_id,
            program.pk,
            SubmissionStatus.SUBMITTED,
            SubmissionStatus.IN_VERIFICATION,
        ],
        schema,
    )
    # Issues as intake stored them (JSON text; PostgreSQL reorders the keys).
    issues = pl.col("issues").fill_null("[]").str.json_decode(_ISSUES)
    nik_issues = issues.list.eval(
        pl.element().filter(pl.element().struct.field("field") == "nik").struct.field("message")
    )
    return frame.with_columns(
        codes=issues.list.eval(pl.element().struct.field("code")),
        nik_message=nik_issues.list.join(" "),
    ).with_columns(
        nik_damaged=pl.col("codes").list.contains("nik_excel_damaged"),
        birth_date_from_nik=pl.col("codes").list.contains("birth_date_from_nik"),
    )


def read_known_people(program: Program) -> pl.DataFrame:
    """Workers of the Pemda enrolled in this program or last year's, or known dead: one line
    per worker with those three flags."""
    previous = list(
        Program.objects.filter(pemda_id=program.pemda_id, year=program.year - 1).values_list(
            "pk", flat=True
        )
    )
    in_previous = ", ".join(["%s"] * len(previous)) or "NULL"
    sql = f"""
        SELECT w.id, w.nik, w.name, w.birth_date, w.sex, SUBSTR(w.village_id, 1, 8),
          MAX(CASE WHEN e.program_id = %s AND e.status = %s THEN 1 ELSE 0 END),
          MAX(CASE WHEN e.program_id IN ({in_previous}) THEN 1 ELSE 0 END),
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
        [program.pk, EnrolmentStatus.ACTIVE, *previous, EndReason.DECEASED, program.pemda_id],
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


# -- matching and decisions ---------------------------------------------------------------


def apply_match_decisions(
    links: pl.DataFrame, decisions: pl.DataFrame, register: pl.DataFrame
) -> pl.DataFrame:
    """Links after the verifiers' decisions: a rejected link is dropped, an accepted one
    stands as decided (even when the engine now prefers another record, or none)."""
    links = links.join(
        register.select("record_id", "register_id"), on="record_id", how="left"
    ).with_columns(decided=pl.lit(value=False))
    if decisions.height == 0:
        return links
    rejected = decisions.filter(~pl.col("accepted"))
    links = links.join(
        rejected.select("row_id", "register_id"), on=["row_id", "register_id"], how="anti"
    )
    accepted = decisions.filter(pl.col("accepted")).join(
        register.select("record_id", "register_id").unique("register_id", keep="first"),
        on="register_id",
    )
    forced = accepted.select(
        "row_id",
        "record_id",
        pl.lit("probable").alias("match"),
        pl.lit(1.0).alias("score"),
        pl.lit(["decided"]).alias("reasons"),
        "register_id",
        pl.lit(value=True).alias("decided"),
    )
    kept = links.join(forced.select("row_id"), on="row_id", how="anti")
    return pl.concat([kept, forced.cast(kept.schema)]).sort("row_id")


def resolve_groups(
    groups: pl.DataFrame,
    owners: pl.DataFrame,
    rows: pl.DataFrame,
    settings: matching.MatchSettings,
) -> pl.DataFrame:
    """Each grouped row with its group's owner: the owner a verifier chose for the group
    (the latest decision naming a row of the group); else, for a group handed in by one
    agency only and sure (every row's evidence at `duplicate_accept` or more), its first
    row; otherwise no owner yet (a verifier decides). Rows a verifier found to be different
    people (`same_person` false) leave their group."""
    apart = owners.filter(pl.col("same_person").eq(other=False)).select("row_id")
    groups = groups.join(apart, on="row_id", how="anti")
    sizes = groups.group_by("group_id").agg(pl.len().alias("size"))
    groups = groups.join(sizes.filter(pl.col("size") > 1).select("group_id"), on="group_id")
    owners = owners.filter(pl.col("same_person").ne_missing(other=False))
    grouped = groups.join(rows.select("row_id", "agency_id"), on="row_id")
    per_group = grouped.group_by("group_id").agg(
        pl.col("agency_id").n_unique().alias("agencies"),
        pl.col("row_id").min().alias("first"),
        pl.col("score").min().alias("weakest"),
    )
    chosen = (
        owners.join(grouped.select("row_id", "group_id"), on="row_id")
        .join(
            grouped.select(
                pl.col("row_id").alias("owner"), pl.col("group_id").alias("owner_group")
            ),
            on="owner",
        )
        .filter(pl.col("group_id") == pl.col("owner_group"))
        .group_by("group_id", maintain_order=True)
        .agg(pl.col("owner").last())
    )
    ranked = grouped.sort("row_id").with_columns(
        first=pl.col("row_id").first().over("group_id"),
        second=pl.col("row_id").get(1).over("group_id"),
    )
    return (
        ranked.with_columns(
            duplicate_of=pl.when(pl.col("row_id") == pl.col("first"))
            .then(pl.col("second"))
            .otherwise(pl.col("first"))
        )
        .drop("first", "second")
        .join(per_group, on="group_id")
        .join(chosen, on="group_id", how="left")
        .with_columns(
            owner=pl.when(pl.col("owner").is_not_null())
            .then(pl.col("owner"))
            .when((pl.col("agencies") == 1) & (pl.col("weakest") >= settings.duplicate_accept))
            .then(pl.col("first"))
        )
        .drop("first", "weakest", "agencies")
    )


# -- findings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    program: Program
    snapshot: RegisterSnapshot | None
    settings: matching.MatchSettings
    regency: str  # the Pemda's region code, "35.04"
    pemda_name: str
    allowed_occupations: frozenset[int]
    agency_names: Mapping[int, str]


def _age_at(birth: pl.Expr, on: date) -> pl.Expr:
    before_birthday = (birth.dt.month() > on.month) | (
        (birth.dt.month() == on.month) & (birth.dt.day() > on.day)
    )
    return pl.lit(on.year) - birth.dt.year() - before_birthday.cast(pl.Int32)


def policy_of(context: Context) -> EligibilityPolicy:
    """The program's eligibility rules and the Pemda's link threshold."""
    program = context.program
    return EligibilityPolicy(
        min_age=program.min_age,
        max_age=program.max_age,
        residency_required=program.residency_required,
        register_required=program.register_required,
        occupations=context.allowed_occupations,
        max_desil=program.max_desil,
        link_accept=context.settings.link_accept,
    )


def candidate_of(row: Mapping[str, Any]) -> Candidate:
    """A row of the run's joined frame as the domain core's candidate."""
    codes = set(row["codes"] or ())
    link = None
    if row["match"]:
        link = RegisterLink(
            exact=row["match"] == "exact",
            score=row["score"] or 0.0,
            reasons=tuple(row["reasons"] or ()),
            decided=row["decided"],
            desil=row["desil"],
            deceased=row["register_deceased"],
        )
    duplicate = None
    if row["group_id"] is not None:
        owner = None
        if row["owner"] is not None:
            owner = RowRef(row["owner_agency"], row["owner_row"])
        duplicate = Duplicate(
            other=RowRef(row["duplicate_of_agency"], row["duplicate_of_row"]),
            owner=owner,
            is_owner=row["owner"] == row["row_id"],
        )
    return Candidate(
        age=row["age"],
        resident=row["resident"],
        occupation_id=row["occupation_id"],
        nik_invalid=bool(codes & NIK_INVALID_CODES),
        nik_message=row["nik_message"],
        nik_inconsistent=bool(codes & NIK_INCONSISTENT_CODES),
        link=link,
        duplicate=duplicate,
        deceased_on_record=row["known_deceased"],
        enrolled=row["enrolled"],
        renewal=row["previous"],
    )


def message_of(finding: Finding, context: Context) -> str:
    """What a finding says to verifiers and agencies, in Bahasa Indonesia."""
    source = context.snapshot.get_source_display() if context.snapshot else "DTKS/DTSEN"
    as_of = f"{context.snapshot.as_of:%d-%m-%Y}" if context.snapshot else ""
    match finding.outcome:
        case Outcome.DECEASED:
            where = source if finding.in_register else _("data kepesertaan")
            return _("Tercatat meninggal dunia (%s).") % where
        case Outcome.ALREADY_ENROLLED:
            return _("Sudah menjadi peserta program ini.")
        case Outcome.DUPLICATE:
            return _duplicate_message(finding, context)
        case Outcome.NIK_INVALID:
            return _("NIK tidak valid: %s") % finding.nik_message
        case Outcome.NIK_INCONSISTENT:
            return _("Tanggal lahir atau jenis kelamin tidak cocok dengan NIK.")
        case Outcome.AGE_OUT_OF_RANGE:
            low, high = finding.age_range or (None, None)
            return _("Usia %(age)s tahun pada awal program; batas %(min)s–%(max)s tahun.") % {
                "age": finding.age,
                "min": low,
                "max": high,
            }
        case Outcome.NOT_RESIDENT:
            return _("Alamat tidak dikenali sebagai wilayah %s.") % context.pemda_name
        case Outcome.OCCUPATION_NOT_ELIGIBLE:
            return _("Pekerjaan belum diisi atau tidak termasuk jenis pekerjaan program.")
        case Outcome.DESIL_TOO_HIGH:
            return _("Desil %(desil)s di atas batas program (desil %(max)s).") % {
                "desil": finding.desil,
                "max": finding.max_desil,
            }
        case Outcome.PROBABLE_IN_REGISTER:
            why = reasons_text(list(finding.reasons))
            return _("Kemungkinan ada di %(source)s: %(why)s.") % {"source": source, "why": why}
        case Outcome.IN_REGISTER:
            text = _("Ada di %(source)s per %(as_of)s") % {"source": source, "as_of": as_of}
            if finding.desil:
                text += _(", desil %s") % finding.desil
            if finding.decided:
                text += _(" (diputuskan pemeriksa)")
            return text + "."
        case Outcome.NOT_IN_REGISTER:
            text = (
                _("Tidak ditemukan di %(source)s per %(as_of)s.")
                % {"source": source, "as_of": as_of}
                if context.snapshot
                else _("Belum ada data DTKS/DTSEN yang dimuat.")
            )
            if finding.register_required:
                text += " " + _("Program mensyaratkan terdaftar.")
            return text
        case Outcome.RENEWAL:
            year = context.program.year - 1
            return _("Peserta program tahun %s: diperpanjang lebih dahulu.") % year


def _duplicate_message(finding: Finding, context: Context) -> str:
    names = context.agency_names
    if finding.owner is None:
        other = finding.other or RowRef(None, None)
        where = names.get(other.agency_id, "") if other.agency_id is not None else ""
        ref = _("%(agency)s baris %(row)s") % {"agency": where, "row": other.row_number}
        return _("Orang yang sama juga diusulkan oleh %s; menunggu keputusan pemilik.") % ref
    owner = finding.owner
    return _(
        "Orang yang sama diusulkan oleh %(owner)s (baris %(row)s); usulan ini tidak diteruskan."
    ) % {
        "owner": names.get(owner.agency_id, "") if owner.agency_id is not None else "",
        "row": owner.row_number,
    }


def verdict_of(
    findings: list[dict[str, str]],
    *,
    review_match: bool,
    review_duplicate: bool,
    register_required: bool,
) -> str:
    """The verdict of stored findings (a decision changes a verdict without a new run)."""
    return eligibility.verdict_of(
        [Finding(Outcome(f["code"])) for f in findings],
        review_match=review_match,
        review_duplicate=review_duplicate,
        register_required=register_required,
    ).value


# -- the run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Matched:
    rows: pl.DataFrame
    register: pl.DataFrame
    known: pl.DataFrame
    links: pl.DataFrame
    known_links: pl.DataFrame
    resolved: pl.DataFrame


def execute(run: VerificationRun, *, context: Context) -> tuple[RunCounts, dict[str, float]]:
    """Verify every row and write the run's verdicts (inside the caller's transaction):
    read, match, assemble one frame of what is known about each row, decide each row in the
    domain core, shape the verdicts, write them, count them."""
    started = time.perf_counter()
    program = context.program
    rows = read_rows(program)
    register = read_register(context.snapshot)
    known = read_known_people(program)
    match_decisions, owner_decisions = read_decisions(program)
    timings = {"read": time.perf_counter() - started}

    matched = time.perf_counter()
    found = _match(rows, register, known, match_decisions, owner_decisions, context)
    timings["match"] = time.perf_counter() - matched

    deciding = time.perf_counter()
    frame = _assemble(found, context)
    out = _shape(run, frame, _decide(frame, context), context)
    timings["decide"] = time.perf_counter() - deciding

    writing = time.perf_counter()
    insert_frame(RowVerdict, out)
    timings["write"] = time.perf_counter() - writing
    return _count(out, found.resolved), {k: round(v, 3) for k, v in timings.items()}


def _match(
    rows: pl.DataFrame,
    register: pl.DataFrame,
    known: pl.DataFrame,
    match_decisions: pl.DataFrame,
    owner_decisions: pl.DataFrame,
    context: Context,
) -> _Matched:
    links = matching.link(rows, register, context.settings)
    links = apply_match_decisions(links, match_decisions, register)
    # Known people are recognised by any link the engine would decide on its own account:
    # the same NIK, or a NIK one slip off with name, birth date and the rest agreeing.
    known_links = matching.link(rows, known, context.settings).filter(
        (pl.col("score") >= context.settings.link_accept)
        & ~pl.col("reasons").list.contains("ambiguous")
    )
    groups = matching.duplicate_groups(rows, links, context.settings)
    resolved = resolve_groups(groups, owner_decisions, rows, context.settings)
    return _Matched(rows, register, known, links, known_links, resolved)


def _assemble(found: _Matched, context: Context) -> pl.DataFrame:
    """One row per handed-in row with everything its findings need."""
    rows = found.rows
    by_row = rows.select(
        "row_id", "agency_id", "submission_id", "row_number", "codes", "occupation_id",
        "district", "village", "nik_message",
        _age_at(pl.col("birth_date"), context.program.start_month).alias("age"),
    )  # fmt: skip
    regency_prefix = context.regency + "."
    frame = (
        by_row.join(found.links.drop("register_id"), on="row_id", how="left")
        .join(
            found.register.select(
                "record_id",
                "register_id",
                pl.col("nik").alias("register_nik"),
                "desil",
                pl.col("deceased").alias("register_deceased"),
            ),
            on="record_id",
            how="left",
        )
        .join(
            found.known_links.select("row_id", pl.col("record_id").alias("worker_id")),
            on="row_id",
            how="left",
        )
        .join(
            found.known.select(
                pl.col("record_id").alias("worker_id"),
                "enrolled",
                "previous",
                pl.col("deceased").alias("known_deceased"),
            ),
            on="worker_id",
            how="left",
        )
        .join(
            found.resolved.select(
                "row_id",
                "group_id",
                "duplicate_of",
                "owner",
                pl.col("score").alias("duplicate_score"),
            ),
            on="row_id",
            how="left",
        )
    )
    rows_ref = rows.select("row_id", "agency_id", "row_number")
    return (
        frame.join(
            rows_ref.rename(
                {
                    "row_id": "duplicate_of",
                    "agency_id": "duplicate_of_agency",
                    "row_number": "duplicate_of_row",
                }
            ),
            on="duplicate_of",
            how="left",
        )
        .join(
            rows_ref.rename(
                {"row_id": "owner", "agency_id": "owner_agency", "row_number": "owner_row"}
            ),
            on="owner",
            how="left",
        )
        .with_columns(
            resident=pl.col("district").fill_null("").str.starts_with(regency_prefix)
            | pl.col("village").fill_null("").str.starts_with(regency_prefix)
            | pl.col("record_id").is_not_null(),
            nik_message=pl.col("nik_message").fill_null(""),
            enrolled=pl.col("enrolled").fill_null(value=False),
            previous=pl.col("previous").fill_null(value=False),
            known_deceased=pl.col("known_deceased").fill_null(value=False),
            register_deceased=pl.col("register_deceased").fill_null(value=False),
            decided=pl.col("decided").fill_null(value=False),
        )
        .sort("row_id")
    )


_CANDIDATE_COLUMNS: Final = (
    "row_id", "codes", "known_deceased", "register_deceased", "enrolled", "group_id",
    "owner", "duplicate_of_agency", "duplicate_of_row", "owner_agency", "owner_row",
    "nik_message", "age", "resident", "occupation_id", "match", "desil", "decided",
    "score", "reasons", "previous",
)  # fmt: skip


def _decide(frame: pl.DataFrame, context: Context) -> pl.DataFrame:
    """Each row assessed by the domain core: primary outcome, verdict, findings in words,
    and what awaits a verifier (in the order of ``frame``)."""
    policy = policy_of(context)
    outcomes: list[str] = []
    verdicts: list[str] = []
    findings_json: list[str] = []
    review_match: list[bool] = []
    review_duplicate: list[bool] = []
    for values in frame.select(_CANDIDATE_COLUMNS).iter_rows(named=True):
        assessment = eligibility.assess(candidate_of(values), policy)
        outcomes.append(assessment.outcome.value)
        verdicts.append(assessment.verdict.value)
        shaped = [
            {"code": finding.outcome.value, "message": message_of(finding, context)}
            for finding in assessment.findings
        ]
        findings_json.append(json.dumps(shaped, ensure_ascii=False))
        review_match.append(assessment.review_match)
        review_duplicate.append(assessment.review_duplicate)
    return pl.DataFrame(
        [
            pl.Series("outcome", outcomes, dtype=pl.String),
            pl.Series("verdict", verdicts, dtype=pl.String),
            pl.Series("findings", findings_json, dtype=pl.String),
            pl.Series("review_match", review_match, dtype=pl.Boolean),
            pl.Series("review_duplicate", review_duplicate, dtype=pl.Boolean),
        ]
    )


def _shape(
    run: VerificationRun, frame: pl.DataFrame, decided: pl.DataFrame, context: Context
) -> pl.DataFrame:
    """The run's RowVerdict rows, columns as the table stores them."""
    return pl.concat([frame, decided], how="horizontal").select(
        pl.lit(run.pk, dtype=pl.Int64).alias("run_id"),
        pl.lit(context.program.pemda_id, dtype=pl.Int64).alias("pemda_id"),
        "agency_id",
        "submission_id",
        pl.col("row_id").alias("row_id"),
        "outcome",
        "verdict",
        "findings",
        pl.col("match").fill_null("none").alias("match"),
        "record_id",
        pl.col("register_id").fill_null(""),
        pl.col("register_nik").fill_null(""),
        "desil",
        "score",
        pl.when(pl.col("reasons").list.len() > 0)
        .then(pl.concat_str(pl.lit('["'), pl.col("reasons").list.join('", "'), pl.lit('"]')))
        .otherwise(pl.lit("[]"))
        .alias("reasons"),
        pl.col("group_id").alias("group"),
        pl.col("duplicate_of").alias("duplicate_of_id"),
        "duplicate_score",
        "review_match",
        "review_duplicate",
    )


def _tally(out: pl.DataFrame, column: str) -> dict[str, int]:
    return {str(value): int(n) for value, n in out.group_by(column).len().iter_rows()}


def _count(out: pl.DataFrame, resolved: pl.DataFrame) -> RunCounts:
    return RunCounts(
        rows=out.height,
        outcomes=_tally(out, "outcome"),
        verdicts=_tally(out, "verdict"),
        matches=_tally(out, "match"),
        review_match=int(out.get_column("review_match").sum()),
        review_duplicate=int(out.get_column("review_duplicate").sum()),
        duplicate_groups=int(resolved.get_column("group_id").n_unique()),
    )
