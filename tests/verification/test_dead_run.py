"""Point 5 of issue 15 for a CLI run: `lindung verify` killed halfway leaves its run "running"
(its transaction rolled back, no verdicts). The sweep marks it failed once it is silent for
three minutes; running again then works and writes every verdict, the dead run none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import DEAD_MESSAGE, JobStatus, jobs_sweep
from lindung.verification import services, verify
from lindung.verification.models import RowVerdict, VerificationRun
from tests.verification.test_runs import handed_in, small_register  # noqa: F401 - fixtures


class Killed(BaseException):
    """Stands for SIGKILL: no `except Exception` handler of the run sees it."""


def test_a_cli_run_killed_halfway_is_failed_by_the_sweep_and_runs_again_whole(
    handed_in,  # noqa: F811 - the fixture
    program,
    monkeypatch,
    settings,
):
    settings.JOB_DEAD_AFTER_SECONDS = 180

    def killed(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(verify, "insert_frame", killed)
    with pytest.raises(Killed):
        services.run_verification(actor="cli", program=program)
    monkeypatch.undo()
    dead = VerificationRun.objects.get()
    assert dead.status == JobStatus.RUNNING
    assert not RowVerdict.objects.exists()
    with pytest.raises(ServiceError, match="sedang berjalan"):
        services.run_verification(actor="cli", program=program)

    assert jobs_sweep() == 0  # killed only a moment ago
    started = timezone.now() - dt.timedelta(minutes=3, seconds=1)
    VerificationRun.objects.filter(pk=dead.pk).update(started_at=started)
    assert jobs_sweep() == 1

    dead.refresh_from_db()
    assert (dead.status, dead.message) == (JobStatus.FAILED, str(DEAD_MESSAGE))
    again = services.run_verification(actor="cli", program=program)
    assert again.status == JobStatus.DONE
    assert RowVerdict.objects.filter(run=again).count() == 7
    assert not RowVerdict.objects.filter(run=dead).exists()
