"""The feedback file of a submission: written at once for a small list, by a background job
for a large one, and downloaded by the user who asked for it."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lindung.accounts.access import request_user, require_roles
from lindung.common.jobs import job_checked
from lindung.intake import selectors, services
from lindung.intake.models import Submission
from lindung.intake.views.base import READERS, XLSX


@require_roles(*READERS)
@require_http_methods(["GET", "POST"])
def feedback_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The feedback file: written at once for a small list; for a large one the user starts
    a background job (POST) and follows its progress."""
    user = request_user(request)
    submission = selectors.submission_get(user=user, pk=pk)
    if services.feedback_is_large(submission):
        if request.method == "POST":
            export = services.feedback_export_create(actor=user, submission=submission)
            return redirect("intake:feedback_export", pk=export.pk)
        latest = selectors.feedback_exports(user=user, submission=submission).first()
        return render(
            request,
            "intake/feedback_export.html",
            {"submission": submission, "export": None, "latest": latest},
        )
    if request.method == "POST":
        return redirect("intake:feedback", pk=submission.pk)
    buffer = io.BytesIO()
    services.feedback_write(actor=user, submission=submission, out=buffer)
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename=_feedback_name(submission), content_type=XLSX
    )


def _feedback_name(submission: Submission) -> str:
    return f"umpan-balik-usulan-{submission.pk}-{slugify(submission.agency.code)}.xlsx"


@require_roles(*READERS)
def feedback_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of a feedback file being written; polled by htmx until it is ready."""
    user = request_user(request)
    export = job_checked(selectors.feedback_export_get(user=user, pk=pk))
    template = (
        "intake/feedback_export.html#progress" if request.htmx else "intake/feedback_export.html"
    )
    return render(
        request, template, {"submission": export.submission, "export": export, "latest": None}
    )


@require_roles(*READERS)
def feedback_export_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A finished feedback file, to the user who asked for it only; each download audited."""
    user = request_user(request)
    export = selectors.feedback_export_get(user=user, pk=pk)
    handle = services.feedback_export_open(actor=user, export=export)
    if handle is None:
        messages.error(request, _("File umpan balik ini belum siap atau sudah tidak ada."))
        return redirect("intake:feedback", pk=export.submission_id)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_feedback_name(export.submission),
        content_type=XLSX,
    )
