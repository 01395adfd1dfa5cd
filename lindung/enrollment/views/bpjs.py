"""The BPJS exchange page: the registration file to send (and those sent), BPJS's files to
read back, and each file read with its rows by outcome."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lindung.accounts.access import request_user, require_roles
from lindung.accounts.models import Role
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.bpjs import selectors
from lindung.enrollment.bpjs.export import (
    bpjs_export_create,
    bpjs_export_download,
    bpjs_held_restricted,
)
from lindung.enrollment.bpjs.forms import BpjsUploadForm, ExportForm, LineFilterForm
from lindung.enrollment.bpjs.results import bpjs_result_import
from lindung.enrollment.bpjs.roster import participants_roster_import
from lindung.enrollment.models import BpjsExport, BpjsImportKind, ImportLineOutcome
from lindung.programs.choice import program_chosen

BPJS_ROLES = (Role.ADMIN, Role.VERIFIER, Role.BPJS_OFFICER)
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _summary(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(label, rows) of each outcome a file had, in the outcomes' order."""
    return [
        (str(label), counts[key]) for key, label in ImportLineOutcome.choices if counts.get(key)
    ]


@require_roles(*BPJS_ROLES)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    program = program_chosen(request, user)
    context: dict[str, object] = {"program": program, "upload_form": BpjsUploadForm()}
    if program is not None:
        context.update(
            unsent=selectors.approved_unsent_count(program=program),
            held_restricted=bpjs_held_restricted(program=program),
            exports=selectors.export_list(user=user, program=program)[:20],
            imports=[
                (source, _summary(source.counts))
                for source in selectors.import_list(user=user, program=program)[:20]
            ],
        )
    return render(request, "enrollment/bpjs/index.html", context)


def _file(export: BpjsExport, path_name: str) -> FileResponse:
    fmt = export.file_format
    return FileResponse(
        open(path_name, "rb"),
        as_attachment=True,
        content_type=CONTENT_TYPES[fmt],
        filename=f"pendaftaran-bpjs-{export.program.code}-{export.pk}.{fmt}",
    )


@require_roles(*BPJS_ROLES)
@require_POST
def export_create(request: HttpRequest) -> HttpResponseBase:
    """Make the registration file of everyone approved and not yet sent, and hand it over."""
    user = request_user(request)
    program = program_chosen(request, user)
    form = ExportForm(request.POST)
    if program is None or not form.is_valid():
        messages.error(request, _("Pilih format file xlsx atau csv."))
        return redirect("enrollment:bpjs")
    try:
        export, path = bpjs_export_create(
            actor=user, program=program, file_format=form.cleaned_data["file_format"]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("enrollment:bpjs")
    return _file(export, str(path))


@require_roles(*BPJS_ROLES)
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    export = selectors.export_get(user=user, pk=pk)
    try:
        path = bpjs_export_download(actor=user, export=export)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("enrollment:bpjs")
    return _file(export, str(path))


@require_roles(*BPJS_ROLES)
@require_POST
def upload(request: HttpRequest) -> HttpResponseBase:
    """Read a file BPJS sent: registration results or the roster of existing participants."""
    user = request_user(request)
    program = program_chosen(request, user)
    form = BpjsUploadForm(request.POST, request.FILES)
    if program is None or not form.is_valid():
        messages.error(request, _("Pilih jenis file dan file yang akan dibaca."))
        return redirect("enrollment:bpjs")
    service = (
        bpjs_result_import
        if form.cleaned_data["kind"] == BpjsImportKind.RESULT
        else participants_roster_import
    )
    upload_file = form.cleaned_data["file"]
    try:
        source = service(actor=user, program=program, path=upload_file, filename=upload_file.name)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("enrollment:bpjs")
    return redirect("enrollment:bpjs_import", pk=source.pk)


@require_roles(*BPJS_ROLES)
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    source = selectors.import_get(user=user, pk=pk)
    form = LineFilterForm(request.GET)
    outcome = form.cleaned_data["hasil"] if form.is_valid() else ""
    page = Paginator(selectors.import_lines(source=source, outcome=outcome), 50).get_page(
        request.GET.get("hal")
    )
    counts = [
        (key, label, source.counts.get(key, 0))
        for key, label in ImportLineOutcome.choices
        if key in source.counts
    ]
    context = {
        "source": source,
        "counts": counts,
        "matched": source.counts.get("matched_to_submissions"),
        "filter_form": form,
        "page": page,
        "lines": page.object_list,
    }
    template = "enrollment/bpjs/import.html#rows" if request.htmx else "enrollment/bpjs/import.html"
    return render(request, template, context)
