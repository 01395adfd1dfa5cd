"""The queue of probable register matches: deciding one, taking a decision back, accepting
many at once."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.access import VERIFIERS, request_user, require_roles
from lindung.accounts.models import User
from lindung.common.errors_domain import ServiceError
from lindung.programs.selectors import program_get
from lindung.verification import selectors, services
from lindung.verification.findings import REASON_LABELS
from lindung.verification.forms import BulkAcceptForm, BulkConfirmForm, MatchDecisionForm
from lindung.verification.models import RowVerdict, VerificationRun
from lindung.verification.views.common import (
    PER_PAGE,
    current_or_404,
    out_of_band,
    page_filters,
    queue_page,
    tab_counts,
)


@dataclass(frozen=True)
class MatchItem:
    """A probable link as the verifier compares it: the row and the register record side by
    side, each NIK's digits marked where the other differs."""

    verdict: RowVerdict
    nik_row: list[tuple[str, bool]]
    nik_register: list[tuple[str, bool]]
    evidence: list[str]
    decision: Any = None  # the ReviewDecision once decided

    @property
    def record(self) -> Any:
        return self.verdict.record

    @property
    def row(self) -> Any:
        return self.verdict.row


def nik_diff(ours: str, theirs: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both NIKs digit by digit, each digit marked when it differs from the other NIK: place
    by place when they are equally long, else around the digits they share in order (a
    missing or extra digit marks only that digit)."""
    if len(ours) == len(theirs):
        return (
            [(a, a != b) for a, b in zip(ours, theirs, strict=True)],
            [(b, a != b) for a, b in zip(ours, theirs, strict=True)],
        )
    matcher = difflib.SequenceMatcher(a=ours, b=theirs, autojunk=False)
    same_ours: set[int] = set()
    same_theirs: set[int] = set()
    for block in matcher.get_matching_blocks():
        same_ours.update(range(block.a, block.a + block.size))
        same_theirs.update(range(block.b, block.b + block.size))
    return (
        [(ch, i not in same_ours) for i, ch in enumerate(ours)],
        [(ch, i not in same_theirs) for i, ch in enumerate(theirs)],
    )


def _match_item(verdict: RowVerdict, decision: Any = None) -> MatchItem:
    register_nik = verdict.record.nik if verdict.record else verdict.register_nik
    ours, theirs = nik_diff(verdict.row.nik or "", register_nik or "")
    return MatchItem(
        verdict=verdict,
        nik_row=ours,
        nik_register=theirs,
        evidence=[REASON_LABELS.get(code, code) for code in verdict.reasons or []],
        decision=decision,
    )


@require_roles(*VERIFIERS)
def matches(request: HttpRequest, pk: int) -> HttpResponse:
    start = queue_page(request, pk)
    run, chosen, context = start.run, start.chosen, start.context
    if run is not None:
        queue = selectors.match_queue(
            run=run, agency_id=chosen["agency_id"], outcome=chosen["outcome"]
        )
        page = Paginator(queue, PER_PAGE).get_page(request.GET.get("hal"))
        decided_total, decided = selectors.matches_decided(run=run)
        context.update(
            page=page,
            waiting=page.paginator.count,
            items=[_match_item(v) for v in page.object_list],
            bulk_form=BulkAcceptForm(),
            clear_count=selectors.matches_clear_count(run=run, min_score=0.95),
            decided=decided,
            decided_total=decided_total,
        )
    template = "verification/matches.html#queue" if request.htmx else "verification/matches.html"
    return render(request, template, context)


def _decidable(request: HttpRequest, user: User, pk: int) -> RowVerdict:
    """A verdict of the program's current run: decisions on an older run's rows would be
    kept but never shown, so they are refused (404 like anything out of reach)."""
    verdict = selectors.verdict_get(user=user, pk=pk)
    current = selectors.run_current(program=verdict.run.program)
    if current is None or current.pk != verdict.run_id:
        raise Http404
    return verdict


@require_roles(*VERIFIERS)
@require_POST
def match_decide(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    verdict = _decidable(request, user, pk)
    form = MatchDecisionForm(request.POST)
    error = ""
    decision = None
    if not verdict.review_match:
        error = _("Calon padanan ini sudah diputuskan.")
    elif not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        try:
            decision = services.match_decide(
                actor=user,
                verdict=verdict,
                accepted=form.cleaned_data["accepted"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            error = exc.message
    if request.htmx:
        item = _match_item(selectors.verdict_get(user=user, pk=verdict.pk), decision)
        response = render(
            request,
            "verification/matches.html#item",
            {"item": item, "error": error, "program": verdict.run.program},
        )
        response.write(_match_counts(request, user, verdict.run))
        return response
    if error:
        messages.error(request, error)
    elif decision is not None:
        messages.success(
            request,
            _("Padanan diterima.") if decision.accepted else _("Padanan ditolak."),
        )
    return redirect("verification:matches", pk=verdict.run.program_id)


def _match_counts(request: HttpRequest, user: User, run: VerificationRun) -> str:
    """The match page's counters as they stand after an inline decision, out of band."""
    chosen = page_filters(request, user)
    waiting = selectors.match_queue(
        run=run, agency_id=chosen["agency_id"], outcome=chosen["outcome"]
    ).count()
    decided_total, decided = selectors.matches_decided(run=run)
    return out_of_band(
        request,
        ("verification/matches.html#waiting", {"waiting": waiting}),
        (
            "verification/matches.html#clear_count",
            {"clear_count": selectors.matches_clear_count(run=run, min_score=0.95)},
        ),
        ("verification/_tabs.html#match_count", tab_counts(run)),
        (
            "verification/matches.html#decided",
            {"decided": decided, "decided_total": decided_total, "run": run},
        ),
    )


@require_roles(*VERIFIERS)
@require_POST
def match_undo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Take back a decision on a register link, until the next run."""
    user = request_user(request)
    verdict = selectors.verdict_get(user=user, pk=pk)
    error = ""
    try:
        services.match_undo(actor=user, verdict=verdict)
    except ServiceError as exc:
        error = exc.message
    if request.htmx:
        item = _match_item(selectors.verdict_get(user=user, pk=verdict.pk))
        response = render(
            request,
            "verification/matches.html#item",
            {"item": item, "error": error, "undone": not error, "program": verdict.run.program},
        )
        if not error:
            response.write(_match_counts(request, user, verdict.run))
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("Keputusan dibatalkan; calon padanan kembali menunggu keputusan.")
        )
    return redirect("verification:matches", pk=verdict.run.program_id)


def _score_text(score: float) -> str:
    """A score as people write it here (0,95), with every decimal it was given (0,955)."""
    text = f"{score:.2f}"
    if float(text) != score:
        text = f"{score:g}"
    return text.replace(".", ",")


@require_roles(*VERIFIERS)
@require_POST
def matches_bulk(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Accept the clear cases in one go, after a confirmation that shows how many: the
    first post (from the match page) only counts and asks; the confirmed post, carrying the
    count shown, accepts (nothing when the count changed meanwhile: it asks again)."""
    user = request_user(request)
    program = program_get(user=user, pk=pk)
    run = current_or_404(program)
    form = BulkConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("min_score", [])))
        return redirect("verification:matches", pk=program.pk)
    min_score = form.cleaned_data["min_score"]
    note = form.cleaned_data["note"]
    expected = form.cleaned_data["expected"]
    warning = ""
    if expected is not None:
        try:
            n = services.matches_accept_bulk(
                actor=user, run=run, min_score=min_score, note=note, expected=expected
            )
        except ServiceError as exc:
            warning = exc.message
        else:
            messages.success(
                request,
                _("%(n)s calon padanan dengan skor ≥ %(s)s diterima.")
                % {"n": n, "s": _score_text(min_score)},
            )
            return redirect("verification:matches", pk=program.pk)
    return render(
        request,
        "verification/matches_bulk.html",
        {
            "program": program,
            "run": run,
            "count": selectors.matches_clear_count(run=run, min_score=min_score),
            "score": _score_text(min_score),
            "note": note,
            "warning": warning,
        },
    )
