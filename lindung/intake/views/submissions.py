"""Submissions and their rows: the lists, one submission's rows with their findings, a row's
correction, and handing in, deleting or starting the verification of a draft."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindung.accounts.access import request_user, require_roles, sees_full_nik
from lindung.accounts.disclosure import full_niks_shown
from lindung.accounts.models import Role
from lindung.common.errors_domain import ServiceError
from lindung.common.params import whole_number
from lindung.common.search import kept_filters, kept_redirect
from lindung.intake import ports, selectors, services
from lindung.intake.forms import ReplaceForm, RowForm
from lindung.intake.models import RowOutcome, SubmissionStatus
from lindung.intake.views.base import READERS, SUBMITTERS


@require_roles(*READERS)
def submission_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    status = request.GET.get("status", "")
    submissions = selectors.submission_list(user=user, status=status or None)
    page = Paginator(submissions, 30).get_page(request.GET.get("hal"))
    return render(
        request,
        "intake/submission_list.html",
        {
            "page": page,
            "submissions": page.object_list,
            "status": status,
            "statuses": SubmissionStatus.choices,
            "can_submit": user.role in SUBMITTERS,
        },
    )


@require_roles(*READERS)
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    submission = selectors.submission_get(user=user, pk=pk)
    filters = kept_filters(request, f"submission:{submission.pk}", ("hasil", "q"))
    if request.method == "POST":
        return kept_redirect(request, filters, shown=("hasil",))
    outcome, query = filters["hasil"], filters["q"][:60]
    rows = selectors.submission_rows(submission=submission, outcome=outcome, query=query)
    page = Paginator(rows, 50).get_page(request.GET.get("hal"))
    shown = list(page.object_list)
    verification = ports.verification_of(user, submission, [row.pk for row in shown])
    for row in shown:
        row.verification = verification.rows.get(row.pk) if verification else None
    context = {
        "submission": submission,
        "page": page,
        "rows": shown,
        "verification": verification,
        "outcome": outcome,
        "query": query,
        "outcomes": RowOutcome.choices,
        "can_edit": submission.is_editable and user.role in SUBMITTERS,
        "can_delete": submission.is_editable
        and (user.agency_id == submission.agency_id or user.role == Role.ADMIN),
        "can_start_verification": (
            submission.status == SubmissionStatus.SUBMITTED
            and user.role in (Role.VERIFIER, Role.ADMIN)
        ),
        "replace_form": ReplaceForm(),
        "quota_usage": selectors.agency_quota_usage(
            user=user, program=submission.program, submission=submission
        ),
    }
    if sees_full_nik(user, agency_id=submission.agency_id):
        full = sum(1 for row in shown if row.outcome == RowOutcome.REJECTED and row.nik)
        full_niks_shown(actor=user, obj=submission, count=full, where="submission_detail")
    template = (
        "intake/submission_detail.html#rows" if request.htmx else "intake/submission_detail.html"
    )
    return render(request, template, context)


@require_roles(*SUBMITTERS)
@require_http_methods(["GET", "POST"])
def row_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    row = selectors.row_get(user=user, pk=pk)
    if request.method == "POST":
        form = RowForm(request.POST)
        if form.is_valid():
            try:
                row = services.row_correct(
                    actor=user,
                    row=row,
                    values=form.cleaned_data,
                    revision=whole_number(request.POST.get("revision", "0"), maximum=2**31 - 1)
                    or 0,
                )
                # The counters above the table follow the fix (out-of-band swap).
                return render(
                    request,
                    "intake/row_saved.html",
                    {
                        "row": row,
                        "submission": row.submission,
                        "can_edit": True,
                        "just_saved": True,
                    },
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
    else:
        form = RowForm(initial=RowForm.initial_from_row(row))
    return render(request, "intake/row_edit.html", {"form": form, "row": row})


@require_roles(*READERS)
def row_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One row back in the table (the 'Batal' of an edit)."""
    user = request_user(request)
    row = selectors.row_get(user=user, pk=pk)
    return render(
        request,
        "intake/submission_detail.html#row",
        {
            "row": row,
            "submission": row.submission,
            "can_edit": row.submission.is_editable and user.role in SUBMITTERS,
        },
    )


@require_roles(*SUBMITTERS)
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Hand a draft in. With rejected rows still open, the user first confirms on a page
    that says how many rows will be left out; the count confirmed must still be the count,
    or the page asks again."""
    user = request_user(request)
    submission = selectors.submission_get(user=user, pk=pk)
    if not submission.is_editable:
        messages.info(request, _("Usulan ini sudah diserahkan."))
        return redirect("intake:detail", pk=submission.pk)
    confirmed = request.method == "POST" and (
        not submission.rejected or request.POST.get("left_out") == str(submission.rejected)
    )
    if not confirmed:
        return render(request, "intake/confirm.html", {"submission": submission, "ask": "submit"})
    try:
        services.submission_submit(actor=user, submission=submission)
        messages.success(request, _("Usulan diserahkan ke Disnaker untuk diverifikasi."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("intake:detail", pk=submission.pk)


@require_roles(*SUBMITTERS)
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Delete a draft, after a confirmation page that says what goes with it."""
    user = request_user(request)
    submission = selectors.submission_get(user=user, pk=pk)
    if not submission.is_editable:
        messages.error(request, _("Usulan yang sudah diserahkan tidak dapat dihapus."))
        return redirect("intake:detail", pk=submission.pk)
    if request.method == "POST":
        try:
            services.submission_delete(actor=user, submission=submission)
            messages.success(request, _("Usulan #%(n)s dihapus.") % {"n": pk})
            return redirect("intake:list")
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("intake:detail", pk=submission.pk)
    return render(request, "intake/confirm.html", {"submission": submission, "ask": "delete"})


@require_roles(Role.VERIFIER, Role.ADMIN)
@require_POST
def start_verification(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    submission = selectors.submission_get(user=user, pk=pk)
    try:
        services.submission_start_verification(actor=user, submission=submission)
        messages.success(request, _("Usulan masuk tahap verifikasi."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("intake:detail", pk=submission.pk)
