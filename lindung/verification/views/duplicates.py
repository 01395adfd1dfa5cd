"""The queue of duplicates across agencies: who owns a group, or that its rows are different
people."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.access import VERIFIERS, request_user, require_roles
from lindung.common.errors_domain import ServiceError
from lindung.verification import selectors, services
from lindung.verification.forms import DuplicateDecisionForm
from lindung.verification.models import RowVerdict, VerificationRun
from lindung.verification.views.common import (
    GROUPS_PER_PAGE,
    out_of_band,
    page_filters,
    queue_page,
    tab_counts,
)


@dataclass(frozen=True)
class Group:
    run: VerificationRun
    number: int
    members: list[RowVerdict]
    resolved: bool = False
    owner_id: int | None = None
    note: str = ""


def _group(run: VerificationRun, number: int) -> Group:
    members = selectors.group_members(run=run, groups=[number])[number]
    return Group(run=run, number=number, members=members)


@require_roles(*VERIFIERS)
def duplicates(request: HttpRequest, pk: int) -> HttpResponse:
    start = queue_page(request, pk)
    run, chosen, context = start.run, start.chosen, start.context
    if run is not None:
        numbers = selectors.duplicate_queue(
            run=run, agency_id=chosen["agency_id"], outcome=chosen["outcome"]
        )
        page = Paginator(numbers, GROUPS_PER_PAGE).get_page(request.GET.get("hal"))
        shown = list(page.object_list)
        members = selectors.group_members(run=run, groups=shown)
        context.update(
            page=page,
            waiting=page.paginator.count,
            groups=[Group(run=run, number=n, members=members[n]) for n in shown],
        )
    template = (
        "verification/duplicates.html#queue" if request.htmx else "verification/duplicates.html"
    )
    return render(request, template, context)


@require_roles(*VERIFIERS)
@require_POST
def duplicate_decide(request: HttpRequest, pk: int, group: int) -> HttpResponseBase:
    user = request_user(request)
    run = selectors.run_get(user=user, pk=pk)
    current = selectors.run_current(program=run.program)
    if current is None or current.pk != run.pk:
        raise Http404
    found = _group(run, group)
    if not found.members:
        raise Http404
    form = DuplicateDecisionForm(request.POST, member_ids=[m.pk for m in found.members])
    error = ""
    decided = False
    if not any(m.review_duplicate for m in found.members):
        error = _("Pemilik kelompok ini sudah dipilih.")
    elif not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        owner = next((m for m in found.members if m.pk == form.cleaned_data["owner"]), None)
        try:
            services.duplicate_decide(
                actor=user, verdict=found.members[0], owner=owner, note=form.cleaned_data["note"]
            )
            decided = True
        except ServiceError as exc:
            error = exc.message
    if request.htmx:
        after = _group(run, group)
        shown = Group(
            run=run,
            number=group,
            members=after.members,
            resolved=decided,
            owner_id=form.cleaned_data.get("owner") if decided else None,
            note=form.cleaned_data.get("note", "") if decided else "",
        )
        response = render(
            request,
            "verification/duplicates.html#group",
            {"group": shown, "error": error, "program": run.program},
        )
        chosen = page_filters(request, user)
        waiting = selectors.duplicate_queue(
            run=run, agency_id=chosen["agency_id"], outcome=chosen["outcome"]
        ).count()
        response.write(
            out_of_band(
                request,
                ("verification/duplicates.html#waiting", {"waiting": waiting}),
                ("verification/_tabs.html#group_count", tab_counts(run)),
            )
        )
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Pemilik data ganda tersimpan."))
    return redirect("verification:duplicates", pk=run.program_id)
