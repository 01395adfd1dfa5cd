"""Following a background import: its progress page (polled by htmx) and its restart."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lindung.accounts.access import request_user, require_roles
from lindung.common.jobs import JobStatus, job_checked
from lindung.intake import selectors, services
from lindung.intake.models import ImportJob
from lindung.intake.views.base import SUBMITTERS


def job_url(job: ImportJob) -> str:
    """Where the user follows a job: keyed by the submission it corrects, or by the uploaded
    file it turns into a new submission — never by the job's own number."""
    if job.target_id is not None:
        return reverse("intake:submission_job", args=[job.target_id])
    return reverse("intake:file_job", args=[job.file_id])


def to_job(job: ImportJob) -> HttpResponseBase:
    return redirect(job_url(job))


@require_roles(*SUBMITTERS)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """The old address of a progress page (/usulan/proses/<job>/), kept working for links
    and bookmarks; the page it shows polls, and links to, the new address."""
    return _job_page(request, selectors.job_get(user=request_user(request), pk=pk))


@require_roles(*SUBMITTERS)
def file_job(request: HttpRequest, pk: int) -> HttpResponse:
    return _job_page(request, selectors.job_of_file(user=request_user(request), file_pk=pk))


@require_roles(*SUBMITTERS)
def submission_job(request: HttpRequest, pk: int) -> HttpResponse:
    return _job_page(
        request, selectors.job_of_submission(user=request_user(request), submission_pk=pk)
    )


def _job_page(request: HttpRequest, job: ImportJob) -> HttpResponse:
    """Progress of a background import; the page polls this view while the job runs, and the
    state lives in the database, so a reload shows the same progress.

    When the job is done, the poll tells the page to go on to the result in place of itself
    (the `lindung:forward` event, app.js `forwardReplacingHistory`): Back from the result
    then leaves the flow instead of landing on a progress page that forwards again. Loaded
    in full once the job is done (a short list is often read before the browser has
    followed the upload here), the page asks once as it loads and goes on the same way;
    without scripts, a finished job shows a plain link."""
    job = job_checked(job)
    if request.htmx and job.status == JobStatus.DONE and job.submission_id:
        response = HttpResponse(status=204)
        url = reverse("intake:detail", args=[job.submission_id])
        response["HX-Trigger"] = json.dumps({"lindung:forward": url})
        return response
    template = "intake/job.html#progress" if request.htmx else "intake/job.html"
    context = {"job": job, "job_url": job_url(job), "stalled": job.stalled()}
    return render(request, template, context)


@require_roles(*SUBMITTERS)
@require_POST
def job_restart(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    job = selectors.job_get(user=user, pk=pk)
    services.job_restart(actor=user, job=job)
    return to_job(job)
