"""Matching quality against the known truth.

Register links, over rows: a row's link is right when its register_id is the truth's. A
wrong link counts as a false positive and a false negative; a row left unlinked whose person
is in the register is a false negative; a linked row of an absent person a false positive.

Duplicate groups, over pairs of rows: the predicted groups (connected components of the
duplicate edges) against the rows of one person; precision = right pairs / predicted pairs,
recall = right pairs / true pairs, counted from the contingency table of (predicted group,
person), so large groups cost nothing to count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

NOISE_COLUMNS = ("nik_kind", "name_kind", "date_kind", "sex_kind", "region_kind")


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 5),
            "recall": round(self.recall, 5),
            "f1": round(self.f1, 5),
        }


def link_score(frame: pl.DataFrame) -> Score:
    """`frame`: one line per row with `register_id` (truth, null when absent) and
    `predicted` (null when unlinked)."""
    right = (pl.col("predicted") == pl.col("register_id")).fill_null(value=False)
    counts = frame.select(
        tp=right.sum(),
        fp=(pl.col("predicted").is_not_null() & ~right).sum(),
        fn=(pl.col("register_id").is_not_null() & ~right).sum(),
    ).row(0)
    return Score(*(int(c) for c in counts))


def _pairs(column: str) -> pl.Expr:
    n = pl.len().alias(column)
    return (n * (n - 1) // 2).alias(column)


def group_score(frame: pl.DataFrame) -> Score:
    """`frame`: one line per row with `person` (truth) and `group` (predicted component;
    null for a row in no group)."""
    grouped = frame.with_columns(
        group=pl.when(pl.col("group").is_null())
        .then(-pl.int_range(1, pl.len() + 1, dtype=pl.Int64))
        .otherwise(pl.col("group").cast(pl.Int64))
    )

    def pairs(*keys: str) -> int:
        sizes = grouped.group_by(*keys).len()
        return int(sizes.select((pl.col("len") * (pl.col("len") - 1) // 2).sum()).item())

    both = pairs("group", "person")
    return Score(both, pairs("group") - both, pairs("person") - both)


def components(edges: Iterable[tuple[int, int]]) -> dict[int, int]:
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


def with_groups(frame: pl.DataFrame, edges: pl.DataFrame) -> pl.DataFrame:
    """`frame` (with `key`, an Int64 row key) plus `group`, from `edges` (a, b keys)."""
    found = components(zip(edges.get_column("a"), edges.get_column("b"), strict=True))
    table = pl.DataFrame(
        {"key": list(found), "group": list(found.values())},
        schema={"key": pl.Int64, "group": pl.Int64},
    )
    return frame.join(table, on="key", how="left", maintain_order="left")


def errors_per_row(frame: pl.DataFrame) -> pl.DataFrame:
    """Per row: link missed / wrong (incl. an absent person linked), duplicate partner
    missed, and grouped with another person."""
    right = (pl.col("predicted") == pl.col("register_id")).fill_null(value=False)
    persons_in_group = (
        frame.filter(pl.col("group").is_not_null())
        .group_by("group")
        .agg(pl.col("person").n_unique().alias("persons_in_group"))
    )
    rows_of_person = frame.group_by("person").agg(pl.len().alias("rows_of_person"))
    together = (
        frame.filter(pl.col("group").is_not_null())
        .group_by("group", "person")
        .agg(pl.len().alias("together"))
    )
    return (
        frame.join(persons_in_group, on="group", how="left")
        .join(rows_of_person, on="person", how="left")
        .join(together, on=["group", "person"], how="left")
        .with_columns(
            link_missed=pl.col("register_id").is_not_null() & pl.col("predicted").is_null(),
            link_wrong=pl.col("predicted").is_not_null() & ~right,
            dup_missed=(pl.col("rows_of_person") > 1)
            & (pl.col("together").fill_null(1) < pl.col("rows_of_person")),
            dup_false=pl.col("persons_in_group").fill_null(1) > 1,
        )
    )


def noise_table(errors: pl.DataFrame) -> pl.DataFrame:
    """Errors per noise kind: one line per (noise column, kind)."""
    parts = []
    extra = errors.with_columns(
        person_kind=pl.when(pl.col("register_id").is_null())
        .then(pl.lit("absent"))
        .otherwise(pl.lit("in_register")),
        copy_kind=pl.when(pl.col("second"))
        .then(pl.lit("second_row"))
        .when(pl.col("rows_of_person") > 1)
        .then(pl.lit("first_row"))
        .otherwise(pl.lit("single")),
    )
    for column in (*NOISE_COLUMNS, "person_kind", "copy_kind"):
        parts.append(
            extra.group_by(pl.col(column).alias("kind"))
            .agg(
                pl.len().alias("rows"),
                pl.col("link_missed").sum(),
                pl.col("link_wrong").sum(),
                pl.col("dup_missed").sum(),
                pl.col("dup_false").sum(),
            )
            .with_columns(pl.lit(column).alias("noise"))
        )
    table = pl.concat(parts).select(
        "noise", "kind", "rows", "link_missed", "link_wrong", "dup_missed", "dup_false"
    )
    return table.sort(["noise", "rows"], descending=[False, True])


CLASS_COLUMNS = ("nik_kind", "date_kind", "name_kind", "sex_kind", "region_kind")


def _class_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` (one line per row, from `errors_per_row`) with the row's classes stacked: one
    line per (row, class) for each noise column's kind, plus how many faults of NIK, birth
    date and name the row has together ("faults: 0", "faults: 1", "faults: 2+"), whether the
    person is in the register and whether the row is one of a person's several."""
    faults = sum(
        (pl.col(c) != "none").cast(pl.Int32) for c in ("nik_kind", "date_kind", "name_kind")
    )
    extra = frame.with_columns(
        faults=pl.when(faults == 0)
        .then(pl.lit("0"))
        .when(faults == 1)
        .then(pl.lit("1"))
        .otherwise(pl.lit("2+")),
        person_kind=pl.when(pl.col("register_id").is_null())
        .then(pl.lit("absent"))
        .otherwise(pl.lit("in_register")),
        copy_kind=pl.when(pl.col("rows_of_person") > 1)
        .then(pl.lit("several_rows"))
        .otherwise(pl.lit("single_row")),
    )
    parts = [
        extra.with_columns(noise=pl.lit(column), kind=pl.col(column).cast(pl.String))
        for column in (*CLASS_COLUMNS, "faults", "person_kind", "copy_kind")
    ]
    keep = ("key", "noise", "kind", "predicted", "register_id", "dup_missed", "dup_false")
    return pl.concat([p.select(*keep, "group", "rows_of_person") for p in parts])


def _class_scores(frame: pl.DataFrame) -> pl.DataFrame:
    right = (pl.col("predicted") == pl.col("register_id")).fill_null(value=False)
    tp = right.sum()
    fp = (pl.col("predicted").is_not_null() & ~right).sum()
    fn = (pl.col("register_id").is_not_null() & ~right).sum()
    several = pl.col("rows_of_person") > 1
    grouped = pl.col("group").is_not_null()
    return (
        frame.group_by("noise", "kind")
        .agg(
            rows=pl.len(),
            link_p=tp / (tp + fp),
            link_r=tp / (tp + fn),
            dup_p=1 - pl.col("dup_false").filter(grouped).mean(),
            dup_r=1 - pl.col("dup_missed").filter(several).mean(),
        )
        .with_columns(pl.col("link_p", "link_r").fill_nan(None))
    )


def class_table(ours: pl.DataFrame, splink: pl.DataFrame | None = None) -> pl.DataFrame:
    """Precision and recall per fault class, for us and (when given) for Splink.

    `ours`, `splink`: one line per row with `key` (the same keys in both), the noise columns,
    `person`, `register_id`, `predicted` (the register_id linked) and `group` (the duplicate
    group). Links: precision and recall over the rows of the class (as `link_score`). Duplicate
    groups, per row: recall = the share of the class's rows of people handed in more than once
    whose every other row is in their group; precision = the share of its grouped rows whose
    group holds no other person. Null where the class has no such row."""
    table = _class_scores(_class_rows(errors_per_row(ours)))
    if splink is not None:
        theirs = _class_scores(_class_rows(errors_per_row(splink))).drop("rows")
        table = table.join(theirs, on=["noise", "kind"], how="left", suffix="_splink")
    return table.sort(["noise", "rows"], descending=[False, True])
