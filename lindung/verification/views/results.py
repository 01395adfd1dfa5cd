"""All results of a program's current run, filtered and paged."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lindung.accounts.access import VERIFIERS, require_roles
from lindung.verification import selectors
from lindung.verification.views.common import queue_page


@require_roles(*VERIFIERS)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    start = queue_page(request, pk)
    run, chosen, context = start.run, start.chosen, start.context
    if run is not None:
        verdicts = selectors.verdict_list(run=run, **chosen)
        page = Paginator(verdicts, 50).get_page(request.GET.get("hal"))
        context.update(
            page=page,
            verdicts=page.object_list,
        )
    template = "verification/results.html#rows" if request.htmx else "verification/results.html"
    return render(request, template, context)
