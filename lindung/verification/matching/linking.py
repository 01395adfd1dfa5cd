"""Each row's link to the register: candidates in rounds, the best of each row."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from lindung.verification.matching import learn
from lindung.verification.matching.blocks import (
    day40_pairs,
    demographic_pairs,
    exact_pairs,
    household_pairs,
    kk_pairs,
    name_pairs,
    person_pairs,
    prefix_pairs,
    prepare,
    with_name_counts,
)
from lindung.verification.matching.evidence import (
    LINK_SCHEMA,
    WEIGHTS,
    MatchSettings,
    empty_links,
    probability,
)
from lindung.verification.matching.nik_edits import lost_digit_pairs, neighbour_pairs
from lindung.verification.matching.prepared import PreparedSide
from lindung.verification.matching.scoring import (
    best_bits,
    evidence_columns,
    rescored,
    score_pairs,
)


def _best(scored: pl.DataFrame, settings: MatchSettings) -> pl.DataFrame:
    """The best candidate of each row (`at`: its line in ``scored``), and whether it is
    ambiguous: a different record comes within `settings.ambiguity` of it. Only the keys are
    sorted: the reasons of the best are taken afterwards, for the links kept (`_links`)."""
    ordered = scored.select("row", "rec", "score", at=pl.int_range(pl.len(), dtype=pl.UInt32)).sort(
        ["row", "score", "rec"], descending=[False, True, False]
    )
    top = ordered.group_by("row", maintain_order=True).agg(
        pl.col("rec").first(),
        pl.col("score").first(),
        pl.col("at").first(),
        pl.col("score").get(1, null_on_oob=True).alias("runner_up"),
    )
    ambiguous = pl.col("runner_up").is_not_null() & (
        pl.col("score") - pl.col("runner_up") < settings.ambiguity
    )
    return top.with_columns(ambiguous=ambiguous)


def candidates(
    rows: pl.DataFrame,
    reg: pl.DataFrame | PreparedSide,
    *,
    settings: MatchSettings,
    itself: bool = False,
    wanted: float = 0.0,
    first_only: pl.Series | None = None,
) -> pl.DataFrame:
    """Scored candidate pairs of prepared `rows` and `reg` (see `prepare`; `reg` may be a
    `PreparedSide`, its tables made once), in three rounds,
    each for the rows the rounds before left unsettled: the same NIK or KK; NIK
    neighbourhoods; then the second route, by person evidence: the same NIK prefix, the
    household of a relative whose NIK the row carries, the person blocks (birth date,
    name tokens with the birth year or district, the name in any order; `person_pairs`),
    and a slip in a NIK that lost its 16th digit (`lost_digit_pairs`).
    A row is settled by a pair on its very NIK that scores `link_accept` (first round), or by
    any pair that scores `link_review` (second round). `itself`: `reg` is `rows` (looking for
    duplicates), so a row is no candidate of its own. `wanted`: the caller keeps only a
    row's best pair scoring this or more, scored with the hand weights (and unambiguous):
    a pair that could not score `wanted` less `ambiguity` even with the same name is not
    scored (it could neither be kept nor make a kept pair ambiguous; nor does it settle its
    row, which goes on to the rounds after); a block of the last round is skipped when none
    of its pairs could reach `wanted` (`best_bits`; its rows have no pair scoring even
    `link_review` from the rounds before, so they would keep nothing). `first_only`: ids of
    rows that take the first round only (as rows: as candidates, the other rows meet them in
    the rounds those take)."""
    floor = min(settings.link_review, settings.duplicate_review)
    if wanted > 0.0:
        # The people already known: about a fifth less work, the same links kept on both
        # benchmark sets (docs/benchmarks.md, issue 10 session 14).
        floor = max(floor, wanted - settings.ambiguity)
    side = reg if isinstance(reg, PreparedSide) else PreparedSide(reg)
    reg, counts = side.frame, side.counts
    rows = with_name_counts(rows, counts)

    def scored_pairs(blocks: list[pl.DataFrame], of: pl.DataFrame) -> pl.DataFrame:
        pairs = pl.concat(blocks)
        if itself:
            pairs = pairs.filter(pl.col("row") != pl.col("rec"))
        return score_pairs(pairs, of, reg, floor=floor, counts=counts)

    def unsettled(of: pl.DataFrame, by: pl.DataFrame) -> pl.DataFrame:
        return of.join(by.select(pl.col("row").alias("id")).unique(), on="id", how="anti")

    first = [exact_pairs(rows, reg), kk_pairs(rows, reg)]
    if itself:
        first = [f.filter(pl.col("row") != pl.col("rec")) for f in first]
    # Rows whose NIK is someone else's or a family card's take the second route, as do
    # rows with a blank or broken NIK, if the first two rounds leave them unsettled (a KK
    # column already met the whole household in the first round).
    household = (
        pl.concat(first)
        .filter(pl.col("relation").is_in(["nik_exact", "nik_is_kk"]))
        .get_column("row")
        .unique()
    )
    rounds = [scored_pairs(first, rows)]
    settled = rounds[0].filter(
        (pl.col("nik_evidence") == "nik_exact") & (pl.col("score") >= settings.link_accept)
    )
    rest = unsettled(rows, settled)
    if first_only is not None:
        rest = rest.filter(~pl.col("id").is_in(first_only.implode()))
    if rest.height:
        near = neighbour_pairs(rest, reg)
        rounds.append(scored_pairs([near, day40_pairs(rest, reg)], rest))
        found = pl.concat(rounds).filter(pl.col("score") >= settings.link_review)
        rest = unsettled(rest, found)
    if rest.height:
        # The second route, by person evidence, for rows whose NIK cannot help: blank or
        # broken (not 16 digits), or pointing to another person or a household. A clean
        # NIK that found nobody is most often a person absent from the register: those
        # rows keep the narrow blocks only.
        second = rest.filter(
            (pl.col("nik").str.len_chars() != 16) | pl.col("id").is_in(household.implode())
        )
        blocks = _second_route(rest, second, side, wanted)
        if blocks:
            rounds.append(scored_pairs(blocks, rest))
    # A pair met in several rounds keeps its strongest NIK relation (the earliest round).
    return pl.concat(rounds).unique(subset=["row", "rec"], keep="first", maintain_order=True)


def _second_route(
    rest: pl.DataFrame, second: pl.DataFrame, side: PreparedSide, wanted: float
) -> list[pl.DataFrame]:
    """The last round's blocks for the unsettled rows (`rest`; `second`, those whose NIK
    cannot help), each left out when none of its pairs could score `wanted`."""

    def worth(*relations: str) -> bool:
        return probability(best_bits(relations)) >= wanted

    blocks = []
    reg = side.frame
    if worth("nik_prefix", "demographic", "name_block", "person_block"):
        blocks += [
            prefix_pairs(rest, reg),
            demographic_pairs(rest, reg),
            name_pairs(rest, reg, side.folds),
            person_pairs(second, reg, side),
        ]
    if worth("nik_of_relative"):
        blocks.append(household_pairs(second, reg))
    # A slip in a NIK that also lost its 16th digit (a damaged cell, or sixteen digits
    # ending in 0 in any file): dozens of register NIKs are that near (the lost digit hides
    # the serial), so only for rows the rounds before left.
    if worth("nik_slip_lost_digit"):
        blocks.append(lost_digit_pairs(rest, reg))
    return blocks


def weighted(
    scored: pl.DataFrame, settings: MatchSettings, weights: Mapping[str, float] | None = None
) -> tuple[pl.DataFrame, dict[str, float]]:
    """Scored pairs under the weights a run uses, and those weights: `weights` when given;
    else, with `settings.learn_weights`, weights learned from these pairs (`learn`); else the
    hand weights (the scores as they are)."""
    if weights is None and settings.learn_weights and scored.height:
        counts = learn.pattern_counts(evidence_columns(scored))
        weights = learn.learn_weights(counts, WEIGHTS).weights
    if weights is None:
        return scored, dict(WEIGHTS)
    return rescored(scored, weights), dict(weights)


def link(
    rows: pl.DataFrame,
    register: pl.DataFrame,
    settings: MatchSettings | None = None,
    *,
    accepted_only: bool = False,
) -> pl.DataFrame:
    """Each row's link to the register, if any (`LINK_SCHEMA`): `match` is "exact" for a link
    on the same NIK, "probable" for any other link scoring at least `link_review`. Rows without
    a link are absent. `accepted_only`: the caller keeps only links scoring `link_accept`
    (the others may be missing; with the hand weights, this spares the work of finding them)."""
    return link_weighted(rows, register, settings, accepted_only=accepted_only)[0]


def link_weighted(
    rows: pl.DataFrame,
    register: pl.DataFrame | PreparedSide,
    settings: MatchSettings | None = None,
    *,
    accepted_only: bool = False,
) -> tuple[pl.DataFrame, dict[str, float]]:
    """`link`, and the evidence weights its scores rest on (see `weighted`). `register`: the
    register's frame, or that frame prepared once (`PreparedSide.of(register, "record_id")`)."""
    settings = settings or MatchSettings()
    if rows.height == 0 or register.height == 0:
        return empty_links(), dict(WEIGHTS)
    return link_prepared(prepare(rows, "row_id"), register, settings, accepted_only=accepted_only)


def link_prepared(
    prepared_rows: pl.DataFrame,
    register: pl.DataFrame | PreparedSide,
    settings: MatchSettings,
    *,
    accepted_only: bool = False,
) -> tuple[pl.DataFrame, dict[str, float]]:
    """`link_weighted` of rows already prepared (`prepare(rows, "row_id")`)."""
    if prepared_rows.height == 0 or register.height == 0:
        return empty_links(), dict(WEIGHTS)
    prepared_reg = (
        register if isinstance(register, PreparedSide) else PreparedSide.of(register, "record_id")
    )
    # Learned weights come from every pair found: nothing may be left unfound then.
    wanted = settings.link_accept if accepted_only and not settings.learn_weights else 0.0
    scored = candidates(prepared_rows, prepared_reg, settings=settings, wanted=wanted)
    if scored.height == 0:
        return empty_links(), dict(WEIGHTS)
    scored, weights = weighted(scored, settings)
    return _links(scored, settings), weights


def _links(scored: pl.DataFrame, settings: MatchSettings) -> pl.DataFrame:
    best = _best(scored, settings).filter(pl.col("score") >= settings.link_review)
    evidence = scored.select("reasons", "nik_evidence")[best.get_column("at")]
    best = pl.concat([best, evidence], how="horizontal")
    return best.select(
        pl.col("row").alias("row_id"),
        pl.col("rec").alias("record_id"),
        pl.when(pl.col("nik_evidence") == "nik_exact")
        .then(pl.lit("exact"))
        .otherwise(pl.lit("probable"))
        .alias("match"),
        pl.col("score"),
        pl.when(pl.col("ambiguous"))
        .then(pl.col("reasons").list.concat(pl.lit(["ambiguous"])))
        .otherwise(pl.col("reasons"))
        .alias("reasons"),
    ).cast(pl.Schema(LINK_SCHEMA))


def needs_review(links: pl.DataFrame, settings: MatchSettings) -> pl.Expr:
    """True for a link a verifier must confirm: probable, ambiguous or a weak exact one."""
    del links
    return (
        (pl.col("match") != "exact")
        | (pl.col("score") < settings.link_accept)
        | pl.col("reasons").list.contains("ambiguous")
    )
