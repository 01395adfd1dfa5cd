"""Small pieces the register's cleaning and region steps share: a recognised column as a
polars expression, issues as JSON text, and resolving a column once per distinct value."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

import polars as pl


def issue_dict(fld: str, code: str, message: str) -> dict[str, str]:
    return {"field": fld, "code": code, "message": message, "severity": "warning"}


def issue(fld: str, code: str, message: str) -> str:
    return json.dumps(issue_dict(fld, code, message), ensure_ascii=False)


def col(found: Mapping[str, int], fld: str) -> pl.Expr:
    if fld in found:
        return pl.col(f"c{found[fld]}").str.strip_chars()
    return pl.lit("", dtype=pl.String)


def lookup_column(
    frame: pl.DataFrame, source: pl.Expr, resolve: Callable[[pl.Series], pl.Series]
) -> pl.Series:
    """`resolve` applied to the distinct values of `source` only, joined back in row order:
    a register of a million rows holds a few tens of thousands of distinct dates and a
    handful of distinct status texts."""
    texts = frame.with_columns(source.alias("_text")).select("_text")  # broadcasts a literal
    distinct = texts.unique()
    resolved = distinct.with_columns(resolve(distinct.get_column("_text")).alias("_value"))
    return texts.join(resolved, on="_text", how="left", maintain_order="left").get_column("_value")
