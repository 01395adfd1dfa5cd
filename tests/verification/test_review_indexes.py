"""The review queues' indexes hold only the verdicts awaiting a decision (partial indexes):
a run writes 100.000 verdicts, about a seventh of them to review."""

from __future__ import annotations

import pytest
from django.db import connection

from lindung.verification.models import RowVerdict

QUEUES = {
    "verdict_run_review_match": {"review_match": True},
    "verdict_run_review_dup": {"review_duplicate": True},
}


def _definition(name: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [name])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "queue"), list(QUEUES.items()))
def test_a_review_queue_index_holds_only_the_verdicts_awaiting_a_decision(name, queue):
    definition = _definition(name)
    assert "WHERE" in definition.upper()
    assert next(iter(queue)) in definition
    if connection.vendor == "sqlite":
        # The queue's query is read through it (PostgreSQL's planner reads a table this
        # small whole, whatever its indexes).
        assert name in RowVerdict.objects.filter(run_id=1, **queue).explain()
