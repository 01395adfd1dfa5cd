"""The register prepared for the link once per snapshot, kept beside its columnar cache
(`lindung.verification.register_side`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from lindung.register import cache
from lindung.register.services import snapshot_load
from lindung.verification import register_side, services
from lindung.verification.matching.prepared import TABLES, PreparedSide
from lindung.verification.register_side import (
    prepare_register_job,
    prepared_register_prefix,
    read_prepared_register,
)
from tests.intake.conftest import csv_bytes
from tests.verification.test_runs import (
    DISHUB,
    PERIKANAN,
    REGISTER_HEADER,
    REGISTER_LINES,
    verdicts,
)


def _load(pemda, tmp_path: Path, lines: list[str], name: str = "dtks.csv"):
    path = tmp_path / name
    path.write_text("\n".join([REGISTER_HEADER, *lines]) + "\n", encoding="utf-8")
    return snapshot_load(
        actor="cli", pemda=pemda, path=path, filename=path.name, source="dtks",
        as_of=dt.date(2025, 6, 30),
    )  # fmt: skip


def _files(snapshot) -> list[Path]:
    prefix = register_side._prefix(snapshot)
    return [Path(f"{prefix}.{name}.parquet") for name in TABLES]


@pytest.fixture
def not_made(monkeypatch):
    """Preparing a register fails from now on: what is returned was read from disk."""

    def refuse(*args, **kwargs):
        raise AssertionError("the register was prepared again")

    monkeypatch.setattr(register_side.PreparedSide, "of", refuse)


def _rows(table: pl.DataFrame) -> list[tuple[object, ...]]:
    return sorted(table.rows())


def _ids(side: PreparedSide) -> list[int]:
    return side.frame.get_column("id").to_list()


def test_loading_a_snapshot_queues_its_register_prepared_by_the_worker(
    pemda, tmp_path, request, django_capture_on_commit_callbacks, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = _load(pemda, tmp_path, REGISTER_LINES)
    # The load does not wait for it: a job is queued.
    assert not any(path.exists() for path in _files(snapshot))
    queued = DBTaskResult.objects.get(task_path=prepare_register_job.module_path)
    assert queued.args_kwargs["args"] == [snapshot.pk]
    prepare_register_job.call(snapshot.pk)
    assert all(path.exists() for path in _files(snapshot))
    request.getfixturevalue("not_made")
    side = read_prepared_register(snapshot)
    assert side.frame.get_column("name").to_list() == ["SUWARNI", "LESTARI", "SRI WAHYUNI"]
    assert side.counts.height == 3


def test_a_prepared_register_is_made_on_first_use_and_then_read(pemda, tmp_path, monkeypatch):
    snapshot = _load(pemda, tmp_path, REGISTER_LINES)  # the load's on_commit never ran
    assert not any(path.exists() for path in _files(snapshot))
    first = read_prepared_register(snapshot)
    assert all(path.exists() for path in _files(snapshot))
    monkeypatch.setattr(register_side.PreparedSide, "of", None)  # not made again
    again = read_prepared_register(snapshot, cache.read_register(snapshot))
    assert _ids(again) == _ids(first)
    assert len(_ids(first)) == 3
    for name in TABLES:
        assert again.table(name).equals(first.table(name))


@pytest.mark.parametrize("damage", ["missing", "broken"])
def test_a_prepared_register_missing_or_broken_is_made_again(pemda, tmp_path, damage):
    snapshot = _load(pemda, tmp_path, REGISTER_LINES)
    made = read_prepared_register(snapshot)
    tokens = _files(snapshot)[TABLES.index("tokens")]
    if damage == "missing":
        tokens.unlink()
    else:
        tokens.write_bytes(b"PAR1 and nothing else")
    again = read_prepared_register(snapshot)
    assert _rows(again.tokens) == _rows(made.tokens)
    assert _rows(pl.read_parquet(tokens)) == _rows(made.tokens)  # stored whole again


def test_a_prepared_register_of_other_records_is_made_again(pemda, tmp_path):
    snapshot = _load(pemda, tmp_path, REGISTER_LINES)
    register = cache.read_register(snapshot)
    PreparedSide.of(
        register.with_columns(pl.col("record_id") + 1000), "record_id"
    ).complete().write(register_side._prefix(snapshot))
    side = read_prepared_register(snapshot, register)
    assert _ids(side) == register.get_column("record_id").to_list()
    assert _ids(PreparedSide.read(register_side._prefix(snapshot))) == _ids(side)


def test_another_snapshot_has_its_own_prepared_register(pemda, tmp_path):
    first = _load(pemda, tmp_path, REGISTER_LINES)
    second = _load(pemda, tmp_path, REGISTER_LINES[:2], name="dtks-2.csv")
    one, two = read_prepared_register(first), read_prepared_register(second)
    assert register_side._prefix(first) != register_side._prefix(second)
    assert len(_ids(one)) == 3
    assert len(_ids(two)) == 2
    assert set(_ids(one)).isdisjoint(_ids(two))
    assert _ids(read_prepared_register(first)) == _ids(one)


def test_writing_a_snapshot_cache_again_drops_what_was_prepared_from_it(pemda, tmp_path):
    snapshot = _load(pemda, tmp_path, REGISTER_LINES)
    read_prepared_register(snapshot)
    other = register_side._prefix(snapshot).with_name(
        cache.register_cache_derived(snapshot, "prepared-old").name + ".frame.parquet"
    )
    other.write_bytes(b"PAR1")  # made by other code: removed with the next store
    cache.register_cache_store(snapshot, cache.read_register(snapshot))
    assert not any(path.exists() for path in _files(snapshot))
    read_prepared_register(snapshot)
    assert all(path.exists() for path in _files(snapshot))
    assert not other.exists()


def test_a_run_makes_the_prepared_register_and_the_next_reads_it(
    pemda, tmp_path, program, agency, other_agency, hand_in, request
):
    # The register's load did not prepare it here (its on_commit never ran): the first run
    # does, the second reads it.
    snapshot = _load(pemda, tmp_path, REGISTER_LINES)
    hand_in(agency, csv_bytes(PERIKANAN))
    hand_in(other_agency, csv_bytes(DISHUB))
    first = verdicts(services.run_verification(actor="cli", program=program))
    assert len(first) == 7
    assert all(path.exists() for path in _files(snapshot))
    request.getfixturevalue("not_made")
    second = verdicts(services.run_verification(actor="cli", program=program))
    assert {k: (v.outcome, v.register_id) for k, v in first.items()} == {
        k: (v.outcome, v.register_id) for k, v in second.items()
    }


def test_a_process_without_django_is_told_where_the_prepared_register_is(
    pemda, tmp_path, monkeypatch
):
    snapshot = _load(pemda, tmp_path, REGISTER_LINES)
    prefix = prepared_register_prefix(snapshot)  # made and stored first
    assert prefix is not None
    assert (
        _ids(PreparedSide.read(prefix))
        == cache.read_register(snapshot).get_column("record_id").to_list()
    )
    monkeypatch.setattr(register_side.PreparedSide, "of", None)  # not made again
    assert prepared_register_prefix(snapshot) == prefix


def test_no_place_is_told_when_the_prepared_register_cannot_be_stored(pemda, tmp_path, monkeypatch):
    snapshot = _load(pemda, tmp_path, REGISTER_LINES)

    def full_disk(self, prefix):
        raise OSError("No space left on device")

    monkeypatch.setattr(register_side.PreparedSide, "write", full_disk)
    assert prepared_register_prefix(snapshot) is None
    assert len(_ids(read_prepared_register(snapshot))) == 3  # made, not stored
