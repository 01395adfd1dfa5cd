"""All results of a program's current run, filtered and paged."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lindung.accounts.access import VERIFIERS, require_roles
from lindung.programs.selectors import program_get
from lindung.verification import selectors
from lindung.verification.views.common import queue_filters, tab_counts, user_of


@require_roles(*VERIFIERS)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    program = program_get(user=user, pk=pk)
    run = selectors.run_current(program=program)
    form, chosen = queue_filters(request, user)
    context: dict[str, Any] = {
        "program": program,
        "run": run,
        "filter_form": form,
        **tab_counts(run),
    }
    if run is not None:
        verdicts = selectors.verdict_list(run=run, **chosen)
        page = Paginator(verdicts, 50).get_page(request.GET.get("hal"))
        context.update(
            page=page,
            verdicts=page.object_list,
        )
    template = "verification/results.html#rows" if request.htmx else "verification/results.html"
    return render(request, template, context)
