"""The verifier's pages (runs, the review queues, results, thresholds), the data-quality
scorecard, and what the agency's own pages learn about their verified rows."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindung.accounts.access import VERIFIERS, require_roles
from lindung.accounts.models import Role, User
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import JobStatus
from lindung.programs.models import Program
from lindung.programs.selectors import program_current, program_get, program_list
from lindung.register import selectors as register_selectors
from lindung.verification import selectors, services
from lindung.verification.findings import REASON_LABELS
from lindung.verification.forms import (
    BulkAcceptForm,
    BulkConfirmForm,
    DuplicateDecisionForm,
    MatchDecisionForm,
    PolicyForm,
    QueueFilterForm,
)
from lindung.verification.models import (
    MatchPolicy,
    Outcome,
    RowVerdict,
    RunCounts,
    Verdict,
    VerificationRun,
)
from lindung.verification.scorecard import scorecard as scorecard_of
from lindung.verification.verify import match_settings

SCORECARD_READERS = (*VERIFIERS, Role.LEADER, Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR)
PER_PAGE = 20
GROUPS_PER_PAGE = 10
FORWARD_EVENT = "lindung:forward"  # app.js forwardReplacingHistory


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - require_roles ran first
    return user


def _current_or_404(program: Program) -> VerificationRun:
    run = selectors.run_current(program=program)
    if run is None:
        raise Http404
    return run


def _filters(
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


def _page_filters(request: HttpRequest, user: User) -> dict[str, Any]:
    """The filters of the page an inline action came from (htmx sends its address), so that
    the counts sent back count what that page shows."""
    address = request.htmx.current_url if request.htmx else None
    query = QueryDict(urlsplit(address).query if address else "")
    return _filters(request, user, query)[1]


def _tab_counts(run: VerificationRun | None) -> dict[str, int | None]:
    """The open counts the tabs show next to the two queues (none before any run)."""
    if run is None:
        return {"pending_matches": None, "pending_groups": None}
    matches, groups = selectors.review_open(run=run)
    return {"pending_matches": matches, "pending_groups": groups}


def _out_of_band(request: HttpRequest, *parts: tuple[str, dict[str, Any]]) -> str:
    """Fragments that replace the page's elements of the same id after an inline action
    (htmx out-of-band swaps): the counters follow the decision without a reload."""
    return "".join(
        render_to_string(template, {**context, "oob": True}, request=request)
        for template, context in parts
    )


# --- Programs and runs ----------------------------------------------------------------------


@require_roles(*VERIFIERS)
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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


def forward_replacing_history(response: HttpResponse, url: str) -> None:
    """Have the page that polled go on to `url` in place of itself in the browser's history
    (app.js `forwardReplacingHistory`); `HX-Redirect` would push, trapping Back."""
    response["HX-Trigger"] = json.dumps({FORWARD_EVENT: url})


def _counts(tally: Mapping[str, int], choices: list[tuple[str, str]]) -> list[Any]:
    return [(value, label, tally.get(value, 0)) for value, label in choices]


@require_roles(*VERIFIERS)
def program_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
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
            **_tab_counts(run),
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
    user = _user(request)
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
    user = _user(request)
    run = selectors.run_get(user=user, pk=pk)
    template = "verification/run.html#status" if request.htmx else "verification/run.html"
    response = render(request, template, {"run": run, "program": run.program})
    if request.htmx and run.status == JobStatus.DONE:
        forward_replacing_history(response, reverse("verification:program", args=[run.program_id]))
    return response


# --- Probable register matches ----------------------------------------------------------


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
    user = _user(request)
    program = program_get(user=user, pk=pk)
    run = selectors.run_current(program=program)
    form, chosen = _filters(request, user)
    context: dict[str, Any] = {
        "program": program,
        "run": run,
        "filter_form": form,
        **_tab_counts(run),
    }
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
    user = _user(request)
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
    chosen = _page_filters(request, user)
    waiting = selectors.match_queue(
        run=run, agency_id=chosen["agency_id"], outcome=chosen["outcome"]
    ).count()
    decided_total, decided = selectors.matches_decided(run=run)
    return _out_of_band(
        request,
        ("verification/matches.html#waiting", {"waiting": waiting}),
        (
            "verification/matches.html#clear_count",
            {"clear_count": selectors.matches_clear_count(run=run, min_score=0.95)},
        ),
        ("verification/_tabs.html#match_count", _tab_counts(run)),
        (
            "verification/matches.html#decided",
            {"decided": decided, "decided_total": decided_total, "run": run},
        ),
    )


@require_roles(*VERIFIERS)
@require_POST
def match_undo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Take back a decision on a register link, until the next run."""
    user = _user(request)
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
    user = _user(request)
    program = program_get(user=user, pk=pk)
    run = _current_or_404(program)
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


# --- Duplicates across agencies ---------------------------------------------------------


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
    user = _user(request)
    program = program_get(user=user, pk=pk)
    run = selectors.run_current(program=program)
    form, chosen = _filters(request, user)
    context: dict[str, Any] = {
        "program": program,
        "run": run,
        "filter_form": form,
        **_tab_counts(run),
    }
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
    user = _user(request)
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
        chosen = _page_filters(request, user)
        waiting = selectors.duplicate_queue(
            run=run, agency_id=chosen["agency_id"], outcome=chosen["outcome"]
        ).count()
        response.write(
            _out_of_band(
                request,
                ("verification/duplicates.html#waiting", {"waiting": waiting}),
                ("verification/_tabs.html#group_count", _tab_counts(run)),
            )
        )
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Pemilik data ganda tersimpan."))
    return redirect("verification:duplicates", pk=run.program_id)


# --- All results of the current run -----------------------------------------------------


@require_roles(*VERIFIERS)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    program = program_get(user=user, pk=pk)
    run = selectors.run_current(program=program)
    form, chosen = _filters(request, user)
    context: dict[str, Any] = {
        "program": program,
        "run": run,
        "filter_form": form,
        **_tab_counts(run),
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


# --- Thresholds -------------------------------------------------------------------------


@require_roles(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    assert user.pemda is not None  # noqa: S101 - require_roles refuses users with no Pemda
    current = match_settings(user.pemda.pk)
    initial = {
        "link_accept": current.link_accept,
        "link_review": current.link_review,
        "duplicate_accept": current.duplicate_accept,
        "duplicate_review": current.duplicate_review,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=user, pemda=user.pemda, **form.cleaned_data)
            messages.success(
                request, _("Ambang pencocokan tersimpan; berlaku mulai verifikasi berikutnya.")
            )
            return redirect("verification:policy")
        except ServiceError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "verification/policy.html",
        {
            "form": form,
            "saved": MatchPolicy.objects.filter(pemda=user.pemda)
            .select_related("updated_by")
            .first(),
        },
    )


# --- Data-quality scorecard -------------------------------------------------------------


def _program_choice(request: HttpRequest, user: User) -> Program | None:
    programs = program_list(user=user)
    raw = request.GET.get("program", "")
    if raw.isdigit():
        chosen = programs.filter(pk=int(raw)).first()
        if chosen is not None:
            return chosen
    return program_current(user=user)


@require_roles(*SCORECARD_READERS)
def scorecard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    program = _program_choice(request, user)
    card = scorecard_of(user=user, program=program) if program is not None else None
    return render(
        request,
        "verification/scorecard.html",
        {
            "program": program,
            "programs": program_list(user=user).order_by("-year", "name"),
            "scorecard": card,
        },
    )


# --- What the agency's pages show about verified rows (plugged into intake) --------------
