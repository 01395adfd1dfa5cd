"""The kept participation counts (issue 14's 500-ms bar): the dashboard and coverage read a
sum of daily starts and ends, and it must give exactly what counting the enrolments gives."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lindung.accounts.models import Role
from lindung.audit.services import audit_record
from lindung.monitoring.coverage import active_count, coverage_of
from lindung.monitoring.dashboard import dashboard_of
from lindung.monitoring.participation import (
    participation_fresh,
    participation_on,
    participation_refresh,
    refresh_participation,
)
from lindung.workers.models import Enrolment, EnrolmentStatus
from tests.factories import (
    AgencyFactory,
    EnrolmentFactory,
    FundingSourceFactory,
    ProgramFactory,
    UserFactory,
    WorkerFactory,
)

pytestmark = pytest.mark.django_db

BESOLE = "35.04.15.2001"  # Kecamatan Besuki
SAMBIDOPLANG = "35.04.15.2002"
BANDUNG = "35.04.17.2001"  # Kecamatan Bandung
DAYS = [
    dt.date(2024, 12, 31),  # before anyone started
    dt.date(2025, 1, 1),
    dt.date(2025, 2, 1),  # the day one left: still counts
    dt.date(2025, 2, 2),
    dt.date(2025, 3, 15),
    dt.date(2025, 6, 30),
    dt.date(2028, 2, 29),
]


def _person(program, village, birth, *, sex="L", agency=None, source=None, **enrolment):
    worker = WorkerFactory(
        pemda=program.pemda, birth_date=birth, sex=sex, village_id=village, agency=agency
    )
    return EnrolmentFactory(
        program=program,
        worker=worker,
        village_id=enrolment.pop("own", village),
        funding_source=source,
        **enrolment,
    )


@pytest.fixture
def mixed(program, pemda):
    """Eleven enrolments over three villages, two agencies and two sources, ages across the
    band edges on 15 March 2025 (born 16/15 March 2000: 24 and 25), some ended, one
    rejected, one ended without a date, one without a village of its own."""
    apbd, dbh = FundingSourceFactory(program=program), FundingSourceFactory(program=program)
    dinas, desa = AgencyFactory(pemda=pemda), AgencyFactory(pemda=pemda)
    on = dt.date
    _person(program, BESOLE, on(2000, 3, 16), agency=dinas, source=apbd, started_on=on(2025, 1, 1))
    _person(program, BESOLE, on(2000, 3, 15), agency=dinas, source=apbd, started_on=on(2025, 1, 1))
    _person(program, SAMBIDOPLANG, on(2000, 3, 14), sex="P", source=dbh, started_on=on(2025, 3, 1))
    _person(
        program, BANDUNG, on(1960, 12, 31), agency=desa, source=dbh, started_on=on(2025, 1, 1),
        status=EnrolmentStatus.ENDED, ended_on=on(2025, 2, 1),
    )  # fmt: skip
    _person(
        program, BANDUNG, on(1960, 1, 1), sex="P", source=apbd, started_on=on(2024, 12, 31),
        status=EnrolmentStatus.ENDED, ended_on=on(2025, 5, 31),
    )  # fmt: skip
    _person(program, BANDUNG, None, sex="", agency=desa, started_on=on(2025, 6, 30))
    _person(program, BANDUNG, on(2010, 6, 30), own=None, started_on=on(2025, 1, 1))
    _person(program, BESOLE, on(1990, 1, 1), status=EnrolmentStatus.REJECTED, started_on=None)
    _person(
        program, BESOLE, on(1990, 1, 1), status=EnrolmentStatus.ENDED, started_on=on(2025, 1, 1)
    )  # ended with no date: never counts
    _person(
        program, BESOLE, on(1985, 2, 28), started_on=on(2025, 4, 1),
        status=EnrolmentStatus.ENDED, ended_on=on(2025, 3, 1),
    )  # fmt: skip  # ended before it started: never counts
    _person(program, None, on(1985, 2, 28), own=None, started_on=on(2025, 2, 2))
    return program


def _figures(board):
    return (
        board.coverage.active,
        [(r.code, r.active) for r in board.coverage.regions],
        [(s.label, s.count) for s in board.agency],
        [(s.label, s.count) for s in board.source],
        [(s.label, s.count) for s in board.occupation],
        [(s.label, s.count) for s in board.sex],
        [(s.label, s.count) for s in board.age],
    )


def test_the_kept_counts_give_the_same_dashboard_as_counting_the_enrolments(mixed, pemda):
    leader = UserFactory(pemda=pemda, role=Role.LEADER)
    besuki = "35.04.15"
    from lindung.regions.models import Region

    district = Region.objects.get(code=besuki)
    counted = {
        (day, d): _figures(dashboard_of(user=leader, program=mixed, as_of=day, district=d))
        for day in DAYS
        for d in (None, district)
    }

    participation_refresh(mixed)

    assert participation_fresh(mixed)
    for (day, d), expected in counted.items():
        kept = dashboard_of(user=leader, program=mixed, as_of=day, district=d)
        assert _figures(kept) == expected, (day, d)


def test_as_of_a_past_date_the_kept_counts_ignore_later_entries_and_count_who_left_later(mixed):
    participation_refresh(mixed)

    # 1 Feb: the two of 1 Jan in Besole, the one without a village of their own, the one of
    # 31 Dec and the one who leaves that very day (both in Bandung) = 5.
    assert participation_on(mixed, dt.date(2025, 2, 1)).total == 5
    # 15 Mar: the one of 1 Feb gone, Sambidoplang (1 Mar) and the one of 2 Feb in = 6.
    assert active_count(mixed, dt.date(2025, 3, 15)) == 6
    march = participation_on(mixed, dt.date(2025, 3, 15))
    # Born 16 March 2000: 24 on the 15th; born 15 and 14 March 2000: 25.
    assert march.bands["15-24"] == 1
    assert march.bands["25-34"] == 2
    assert march.bands["<15"] == 1  # born 30 June 2010: 14
    assert march.bands["35-44"] == 1  # born 28 Feb 1985: 40
    assert march.bands["55-64"] == 0  # born 31 Dec 1960 left on 1 Feb
    assert march.bands["65+"] == 1  # born 1 Jan 1960: 65


def test_coverage_as_of_a_past_date_reads_the_kept_counts_with_two_small_queries(mixed):
    counted = coverage_of(mixed, dt.date(2025, 3, 15))
    participation_refresh(mixed)

    with CaptureQueriesContext(connection) as queries:
        kept = coverage_of(mixed, dt.date(2025, 3, 15))

    assert [(r.code, r.active) for r in kept.regions] == [
        (r.code, r.active) for r in counted.regions
    ]
    assert (kept.active, kept.unplaced) == (counted.active, counted.unplaced)
    assert not [q for q in queries.captured_queries if 'FROM "workers_enrolment"' in q["sql"]
                and "GROUP BY" in q["sql"]]  # fmt: skip


def test_a_change_after_the_refresh_is_counted_directly_until_the_next_refresh(mixed, pemda):
    participation_refresh(mixed)
    day = dt.date(2025, 6, 30)
    before = active_count(mixed, day)
    EnrolmentFactory(program=mixed, village_id=BESOLE, started_on=dt.date(2025, 5, 1))

    assert not participation_fresh(mixed)
    assert participation_on(mixed, day) is None
    assert active_count(mixed, day) == before + 1  # counted from the enrolments

    participation_refresh(mixed)
    assert active_count(mixed, day) == before + 1
    # an audited change of the figures (here: an enrolment ended) makes it stale again
    ended = Enrolment.objects.filter(program=mixed, started_on=dt.date(2025, 5, 1)).get()
    audit_record(actor=None, action="enrolment.ended", obj=ended, pemda=pemda)
    assert not participation_fresh(mixed)


def test_an_audited_change_queues_the_refresh_job_which_rebuilds_the_stale_programs(
    mixed, pemda, django_capture_on_commit_callbacks
):
    other = ProgramFactory(pemda=pemda, code="lama", year=2024, start_month=dt.date(2024, 1, 1))
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        audit_record(actor=None, action="enrolment.ended", obj=mixed, pemda=pemda)
        audit_record(actor=None, action="user.login", pemda=pemda)  # does not count
    assert len(callbacks) == 1
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("refresh_participation")
    assert queued.args_kwargs["args"] == [pemda.pk]
    with django_capture_on_commit_callbacks(execute=True):  # one is waiting already
        audit_record(actor=None, action="bill.generated", obj=mixed, pemda=pemda)
    assert DBTaskResult.objects.count() == 1

    refresh_participation.call(pemda.pk)

    assert participation_fresh(mixed)
    assert participation_fresh(other)


def test_the_command_rebuilds_what_is_out_of_date(mixed):
    out = StringIO()
    call_command("monitoring-refresh", "--json", stdout=out)
    assert json.loads(out.getvalue())["refreshed"] == [mixed.code]

    out = StringIO()
    call_command("monitoring-refresh", "--json", stdout=out)
    assert json.loads(out.getvalue())["refreshed"] == []


def test_the_budget_reads_the_enrolment_groups_kept_at_the_refresh(mixed):
    from lindung.billing.budget import budget_of
    from lindung.enrollment.capacity import holders_of, span_rows
    from lindung.monitoring.participation import kept_spans

    participation_refresh(mixed)

    rows, holders = kept_spans(mixed)
    assert sorted(rows, key=str) == sorted(span_rows(mixed), key=str)
    assert holders == holders_of(mixed) == 6  # the active ones (by status, not by date)
    day = dt.date(2025, 6, 30)
    kept = budget_of(mixed, day, rows=rows, holders=holders)
    assert kept.totals == budget_of(mixed, day).totals
    assert kept.totals["committed"] > 0
