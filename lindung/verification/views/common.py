"""What the verifier's pages share: the signed-in user, the current run, the queue filters,
the tab counts and the out-of-band fragments an inline action sends back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.template.loader import render_to_string

from lindung.accounts.access import VERIFIERS, request_user
from lindung.accounts.models import Role, User
from lindung.programs.models import Program
from lindung.programs.selectors import program_get
from lindung.verification import selectors
from lindung.verification.forms import QueueFilterForm
from lindung.verification.models import VerificationRun

SCORECARD_READERS = (*VERIFIERS, Role.LEADER, Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR)
PER_PAGE = 20
GROUPS_PER_PAGE = 10
FORWARD_EVENT = "lindung:forward"  # app.js forwardReplacingHistory


def current_or_404(program: Program) -> VerificationRun:
    run = selectors.run_current(program=program)
    if run is None:
        raise Http404
    return run


def queue_filters(
    request: HttpRequest, user: User, query: QueryDict | None = None
) -> tuple[QueueFilterForm, dict[str, Any]]:
    form = QueueFilterForm(request.GET if query is None else query, user=user)
    agency = form.value("instansi")
    chosen = {
        "agency_id": agency.pk if agency else None,
        "outcome": form.value("hasil"),
        "verdict": form.value("kesimpulan"),
    }
    return form, chosen


def page_filters(request: HttpRequest, user: User) -> dict[str, Any]:
    """The filters of the page an inline action came from (htmx sends its address), so that
    the counts sent back count what that page shows."""
    address = request.htmx.current_url if request.htmx else None
    query = QueryDict(urlsplit(address).query if address else "")
    return queue_filters(request, user, query)[1]


def tab_counts(run: VerificationRun | None) -> dict[str, int | None]:
    """The open counts the tabs show next to the two queues (none before any run)."""
    if run is None:
        return {"pending_matches": None, "pending_groups": None}
    matches, groups = selectors.review_open(run=run)
    return {"pending_matches": matches, "pending_groups": groups}


def out_of_band(request: HttpRequest, *parts: tuple[str, dict[str, Any]]) -> str:
    """Fragments that replace the page's elements of the same id after an inline action
    (htmx out-of-band swaps): the counters follow the decision without a reload."""
    return "".join(
        render_to_string(template, {**context, "oob": True}, request=request)
        for template, context in parts
    )


def forward_replacing_history(response: HttpResponse, url: str) -> None:
    """Have the page that polled go on to `url` in place of itself in the browser's history
    (app.js `forwardReplacingHistory`); `HX-Redirect` would push, trapping Back."""
    response["HX-Trigger"] = json.dumps({FORWARD_EVENT: url})


@dataclass(frozen=True)
class QueuePage:
    """What every page over a program's current run starts from: who asks, the program, its
    current run, the filters chosen, and the context every such page shows."""

    user: User
    program: Program
    run: VerificationRun | None
    chosen: dict[str, Any]
    context: dict[str, Any]


def queue_page(request: HttpRequest, pk: int) -> QueuePage:
    user = request_user(request)
    program = program_get(user=user, pk=pk)
    run = selectors.run_current(program=program)
    form, chosen = queue_filters(request, user)
    context: dict[str, Any] = {
        "program": program,
        "run": run,
        "filter_form": form,
        **tab_counts(run),
    }
    return QueuePage(user, program, run, chosen, context)
