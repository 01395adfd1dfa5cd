"""A side of the link prepared once (`matching.prepared.PreparedSide`): the engine finds the
same links from it as from the raw frame, and it survives being written and read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from lindung.demo.generator import generate_workers
from lindung.verification import matching
from lindung.verification.matching import MatchSettings
from lindung.verification.matching.blocks import prepare
from lindung.verification.matching.prepared import TABLES, PreparedSide

VILLAGES = [(f"35.04.{d:02d}.2001", f"Desa {d}") for d in range(1, 8)]


@pytest.fixture(scope="module")
def frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    """A register of 3.000 synthetic people and 600 rows handed in from it, damaged the
    ways the blocks are there for: a blank NIK (the second route: person blocks, the name
    in the district), a relative's NIK (the household), two digits swapped, a digit
    missing, the 16th digit lost to a spreadsheet, another spelling of the name."""
    workers = generate_workers(
        seed=7, count=3000, villages=VILLAGES, occupations=["petani"], as_of=date(2025, 6, 30)
    )
    register = pl.DataFrame(
        {
            "record_id": list(range(1, len(workers) + 1)),
            "nik": [w.nik for w in workers],
            "kk": [w.kk for w in workers],
            "name": [w.name for w in workers],
            "birth_date": [w.birth_date for w in workers],
            "sex": [w.sex for w in workers],
            "district": [w.district_code for w in workers],
        },
        schema=matching.REGISTER_SCHEMA,
    )
    picked = register.slice(0, 600).with_columns(kind=pl.int_range(pl.len()) % 6)
    nik, kind = pl.col("nik"), pl.col("kind")
    swapped = nik.str.slice(0, 10) + nik.str.slice(11, 1) + nik.str.slice(10, 1)
    damaged = (
        pl.when(kind == 0)
        .then(pl.lit(""))
        .when(kind == 1)
        .then(nik.shift(-1))  # a neighbour's NIK
        .when(kind == 2)
        .then(swapped + nik.str.slice(12))
        .when(kind == 3)
        .then(nik.str.slice(0, 15))
        .when(kind == 4)
        .then(nik.str.slice(0, 14) + pl.lit("70"))
        .otherwise(nik)
    )
    rows = picked.select(
        (pl.col("record_id") + 10_000).alias("row_id"),
        pl.lit(1, dtype=pl.Int64).alias("agency_id"),
        damaged.alias("nik"),
        pl.lit("").alias("kk"),
        pl.when(kind == 5)
        .then(pl.col("name").str.replace("U", "OE"))
        .otherwise(pl.col("name"))
        .alias("name"),
        "birth_date",
        "sex",
        "district",
    ).cast(pl.Schema(matching.ROW_SCHEMA))
    return rows, register


def _sorted(links: pl.DataFrame) -> pl.DataFrame:
    return links.sort("row_id", "record_id")


def test_the_links_from_a_prepared_register_are_those_from_the_frame(frames, tmp_path: Path):
    rows, register = frames
    settings = MatchSettings()
    raw, raw_weights = matching.link_weighted(rows, register, settings)
    # the second route and the NIK neighbourhoods found their share
    assert raw.filter(pl.col("match") == "probable").height > 100
    side = PreparedSide.of(register, "record_id")
    side.write(tmp_path / "reg")
    for prepared in (side, PreparedSide.read(tmp_path / "reg")):
        links, weights = matching.link_weighted(rows, prepared, settings)
        assert weights == raw_weights
        assert _sorted(links).equals(_sorted(raw))


def test_candidates_from_a_prepared_register_are_those_from_the_frame(frames):
    rows, register = frames
    settings = MatchSettings()
    prepared_rows, prepared_reg = prepare(rows, "row_id"), prepare(register, "record_id")
    raw = matching.candidates(prepared_rows, prepared_reg, settings=settings)
    made = matching.candidates(prepared_rows, PreparedSide(prepared_reg), settings=settings)
    assert raw.height > rows.height
    assert made.sort("row", "rec").equals(raw.sort("row", "rec"))


def test_a_prepared_side_read_back_holds_the_same_tables(frames, tmp_path: Path):
    _, register = frames
    side = PreparedSide.of(register, "record_id").complete()
    side.write(tmp_path / "reg")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"reg.{name}.parquet" for name in TABLES
    )
    back = PreparedSide.read(tmp_path / "reg")
    for name in TABLES:
        assert back.table(name).equals(side.table(name)), name


def test_a_prepared_side_comes_back_in_one_piece_each_table(frames, tmp_path: Path):
    _, register = frames
    # A frame in pieces, as a million register lines come from Parquet.
    pieces = pl.concat([register.slice(0, 1000), register.slice(1000)], rechunk=False)
    side = PreparedSide.of(pieces, "record_id").complete()
    assert side.frame.n_chunks() > 1
    side.write(tmp_path / "reg")
    back = PreparedSide.read(tmp_path / "reg")
    assert {name: back.table(name).n_chunks() for name in TABLES} == dict.fromkeys(TABLES, 1)


def test_a_prepared_side_missing_a_table_or_with_a_broken_one_is_not_read(frames, tmp_path: Path):
    _, register = frames
    PreparedSide.of(register.head(50), "record_id").write(tmp_path / "reg")
    (tmp_path / "reg.tokens.parquet").unlink()
    with pytest.raises(FileNotFoundError, match="tokens"):
        PreparedSide.read(tmp_path / "reg")
    PreparedSide.of(register.head(50), "record_id").write(tmp_path / "reg")
    (tmp_path / "reg.members.parquet").write_bytes(b"PAR1 not parquet")
    with pytest.raises(pl.exceptions.PolarsError):
        PreparedSide.read(tmp_path / "reg")
    PreparedSide.of(register.head(50), "record_id").write(tmp_path / "reg")
    pl.DataFrame({"simple": ["X"]}).write_parquet(tmp_path / "reg.keys.parquet")
    with pytest.raises(ValueError, match="keys"):
        PreparedSide.read(tmp_path / "reg")


def test_the_link_reads_the_tables_a_prepared_register_holds(frames):
    # Made once and kept, the tables are not made again: a side whose name tables say no
    # register person has a name finds fewer candidates.
    rows, register = frames
    settings = MatchSettings()
    prepared_rows = prepare(rows, "row_id")
    side = PreparedSide.of(register, "record_id").complete()
    full = matching.candidates(prepared_rows, side, settings=settings)
    nameless = PreparedSide(
        side.frame, {name: side.table(name).clear() for name in TABLES if name != "frame"}
    )
    fewer = matching.candidates(prepared_rows, nameless, settings=settings)
    assert fewer.height < full.height
