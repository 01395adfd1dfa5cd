"""The program list, a program's page, and starting and following a verification run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lindung.accounts.access import VERIFIERS, request_user, require_roles
from lindung.accounts.models import Role
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import JobStatus, job_checked
from lindung.programs.selectors import program_get, program_list
from lindung.register import selectors as register_selectors
from lindung.verification import selectors, services
from lindung.verification.models import Outcome, RunCounts, Verdict, VerificationRun
from lindung.verification.views.common import forward_replacing_history, tab_counts


@require_roles(*VERIFIERS)
def index(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    programs = list(program_list(user=user).order_by("-year", "name"))
    current: dict[int, VerificationRun] = {}
    for run in VerificationRun.objects.filter(
        program__in=programs, status=JobStatus.DONE
    ).select_related("snapshot"):
        if run.program_id not in current or run.pk > current[run.program_id].pk:
            current[run.program_id] = run
    rows = [(program, current.get(program.pk)) for program in programs]
    return render(
        request,
        "verification/index.html",
        {"rows": rows, "can_set_policy": user.role == Role.ADMIN},
    )


def _counts(tally: Mapping[str, int], choices: list[tuple[str, str]]) -> list[Any]:
    return [(value, label, tally.get(value, 0)) for value, label in choices]


@require_roles(*VERIFIERS)
def program_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    program = program_get(user=user, pk=pk)
    run = selectors.run_current(program=program)
    tallies = selectors.run_tallies(run=run) if run is not None else RunCounts()
    return render(
        request,
        "verification/program.html",
        {
            "program": program,
            "run": run,
            "active": selectors.run_active(program=program),
            "rows": tallies.rows,
            **tab_counts(run),
            "outcomes": _counts(tallies.outcomes, Outcome.choices),
            "verdicts": _counts(tallies.verdicts, Verdict.choices),
            "history": selectors.run_list(user=user, program=program)[:20],
            "latest_snapshot": register_selectors.snapshot_list(user=user).first(),
        },
    )


@require_roles(*VERIFIERS)
@require_POST
def run_start(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Queue a run (the background worker does it) and follow its progress."""
    user = request_user(request)
    program = program_get(user=user, pk=pk)
    try:
        run = services.run_request(actor=user, program=program)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("verification:program", pk=program.pk)
    return redirect("verification:run", pk=run.pk)


@require_roles(*VERIFIERS)
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's progress; the page polls while it is queued or running, and moves on to the
    program's results when it is done, replacing itself in the browser's history so that
    Back from the results leaves the run instead of landing here to be forwarded again.
    Without scripts the finished page is a plain link to the results."""
    user = request_user(request)
    run = job_checked(selectors.run_get(user=user, pk=pk))
    template = "verification/run.html#status" if request.htmx else "verification/run.html"
    response = render(request, template, {"run": run, "program": run.program})
    if request.htmx and run.status == JobStatus.DONE:
        forward_replacing_history(response, reverse("verification:program", args=[run.program_id]))
    return response
