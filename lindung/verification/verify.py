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

import time
from dataclasses import dataclass
from datetime import date
from typing import Final

import polars as pl

from lindung.common.bulk import insert_frame
from lindung.register.cache import read_register
from lindung.verification import matching
from lindung.verification.candidates import alike, untold
from lindung.verification.findings import Context, Wording, named, policy_of
from lindung.verification.matching.groups import duplicate_candidates
from lindung.verification.matching.side import known_links as side_known_links
from lindung.verification.models import MatchPolicy, RowVerdict, RunCounts, VerificationRun
from lindung.verification.read import (
    count_rows,
    read_decisions,
    read_known_people,
    read_rows,
)
from lindung.verification.second_process import SecondProcess


def match_settings(pemda_id: int) -> matching.MatchSettings:
    policy = MatchPolicy.objects.filter(pemda_id=pemda_id).first()
    if policy is None:
        return matching.MatchSettings()
    return matching.MatchSettings(
        link_accept=policy.link_accept,
        link_review=policy.link_review,
        duplicate_accept=policy.duplicate_accept,
        duplicate_review=policy.duplicate_review,
        learn_weights=policy.learn_weights,
    )


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


def _age_at(birth: pl.Expr, on: date) -> pl.Expr:
    before_birthday = (birth.dt.month() > on.month) | (
        (birth.dt.month() == on.month) & (birth.dt.day() > on.day)
    )
    return pl.lit(on.year) - birth.dt.year() - before_birthday.cast(pl.Int32)


# -- the run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Matched:
    rows: pl.DataFrame
    register: pl.DataFrame  # the records linked or decided on (`_linked_records`)
    known: pl.DataFrame
    links: pl.DataFrame
    known_links: pl.DataFrame
    resolved: pl.DataFrame
    weights: dict[str, float]  # the evidence weights the links and duplicates rest on


def execute(run: VerificationRun, *, context: Context) -> tuple[RunCounts, dict[str, float]]:
    """Verify every row and write the run's verdicts (inside the caller's transaction):
    read, match, assemble one frame of what is known about each row, decide each row in the
    domain core, shape the verdicts, write them, count them. A large run links to the
    register in a second process (`SecondProcess`), started first."""
    started = time.perf_counter()
    program = context.program
    side = SecondProcess(count_rows(program), context.snapshot, context.settings)
    try:
        # The rows first: the second process links them while the rest is read.
        rows = read_rows(program)
        side.link(rows)
        # Only the columns a verdict shows of the records linked to (`_linked_records`).
        register = read_register(context.snapshot, _RECORD_COLUMNS)
        known = read_known_people(program)
        match_decisions, owner_decisions = read_decisions(program)
        timings = {"read": time.perf_counter() - started}

        matched = time.perf_counter()
        found = _match(rows, register, known, match_decisions, owner_decisions, context, side)
        timings["match"] = time.perf_counter() - matched
        # The weights used (learned or by hand) stay with the run's thresholds: a decision
        # can be explained later from the run alone.
        run.policy = {**run.policy, "weights": found.weights}
        VerificationRun.objects.filter(pk=run.pk).update(policy=run.policy)

        deciding = time.perf_counter()
        frame = _assemble(found, context)
        out = _shape(frame, _decide(frame, context, side), context)
        timings["decide"] = time.perf_counter() - deciding
    finally:
        side.close()

    writing = time.perf_counter()
    # The run and the Pemda are the same on every row: written as constants of the statement.
    # The findings and reasons are JSON by construction (`named` puts in values a JSON
    # encoder wrote; the reasons are fixed labels), the decile is the register's own and the
    # group a row id: the table's CHECK constraints hold for every verdict made here.
    insert_frame(
        RowVerdict,
        out,
        constants={"run_id": run.pk, "pemda_id": program.pemda_id},
        checked_here=True,
    )
    timings["write"] = time.perf_counter() - writing
    return _count(out, found.resolved), {k: round(v, 3) for k, v in timings.items()}


def _match(
    rows: pl.DataFrame,
    register: pl.DataFrame,
    known: pl.DataFrame,
    match_decisions: pl.DataFrame,
    owner_decisions: pl.DataFrame,
    context: Context,
    side: SecondProcess,
) -> _Matched:
    """The links to people already known and the duplicate candidates here, while the
    second process (if any) links to the register; then the duplicate groups, closed with
    the register links and their weights."""
    known_links = side_known_links(rows, known, context.settings)
    candidates = duplicate_candidates(rows, context.settings, side.confirmed())
    links, weights = side.result()
    register = _linked_records(register, links, match_decisions)
    links = apply_match_decisions(links, match_decisions, register)
    groups = matching.duplicate_groups(rows, links, context.settings, weights, scored=candidates)
    resolved = resolve_groups(groups, owner_decisions, rows, context.settings)
    return _Matched(rows, register, known, links, known_links, resolved, weights)


# What the run keeps of the register records it links to (`_linked_records`).
_RECORD_COLUMNS: Final = ("record_id", "register_id", "nik", "desil", "deceased")


def _linked_records(
    register: pl.DataFrame, links: pl.DataFrame, decisions: pl.DataFrame
) -> pl.DataFrame:
    """The register records the run keeps: those the rows link to, and those a verifier's
    decision names (by register id). The run reads only the columns a verdict shows: the
    whole register's people (a million, their names and family cards) would only be held
    by this process while it matches (the second process links to them)."""
    return register.filter(
        pl.col("record_id").is_in(links.get_column("record_id").implode())
        | pl.col("register_id").is_in(decisions.get_column("register_id").implode())
    )


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
    return (
        _with_row_refs(frame, rows)
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


def _with_row_refs(frame: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """`frame` with the agency and row number of each row's duplicate and of its group's
    owner: the findings name them."""
    rows_ref = rows.select("row_id", "agency_id", "row_number")
    return frame.join(
        rows_ref.rename(
            {
                "row_id": "duplicate_of",
                "agency_id": "duplicate_of_agency",
                "row_number": "duplicate_of_row",
            }
        ),
        on="duplicate_of",
        how="left",
    ).join(
        rows_ref.rename(
            {"row_id": "owner", "agency_id": "owner_agency", "row_number": "owner_row"}
        ),
        on="owner",
        how="left",
    )


# What the domain core sees of a row (`candidates.candidate_of`): the row's own id only as
# `is_owner`, so that rows alike in every other respect share one assessment.
_CANDIDATE_COLUMNS: Final = (
    "codes", "known_deceased", "register_deceased", "enrolled", "group_id",
    "owner", "duplicate_of_agency", "duplicate_of_row", "owner_agency", "owner_row",
    "nik_message", "age", "resident", "occupation_id", "match", "desil", "decided",
    "score", "reasons", "previous",
)  # fmt: skip


def _decide(frame: pl.DataFrame, context: Context, side: SecondProcess) -> pl.DataFrame:
    """Each row assessed by the domain core: primary outcome, verdict, findings in words
    (`Wording.of`: with marks for the values that tell rows apart, `_shape` puts them in)
    and what awaits a verifier (in the order of ``frame``). Rows the domain core would see
    alike (most rows: the same codes, age, link evidence and so on) are assessed once: each
    distinct combination of `_CANDIDATE_COLUMNS` and `is_owner`, its result given to every
    row that has it (`candidates.alike`: an age within the program's range, say, is not
    told apart; `candidates.untold`: nor are the rows a duplicate names, say, but in its
    words); each distinct finding and list of findings is put in words once."""
    policy = policy_of(context)
    seen = frame.select(
        *_CANDIDATE_COLUMNS,
        is_owner=(pl.col("owner") == pl.col("row_id")).fill_null(value=False),
    ).with_columns(**alike(policy))
    seen = seen.with_columns(**untold(policy))
    distinct = (
        seen.with_row_index("index")
        .group_by(seen.columns, maintain_order=True)
        .agg(pl.col("index"))
    )
    assessed = side.assess(distinct.drop("index"), policy)
    # The findings in words, once for each distinct list of findings.
    wording = Wording(context)
    in_words = [wording.of(findings) for findings in assessed.findings]
    decided = pl.DataFrame(
        [
            pl.Series("outcome", assessed.outcomes, dtype=pl.String),
            pl.Series("verdict", assessed.verdicts, dtype=pl.String),
            pl.Series("findings", [in_words[index] for index in assessed.which], dtype=pl.String),
            pl.Series("review_match", assessed.review_match, dtype=pl.Boolean),
            pl.Series("review_duplicate", assessed.review_duplicate, dtype=pl.Boolean),
        ]
    )
    # Which distinct combination each row of `frame` has, in the order of `frame`.
    which = (
        distinct.select(pl.col("index"), combination=pl.int_range(pl.len(), dtype=pl.UInt32))
        .explode("index")
        .sort("index")
        .get_column("combination")
    )
    return decided.select(pl.all().gather(which))


def _shape(frame: pl.DataFrame, decided: pl.DataFrame, context: Context) -> pl.DataFrame:
    """The run's RowVerdict rows, columns as the table stores them (the run and the Pemda
    aside: the same on every row, `execute` writes them as constants), each row's findings
    in its own words (`named`)."""
    return pl.concat([frame, decided], how="horizontal").select(
        "agency_id",
        "submission_id",
        pl.col("row_id").alias("row_id"),
        "outcome",
        "verdict",
        named(pl.col("findings"), frame, context).alias("findings"),
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
