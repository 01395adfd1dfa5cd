"""Point 5 of issue 15: a job whose process died is marked failed within minutes. The process
running a job beats for it; a sweep (in `lindung worker` and on reading the job's page) fails
a running job silent for JOB_DEAD_AFTER_SECONDS (3 minutes), so its page says "gagal" and
offers "Jalankan ulang" instead of "44 %" forever. Heartbeats are set by hand, no sleeping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lindung.audit.models import AuditEvent
from lindung.common import jobs
from lindung.common.jobs import DEAD_MESSAGE, JobStatus, beat_watched, job_watch, jobs_sweep
from lindung.intake.models import ImportJob
from tests.conftest import client_for
from tests.intake.conftest import good_csv, receive


@pytest.fixture(autouse=True)
def _heartbeat(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path / "var"
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.JOB_DEAD_AFTER_SECONDS = 180
    monkeypatch.setattr(jobs, "heartbeat_start", lambda **kwargs: None)  # no thread in tests
    monkeypatch.setattr(jobs, "_watched", set())


@pytest.fixture
def make_job(operator, program, agency):
    def make(*, status=JobStatus.RUNNING, beat_ago=None, started_ago=None, progress=44):
        upload, _created = receive(
            actor=operator, program=program, agency=agency, data=good_csv(), filename="a.csv"
        )
        job = ImportJob.objects.create(
            pemda=program.pemda, program=program, agency=agency, file=upload, created_by=operator
        )
        now = timezone.now()
        ImportJob.objects.filter(pk=job.pk).update(
            status=status,
            progress=progress,
            started_at=now - (started_ago or beat_ago or dt.timedelta(0)),
            heartbeat_at=None if beat_ago is None else now - beat_ago,
        )
        job.refresh_from_db()
        return job

    return make


def test_the_sweep_fails_only_running_jobs_silent_for_three_minutes(make_job):
    dead = make_job(beat_ago=dt.timedelta(minutes=3, seconds=5))
    beating = make_job(beat_ago=dt.timedelta(minutes=2, seconds=50))
    never_beat = make_job(started_ago=dt.timedelta(minutes=4))  # a CLI killed before a beat
    queued = make_job(status=JobStatus.QUEUED, started_ago=dt.timedelta(hours=1))
    done = make_job(status=JobStatus.DONE, beat_ago=dt.timedelta(hours=1), progress=100)

    assert jobs_sweep() == 2

    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {
        dead.pk: JobStatus.FAILED,
        beating.pk: JobStatus.RUNNING,
        never_beat.pk: JobStatus.FAILED,
        queued.pk: JobStatus.QUEUED,
        done.pk: JobStatus.DONE,
    }
    dead.refresh_from_db()
    assert dead.message == str(DEAD_MESSAGE)
    assert dead.finished_at is not None


def test_a_job_that_beat_after_it_was_read_is_not_failed(make_job):
    job = make_job(beat_ago=dt.timedelta(minutes=5))
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())  # a late beat

    assert jobs._fail_dead(job, now=timezone.now()) is False
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_the_process_running_a_job_beats_for_it_until_it_ends(make_job, settings):
    settings.JOB_HEARTBEAT_SECONDS = 30
    job = make_job(beat_ago=dt.timedelta(minutes=2, seconds=59))
    job_watch(job)

    assert beat_watched() == 1
    assert jobs_sweep(now=timezone.now() + dt.timedelta(minutes=2)) == 0  # it beat just now

    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    assert beat_watched() == 0
    assert jobs._watched == set()


def test_the_page_of_a_dead_job_says_failed_and_offers_to_run_it_again(make_job, operator):
    job = make_job(beat_ago=dt.timedelta(minutes=10))
    client = client_for(operator)

    page = client.get(f"/usulan/berkas/{job.file_id}/proses/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "Proses gagal" in text
    assert "Jalankan ulang" in text
    assert "44%" not in text
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.restartable()


def test_the_page_of_a_beating_job_shows_its_progress(make_job, operator):
    job = make_job(beat_ago=dt.timedelta(seconds=20))

    text = client_for(operator).get(f"/usulan/berkas/{job.file_id}/proses/").content.decode()

    assert "44%" in text
    assert "Jalankan ulang" not in text


def test_each_job_the_sweep_fails_leaves_one_audit_event_by_the_system(make_job):
    dead = make_job(beat_ago=dt.timedelta(minutes=5))
    make_job(beat_ago=dt.timedelta(minutes=1))

    jobs_sweep()
    jobs_sweep()  # nothing more to fail: no second event

    events = AuditEvent.objects.filter(action="job.failed_dead")
    assert [(e.object_id, e.actor_label) for e in events] == [(str(dead.pk), "sistem")]
    assert events[0].changes["status"] == ["running", "failed"]
    assert events[0].pemda_id == dead.pemda_id
