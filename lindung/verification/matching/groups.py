"""Rows that are one person: pairs of rows closed into groups."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from lindung.verification.matching.blocks import prepare
from lindung.verification.matching.evidence import GROUP_SCHEMA, MatchSettings, empty_groups
from lindung.verification.matching.linking import candidates, weighted


def duplicate_groups(
    rows: pl.DataFrame,
    links: pl.DataFrame,
    settings: MatchSettings | None = None,
    weights: Mapping[str, float] | None = None,
    *,
    scored: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Rows that are one person (`GROUP_SCHEMA`): rows linked to the same register record,
    and rows matched to each other by the same blocks and scores as register links. Groups
    are closed transitively; `group_id` is the smallest row id of the group, `duplicate_of`
    the earliest other row of the group, `score` the strongest pair evidence of the row.
    `weights`: the evidence weights to score with (those of the run's links); without them,
    as `linking.weighted` decides. `scored`: the rows' candidate pairs, when already found
    (`duplicate_candidates`, in another process)."""
    settings = settings or MatchSettings()
    if rows.height < 2:
        return empty_groups()
    pair_frames: list[pl.DataFrame] = []
    if links.height:
        pair_frames.append(_shared_record_pairs(links))
    if scored is None:
        scored = duplicate_candidates(rows, settings)
    scored, _weights = weighted(scored, settings, weights)
    if links.height:
        scored = _apart_in_register(scored, links)
    pair_frames.append(
        scored.filter(pl.col("score") >= settings.duplicate_review).select(
            pl.min_horizontal("row", "rec").alias("a"),
            pl.max_horizontal("row", "rec").alias("b"),
            "score",
            "reasons",
        )
    )
    # A pair found from both sides with the same score (one row's KK column meeting the
    # other's NIK, and the other way round) keeps the first of its reasons in a fixed
    # order: the result never depends on the order the pairs were found in.
    pairs = (
        pl.concat([f.cast({"reasons": pl.List(pl.String)}) for f in pair_frames])
        .with_columns(_tie=pl.col("reasons").list.join(" "))
        .sort(["score", "_tie", "a", "b"], descending=[True, False, False, False])
        .unique(subset=["a", "b"], keep="first", maintain_order=True)
        .drop("_tie")
    )
    if pairs.height == 0:
        return empty_groups()
    return _grouped(pairs)


def duplicate_candidates(
    rows: pl.DataFrame, settings: MatchSettings, confirmed: pl.Series | None = None
) -> pl.DataFrame:
    """The candidate pairs of rows that may be one person, scored with the hand weights
    (`duplicate_groups` weighs them as the run does); they do not depend on the links.
    `confirmed`: the ids of the rows the register confirms (`register_confirmed`): they take
    only the first round (the same NIK or KK) as rows; the others still meet them."""
    if rows.height < 2:
        return pl.DataFrame()
    prepared = prepare(rows, "row_id")
    return candidates(prepared, prepared, settings=settings, itself=True, first_only=confirmed)


def register_confirmed(prepared: pl.DataFrame, register: pl.DataFrame) -> pl.Series:
    """The ids of the prepared rows the register (prepared too: `prepare`) confirms: their
    NIK (16 digits) is one register person's alone, of the same name (simple form, not
    blank) and birth date. Such a row links to that person for sure, and looking for its
    look-alikes among the rows from its own side adds nothing: a row of the same person the
    register links there too is grouped with it by the shared record
    (`_shared_record_pairs`); a row the register confirms as another person is another
    person (`_apart_in_register`); and any other row still meets it from its own side, in
    the rounds that row takes. On the benchmark's set B, 46 % of the rows, and a fifth of
    the duplicate search's time, with the same groups and one wrong pair fewer
    (docs/benchmarks.md, issue 10 session 17)."""
    clean = prepared.filter(pl.col("n16").is_not_null()).select("id", "n16", "simple", "birth_date")
    # Joined on the number alone, the register person's fields taken by position after: the
    # register's million names are not copied.
    at = register.select("n16", at=pl.int_range(pl.len(), dtype=pl.UInt32))
    alone = clean.join(at, on="n16").filter(pl.len().over("id") == 1)
    theirs = register.select("simple", "birth_date")[alone.get_column("at")]
    same = (
        (alone.get_column("simple") != "")
        & (alone.get_column("simple") == theirs.get_column("simple"))
        & (alone.get_column("birth_date") == theirs.get_column("birth_date"))
    )
    return alone.get_column("id").filter(same.fill_null(value=False))


def _shared_record_pairs(links: pl.DataFrame) -> pl.DataFrame:
    """Pairs of rows linked to the same register record, as strong as the weaker link."""
    by_record = links.select("row_id", "record_id", "score")
    shared = by_record.join(by_record, on="record_id", suffix="_b").filter(
        pl.col("row_id") < pl.col("row_id_b")
    )
    return shared.select(
        pl.col("row_id").alias("a"),
        pl.col("row_id_b").alias("b"),
        pl.min_horizontal("score", "score_b").alias("score"),
        pl.lit(["same_register_record"]).alias("reasons"),
    )


def _apart_in_register(scored: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """The pairs the register does not tell apart: two rows linked to two different people
    are not one person, however alike they look."""
    record = links.select(pl.col("row_id").alias("row"), pl.col("record_id").alias("ra"))
    return (
        scored.join(record, on="row", how="left")
        .join(record.rename({"row": "rec", "ra": "rb"}), on="rec", how="left")
        .filter(pl.col("ra").is_null() | pl.col("rb").is_null() | (pl.col("ra") == pl.col("rb")))
        .drop("ra", "rb")
    )


def _grouped(pairs: pl.DataFrame) -> pl.DataFrame:
    """`GROUP_SCHEMA` rows from scored pairs (a, b): groups closed transitively, each row
    with the earliest other row of its group and its strongest pair."""
    group_of = _components(zip(pairs.get_column("a"), pairs.get_column("b"), strict=True))
    members = pl.DataFrame(
        {"row_id": list(group_of), "group_id": list(group_of.values())},
        schema={"row_id": pl.Int64, "group_id": pl.Int64},
    )
    # Each row's strongest pair.
    ends = pl.concat(
        [
            pairs.select(
                pl.col("a").alias("row_id"), pl.col("b").alias("other"), "score", "reasons"
            ),
            pairs.select(
                pl.col("b").alias("row_id"), pl.col("a").alias("other"), "score", "reasons"
            ),
        ]
    )
    strongest = (
        ends.sort(["row_id", "score", "other"], descending=[False, True, False])
        .group_by("row_id", maintain_order=True)
        .agg(pl.col("score").first(), pl.col("reasons").first())
    )
    ordered = members.sort("row_id")
    firsts = ordered.group_by("group_id", maintain_order=True).agg(
        pl.col("row_id").get(0).alias("first"), pl.col("row_id").get(1).alias("second")
    )
    return (
        ordered.join(firsts, on="group_id")
        .with_columns(
            duplicate_of=pl.when(pl.col("row_id") == pl.col("first"))
            .then(pl.col("second"))
            .otherwise(pl.col("first"))
        )
        .join(strongest, on="row_id", how="left")
        .select(list(GROUP_SCHEMA))
        .cast(pl.Schema(GROUP_SCHEMA))
    )


def _components(edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Union-find: {node: smallest node of its component}."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in parent}
