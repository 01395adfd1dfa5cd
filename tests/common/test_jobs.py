"""Background jobs share one rule for a job whose worker died (`lindung.common.jobs`)."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.common.jobs import STALLED_AFTER, JobStatus
from lindung.intake.models import FeedbackExport, ImportJob

NOW = dt.datetime(2026, 12, 6, 4, 0, tzinfo=dt.UTC)
LONG_AGO = NOW - STALLED_AFTER - dt.timedelta(seconds=1)
JUST_NOW = NOW - dt.timedelta(seconds=30)


@pytest.mark.parametrize("model", [ImportJob, FeedbackExport])
@pytest.mark.parametrize(
    ("status", "created", "started", "beat", "stalled"),
    [
        pytest.param(JobStatus.RUNNING, LONG_AGO, LONG_AGO, JUST_NOW, False, id="beating"),
        pytest.param(JobStatus.RUNNING, LONG_AGO, LONG_AGO, LONG_AGO, True, id="silent"),
        pytest.param(JobStatus.RUNNING, LONG_AGO, LONG_AGO, None, True, id="never-beat"),
        pytest.param(JobStatus.RUNNING, LONG_AGO, JUST_NOW, None, False, id="just-started"),
        pytest.param(JobStatus.QUEUED, LONG_AGO, None, None, True, id="queued-unclaimed"),
        pytest.param(JobStatus.QUEUED, JUST_NOW, None, None, False, id="queued-just-now"),
        pytest.param(JobStatus.DONE, LONG_AGO, LONG_AGO, LONG_AGO, False, id="done"),
        pytest.param(JobStatus.FAILED, LONG_AGO, LONG_AGO, LONG_AGO, False, id="failed"),
    ],
)
def test_a_job_is_stalled_when_no_worker_gave_a_sign_of_life_for_ten_minutes(
    model, status, created, started, beat, stalled
):
    job = model(status=status, created_at=created, started_at=started, heartbeat_at=beat)

    assert job.stalled(now=NOW) is stalled


def test_a_failed_or_stalled_job_may_run_again_a_running_one_may_not():
    assert ImportJob(status=JobStatus.FAILED, created_at=JUST_NOW).restartable(now=NOW)
    assert ImportJob(status=JobStatus.RUNNING, created_at=LONG_AGO).restartable(now=NOW)
    assert not ImportJob(
        status=JobStatus.RUNNING, created_at=LONG_AGO, heartbeat_at=JUST_NOW
    ).restartable(now=NOW)
    assert not ImportJob(status=JobStatus.DONE, created_at=LONG_AGO).restartable(now=NOW)
