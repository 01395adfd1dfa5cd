"""The second process of a large run, started ahead by `lindung verify`
(`lindung.verification.side_start`), and the links it hands back (`matching.side.packed`)."""

from __future__ import annotations

import datetime as dt
import gc
import io
import json

import polars as pl
import pytest
from django.core.management import call_command

from lindung.verification import second_process, services, side_start
from lindung.verification.matching.evidence import LINK_SCHEMA, REGISTER_SCHEMA
from lindung.verification.matching.side import packed, unpacked

# handed_in and small_register: the fixtures of the runs these tests make.
from tests.verification.test_runs import handed_in, linked, small_register  # noqa: F401


@pytest.fixture(autouse=True)
def _nothing_started_ahead():
    side_start.discard()
    yield
    side_start.discard()


def _pool_used(monkeypatch) -> list[object]:
    used: list[object] = []
    original = second_process.SecondProcess.result

    def result(self):
        used.append(self._pool)
        return original(self)

    monkeypatch.setattr(second_process.SecondProcess, "result", result)
    return used


@pytest.mark.usefixtures("handed_in")
def test_a_large_run_takes_the_process_started_ahead_and_links_alike(program, monkeypatch):
    in_one = linked(services.run_verification(actor="cli", program=program))
    monkeypatch.setattr(second_process, "SIDE_PROCESS_FROM", 1)
    side_start.start_ahead()
    ahead = side_start._STARTED[0]
    used = _pool_used(monkeypatch)

    in_two = linked(services.run_verification(actor="cli", program=program))

    assert used == [ahead]
    assert side_start.take() is None  # taken, and let go by the run
    assert in_two == in_one
    assert any(v[3] == "exact" for v in in_two.values())


@pytest.mark.usefixtures("handed_in")
def test_a_small_run_lets_the_process_started_ahead_go(program, monkeypatch):
    side_start.start_ahead()
    ahead = side_start._STARTED[0]
    used = _pool_used(monkeypatch)

    services.run_verification(actor="cli", program=program)

    assert used == [None]  # linked in the run's own process
    assert side_start.take() is None
    with pytest.raises(RuntimeError):
        ahead.submit(int)  # shut down


@pytest.mark.usefixtures("handed_in")
def test_the_cli_starts_the_second_process_ahead_and_leaves_none_behind(program, monkeypatch):
    started: list[bool] = []
    original = side_start.start_ahead

    def start_ahead() -> None:
        original()
        started.append(bool(side_start._STARTED))

    monkeypatch.setattr(side_start, "start_ahead", start_ahead)
    out = io.StringIO()
    call_command("verify", "--program", program.code, "--json", stdout=out)

    assert started == [True]
    assert side_start.take() is None
    assert json.loads(out.getvalue())["rows"] == 7


def test_nothing_is_started_ahead_where_a_second_process_cannot_help(monkeypatch):
    monkeypatch.setattr(side_start.os, "cpu_count", lambda: 1)
    side_start.start_ahead()
    assert side_start.take() is None


def test_links_handed_back_packed_come_back_as_they_were():
    links = pl.DataFrame(
        {
            "row_id": [1, 2, 3],
            "record_id": [10, 20, None],
            "match": ["exact", "probable", "probable"],
            "score": [0.999, 0.6, 0.5],
            "reasons": [
                ["nik_exact", "name_same", "date_same", "sex_same", "district_same"],
                ["nik_near", "name_close", "date_unknown", "sex_same", "district_same"],
                [],
            ],
        },
        schema=LINK_SCHEMA,
    )
    handed = packed(links)
    assert handed.schema["reasons"] == pl.Categorical
    assert unpacked(handed).equals(links)


def test_the_second_process_freezes_its_start_up_and_link_and_links_without_collector(
    monkeypatch,
):
    from lindung.verification.matching import side
    from lindung.verification.matching.evidence import MatchSettings, empty_links

    gc.unfreeze()
    try:
        side_start._ready()
        assert gc.get_freeze_count() > 0  # the imports' objects: skipped by later passes
    finally:
        gc.unfreeze()

    seen: list[bool] = []

    def link_prepared(rows, register, settings):
        seen.append(gc.isenabled())
        return empty_links(), {}

    monkeypatch.setattr(side, "link_prepared", link_prepared)
    side.load_register(pl.DataFrame(schema=REGISTER_SCHEMA))
    side.hand_rows(side.as_arrow(pl.DataFrame(schema=_ROW_SCHEMA)))
    was = gc.isenabled()
    gc.enable()
    try:
        side.register_link(MatchSettings())
        assert seen == [False]
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # what the link left: skipped by later passes
    finally:
        gc.unfreeze()
        if not was:
            gc.disable()


# What the run hands the second process of its rows (`SecondProcess.link`).
_ROW_SCHEMA = {
    "row_id": pl.Int64, "nik": pl.String, "kk": pl.String, "name": pl.String,
    "birth_date": pl.Date, "sex": pl.String, "district": pl.String,
}  # fmt: skip


def test_the_second_process_tells_at_once_which_rows_the_register_confirms():
    from lindung.verification.matching import side
    from lindung.verification.matching.evidence import MatchSettings

    suwarni = {
        "record_id": 1, "nik": "3504096804874842", "kk": "3504091202100007", "name": "SUWARNI",
        "birth_date": dt.date(1987, 4, 28), "sex": "P", "district": "35.04.09",
    }  # fmt: skip
    rows = pl.DataFrame(
        [
            {**suwarni, "row_id": 7, "kk": None, "name": "Suwarni"},  # confirmed
            {**suwarni, "row_id": 8, "kk": None, "birth_date": dt.date(1987, 4, 29)},
        ],
        schema=_ROW_SCHEMA,
    )
    side.load_register(pl.DataFrame([suwarni], schema=REGISTER_SCHEMA))
    assert side.hand_rows(side.as_arrow(rows)).to_list() == [7]
    links, _weights = side.register_link(MatchSettings())
    assert side.unpacked(links).get_column("row_id").sort().to_list() == [7, 8]
    # Both were let go with the link: another link needs them handed again.
    with pytest.raises(side.NotLoaded):
        side.register_link(MatchSettings())
