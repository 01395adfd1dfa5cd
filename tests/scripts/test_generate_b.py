"""The benchmark's second data set (scripts/verifybench/generate_b.py), at a small size: the
same seed gives the same files, every fault class of issue 10 is there, the truth agrees
with what was written."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import polars as pl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from verifybench import generate_b
from verifybench.generate import Sizes

SIZES = Sizes(register=6_000, rows=2_500, enrolments=1_500, seed=11)


def _quiet(_text: str) -> None:
    pass


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return generate_b.dataset(SIZES, log=_quiet, cache=tmp_path_factory.mktemp("one"))


def test_the_same_seed_gives_the_same_files_and_truth(built, tmp_path):
    one = built
    two = generate_b.dataset(SIZES, log=_quiet, cache=tmp_path)
    for a, b in zip(
        [one.register_csv, *one.agency_files], [two.register_csv, *two.agency_files], strict=True
    ):
        assert a.read_bytes() == b.read_bytes()
    assert pl.read_parquet(one.truth).equals(pl.read_parquet(two.truth))


def test_another_seed_gives_other_rows(built, tmp_path):
    one = built
    other = generate_b.dataset(
        Sizes(SIZES.register, SIZES.rows, SIZES.enrolments, seed=12), log=_quiet, cache=tmp_path
    )
    assert one.agency_files[0].read_bytes() != other.agency_files[0].read_bytes()


def test_every_fault_class_is_present_and_the_truth_agrees_with_the_lists(built):
    data = built
    assert generate_b.check(data) == []
    truth = pl.read_parquet(data.truth)
    assert truth.height == SIZES.rows
    assert truth.get_column("fault").str.contains("+", literal=True).any()  # combinations


def test_the_check_finds_a_truth_that_disagrees_with_the_lists(built, tmp_path):
    shutil.copytree(built.folder, tmp_path / built.folder.name)
    data = generate_b.dataset(SIZES, log=_quiet, cache=tmp_path)
    assert data.folder == tmp_path / built.folder.name  # the copy, not a new build
    truth = pl.read_parquet(data.truth)
    truth.with_columns(
        nik_kind=pl.when(pl.col("nik_kind") == "none")
        .then(pl.lit("nik_blank"))
        .otherwise(pl.col("nik_kind"))
    ).write_parquet(data.truth)
    assert any("nik_blank" in problem for problem in generate_b.check(data))
