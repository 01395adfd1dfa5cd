"""How a computed dashboard reads the enrolments (issue 14's 500.000-participant bar): a few
grouped queries, none calling back into Python per row on SQLite; the budget reads the
enrolments' date groups once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lindung.accounts.models import Role
from lindung.enrollment.capacity import span_rows
from lindung.monitoring.dashboard import dashboard_of
from lindung.workers.models import EnrolmentStatus
from tests.factories import EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2025, 6, 30)


@pytest.fixture
def enrolled(program, funding_source):
    for _ in range(3):
        EnrolmentFactory(
            program=program,
            funding_source=funding_source,
            village_id="35.04.15.2001",
            start_month=dt.date(2025, 1, 1),
            started_on=dt.date(2025, 1, 10),
        )
    EnrolmentFactory(
        program=program,
        funding_source=funding_source,
        village_id="35.04.17.2001",
        status=EnrolmentStatus.ENDED,
        start_month=dt.date(2025, 2, 1),
        started_on=dt.date(2025, 2, 3),
        ended_on=dt.date(2025, 5, 20),
    )
    return program


def test_the_budget_reads_the_enrolments_grouped_on_their_dates(enrolled, funding_source):
    rows = sorted(span_rows(enrolled), key=lambda r: r[4])
    assert rows == [
        (funding_source.pk, dt.date(2025, 2, 1), dt.date(2025, 2, 3), dt.date(2025, 5, 20), 1),
        (funding_source.pk, dt.date(2025, 1, 1), dt.date(2025, 1, 10), None, 3),
    ]


def test_a_computed_dashboard_scans_the_enrolments_in_three_grouped_queries(enrolled, pemda):
    leader = UserFactory(pemda=pemda, role=Role.LEADER)
    with CaptureQueriesContext(connection) as queries:
        board = dashboard_of(user=leader, program=enrolled, as_of=AS_OF)
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if "django_date" in s]  # no per-row Python on SQLite
    grouped = [s for s in sql if 'FROM "workers_enrolment"' in s and "GROUP BY" in s]
    assert len(grouped) == 3  # where/who pays, who, and the budget's date groups
    assert board.coverage.active == 3  # the one who ended on 20 May no longer counts
    for slices in (board.agency, board.source, board.occupation, board.sex, board.age):
        assert sum(s.count for s in slices) == 3
