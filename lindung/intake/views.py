from __future__ import annotations

import io
import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindung.accounts.access import PEMDA_WIDE, require_roles
from lindung.accounts.models import Agency, Role, User
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import JobStatus
from lindung.intake import ports, selectors, services
from lindung.intake.exports import template_workbook
from lindung.intake.forms import FIELD_CHOICES, ReplaceForm, RowForm, UploadForm
from lindung.intake.models import ImportJob, RowOutcome, Submission, SubmissionStatus
from lindung.intake.recognise import FIELD_LABELS
from lindung.programs.models import Occupation
from lindung.programs.selectors import program_get
from lindung.regions.models import Region, RegionLevel

SUBMITTERS = (Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR, Role.ADMIN)
READERS = (*PEMDA_WIDE, Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - require_roles ran first
    return user


@require_roles(*READERS)
def submission_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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


@require_roles(*SUBMITTERS)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    form = UploadForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.upload_start(
                actor=user,
                program=form.cleaned_data["program"],
                agency=form.cleaned_data.get("agency"),
                stream=form.cleaned_data["file"],
                filename=form.cleaned_data["file"].name,
            )
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            return _follow(request, outcome)
    return render(request, "intake/upload.html", {"form": form})


def _follow(request: HttpRequest, outcome: services.UploadOutcome) -> HttpResponseBase:
    if outcome.next == services.Next.KNOWN:
        assert outcome.submission is not None  # noqa: S101 - set with KNOWN
        messages.info(
            request,
            _("File yang sama sudah pernah diunggah: usulan #%(n)s.")
            % {"n": outcome.submission.pk},
        )
        return redirect("intake:detail", pk=outcome.submission.pk)
    if outcome.next == services.Next.JOB:
        assert outcome.job is not None  # noqa: S101 - set with JOB
        return _to_job(outcome.job)
    return redirect("intake:mapping", pk=outcome.uploaded.pk)


def job_url(job: ImportJob) -> str:
    """Where the user follows a job: keyed by the submission it corrects, or by the uploaded
    file it turns into a new submission — never by the job's own number."""
    if job.target_id is not None:
        return reverse("intake:submission_job", args=[job.target_id])
    return reverse("intake:file_job", args=[job.file_id])


def _to_job(job: ImportJob) -> HttpResponseBase:
    return redirect(job_url(job))


@require_roles(*SUBMITTERS)
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Confirm which column holds what, on a preview of the first rows; choose the sheets."""
    user = _user(request)
    uploaded = selectors.upload_get(user=user, pk=pk)
    if hasattr(uploaded, "submission"):
        # Reached by Back from the result: going on to the result again would trap Back.
        messages.info(
            request,
            _("Kolom file %(f)s sudah dicocokkan; hasilnya ada di usulan #%(n)s.")
            % {"f": uploaded.original_name, "n": uploaded.submission.pk},
        )
        return redirect("intake:upload")
    try:
        layouts = services.file_analyse(uploaded)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("intake:list")
    if not layouts:
        messages.error(
            request, _("Tidak ditemukan baris judul kolom (NIK, Nama, ...) di file ini.")
        )
        return redirect("intake:list")
    chosen_name = request.POST.get("sheet") or request.GET.get("lembar") or layouts[0].name
    layout = next((lay for lay in layouts if lay.name == chosen_name), layouts[0])
    same_layout = [lay for lay in layouts if lay.signature == layout.signature]
    errors: list[str] = []
    if request.method == "POST":
        columns: dict[str, int] = {}
        for index in range(len(layout.headers)):
            field = request.POST.get(f"col{index}", "")
            if not field:
                continue
            if field not in FIELD_LABELS:
                errors.append(_("Pilihan kolom tidak dikenal."))
            elif field in columns:
                errors.append(
                    _("%(f)s dipilih untuk lebih dari satu kolom.") % {"f": FIELD_LABELS[field]}
                )
            columns[field] = index
        if "nik" not in columns or "name" not in columns:
            errors.append(_("Tentukan kolom NIK dan kolom Nama."))
        if not errors:
            chosen = same_layout if request.POST.get("all_sheets") else [layout]
            chosen = [
                services.SheetLayout(**{**lay.__dict__, "columns": columns}) for lay in chosen
            ]
            try:
                services.mapping_remember(
                    actor=user, agency=uploaded.agency, signature=layout.signature, columns=columns
                )
                job = services.job_create(actor=user, uploaded=uploaded, layouts=chosen)
                return _to_job(job)
            except ServiceError as exc:
                errors.append(exc.message)
    columns_by_index = {index: field for field, index in layout.columns.items()}
    return render(
        request,
        "intake/mapping.html",
        {
            "uploaded": uploaded,
            "layouts": layouts,
            "layout": layout,
            "same_layout": same_layout,
            "errors": errors,
            "choices": FIELD_CHOICES,
            "header_cells": [
                (i, h, columns_by_index.get(i, "")) for i, h in enumerate(layout.headers)
            ],
            "spreadsheet_header_row": layout.header_row + 1,
            "mapping_rows": _mapping_rows(layout, columns_by_index),
        },
    )


def _column_letter(index: int) -> str:
    """The spreadsheet's name of a 0-based column: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _mapping_rows(
    layout: services.SheetLayout, columns_by_index: dict[int, str], samples: int = 5
) -> list[dict[str, object]]:
    """One line per column of the file, so that every column can be seen and mapped, however
    many the file has: its letter, its header, the first few values under it and its field."""
    rows = []
    for index, header in enumerate(layout.headers):
        values = [
            row[index]
            for row in layout.preview
            if index < len(row) and row[index] not in (None, "")
        ]
        rows.append(
            {
                "index": index,
                "letter": _column_letter(index),
                "header": header,
                "field": columns_by_index.get(index, ""),
                "samples": values[:samples],
            }
        )
    return rows


@require_roles(*SUBMITTERS)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """The old address of a progress page (/usulan/proses/<job>/), kept working for links
    and bookmarks; the page it shows polls, and links to, the new address."""
    return _job_page(request, selectors.job_get(user=_user(request), pk=pk))


@require_roles(*SUBMITTERS)
def file_job(request: HttpRequest, pk: int) -> HttpResponse:
    return _job_page(request, selectors.job_of_file(user=_user(request), file_pk=pk))


@require_roles(*SUBMITTERS)
def submission_job(request: HttpRequest, pk: int) -> HttpResponse:
    return _job_page(request, selectors.job_of_submission(user=_user(request), submission_pk=pk))


def _job_page(request: HttpRequest, job: ImportJob) -> HttpResponse:
    """Progress of a background import; the page polls this view while the job runs, and the
    state lives in the database, so a reload shows the same progress.

    When the job is done, the poll tells the page to go on to the result in place of itself
    (the `lindung:forward` event, app.js `forwardReplacingHistory`): Back from the result
    then leaves the flow instead of landing on a progress page that forwards again. Loaded
    in full, a finished job shows a plain link."""
    if request.htmx and job.status == JobStatus.DONE and job.submission_id:
        response = HttpResponse(status=204)
        url = reverse("intake:detail", args=[job.submission_id])
        response["HX-Trigger"] = json.dumps({"lindung:forward": url})
        return response
    template = "intake/job.html#progress" if request.htmx else "intake/job.html"
    context = {"job": job, "job_url": job_url(job), "stalled": job.stalled()}
    return render(request, template, context)


@require_roles(*SUBMITTERS)
@require_POST
def job_restart(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    job = selectors.job_get(user=user, pk=pk)
    services.job_restart(actor=user, job=job)
    return _to_job(job)


@require_roles(*READERS)
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    submission = selectors.submission_get(user=user, pk=pk)
    outcome = request.GET.get("hasil", "")
    query = request.GET.get("q", "")[:60]
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
    template = (
        "intake/submission_detail.html#rows" if request.htmx else "intake/submission_detail.html"
    )
    return render(request, template, context)


@require_roles(*SUBMITTERS)
@require_http_methods(["GET", "POST"])
def row_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    row = selectors.row_get(user=user, pk=pk)
    if request.method == "POST":
        form = RowForm(request.POST)
        if form.is_valid():
            try:
                row = services.row_correct(
                    actor=user,
                    row=row,
                    values=form.cleaned_data,
                    revision=int(request.POST.get("revision", 0)),
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
    user = _user(request)
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
    user = _user(request)
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
    user = _user(request)
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
    user = _user(request)
    submission = selectors.submission_get(user=user, pk=pk)
    try:
        services.submission_start_verification(actor=user, submission=submission)
        messages.success(request, _("Usulan masuk tahap verifikasi."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("intake:detail", pk=submission.pk)


@require_roles(*READERS)
@require_http_methods(["GET", "POST"])
def feedback_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The feedback file: written at once for a small list; for a large one the user starts
    a background job (POST) and follows its progress."""
    user = _user(request)
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
    user = _user(request)
    export = selectors.feedback_export_get(user=user, pk=pk)
    template = (
        "intake/feedback_export.html#progress" if request.htmx else "intake/feedback_export.html"
    )
    return render(
        request, template, {"submission": export.submission, "export": export, "latest": None}
    )


@require_roles(*READERS)
def feedback_export_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A finished feedback file, to the user who asked for it only; each download audited."""
    user = _user(request)
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


@require_roles(*SUBMITTERS)
@require_POST
def replace_upload(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A corrected feedback file: its rows replace only the rows still rejected."""
    user = _user(request)
    submission = selectors.submission_get(user=user, pk=pk)
    form = ReplaceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih file perbaikan."))
        return redirect("intake:detail", pk=submission.pk)
    try:
        if not submission.is_editable:
            raise ServiceError(_("Usulan sudah diserahkan dan terkunci."))
        uploaded, created = services.upload_receive(
            actor=user,
            program=submission.program,
            agency=submission.agency,
            stream=form.cleaned_data["file"],
            filename=form.cleaned_data["file"].name,
        )
        try:
            layout, origin = services.feedback_layout(uploaded=uploaded, submission=submission)
            job = services.job_create(
                actor=user,
                uploaded=uploaded,
                layouts=[layout],
                target=submission,
                origin_column=origin,
            )
        except ServiceError as exc:
            if created:
                services.upload_discard(actor=user, uploaded=uploaded, reason=exc.message)
            raise
        return _to_job(job)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("intake:detail", pk=submission.pk)


@require_roles(*SUBMITTERS)
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest) -> HttpResponseBase:
    """Walk-in workers typed in one by one, checked live as the operator types. An entry that
    would be rejected stays in the form with its reasons; the operator fixes it, or saves it
    as rejected on purpose (never a second row of a NIK already in the batch)."""
    user = _user(request)
    upload_form = UploadForm(user=user)
    programs = upload_form.fields["program"].queryset
    chosen = request.POST.get("program") or request.GET.get("program") or ""
    program = _open_program(programs, chosen) if chosen else programs.first()
    form = RowForm(request.POST or None)
    refused: services.EntryRejected | None = None
    if request.method == "POST" and form.is_valid() and program is not None:
        try:
            agency = services.agency_for_upload(user=user, agency=_agency_choice(request, user))
            row = services.entry_add(
                actor=user,
                program=program,
                agency=agency,
                values=form.cleaned_data,
                keep_rejected=request.POST.get("keep_rejected") == "1",
            )
            if row.outcome == RowOutcome.REJECTED:
                messages.warning(
                    request,
                    _("%(name)s tersimpan sebagai ditolak; perbaiki nanti di usulan #%(n)s: %(r)s")
                    % {"name": row.name or row.nik, "n": row.submission_id, "r": row.reasons},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s tersimpan di usulan #%(n)s.")
                    % {"name": row.name, "n": row.submission_id},
                )
            return redirect(f"{reverse('intake:entry')}?program={program.pk}")
        except services.EntryRejected as exc:
            refused = exc
        except ServiceError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "intake/entry.html",
        {
            "form": form,
            "programs": programs,
            "program": program,
            "agencies": None if user.is_agency_scoped else upload_form.fields["agency"].queryset,
            "chosen_agency": request.POST.get("agency", ""),
            "refused": refused,
            "result": refused.result if refused else None,
        },
    )


def _agency_choice(request: HttpRequest, user: User) -> Agency | None:
    raw = request.POST.get("agency", "")
    return Agency.objects.filter(pk=raw, pemda_id=user.pemda_id).first() if raw.isdigit() else None


def _open_program(programs: Any, raw: str) -> Any:
    """The chosen open program, or None for anything else typed into the parameter."""
    return programs.filter(pk=int(raw)).first() if raw.isdigit() else None


@require_roles(*SUBMITTERS)
@require_POST
def entry_check(request: HttpRequest) -> HttpResponse:
    """The live check: what the row would get if saved now."""
    user = _user(request)
    form = RowForm(request.POST)
    form.is_valid()
    upload_form = UploadForm(user=user)
    program = _open_program(upload_form.fields["program"].queryset, request.POST.get("program", ""))
    result = None
    if program is not None:
        try:
            agency: Agency | None = services.agency_for_upload(
                user=user, agency=_agency_choice(request, user)
            )
        except ServiceError:
            agency = None  # an admin who has not chosen the agency yet
        result = services.entry_check(program=program, agency=agency, values=form.cleaned_data)
    return render(request, "intake/entry.html#check", {"result": result})


@require_roles(*READERS)
def template_download(request: HttpRequest, program_pk: int) -> HttpResponseBase:
    user = _user(request)
    program = program_get(user=user, pk=program_pk)
    occupations = list(program.occupations.filter(is_active=True).values_list("name", flat=True))
    if not occupations:
        occupations = list(
            Occupation.objects.filter(pemda_id=program.pemda_id, is_active=True).values_list(
                "name", flat=True
            )
        )
    districts = list(
        Region.objects.filter(
            code__startswith=program.pemda.region_id + ".", level=RegionLevel.DISTRICT
        )
        .order_by("name")
        .values_list("name", flat=True)
    )
    buffer = io.BytesIO()
    template_workbook(
        program_name=program.name, occupations=occupations, districts=districts, out=buffer
    )
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        content_type=XLSX,
        filename=f"template-usulan-{slugify(program.code)}.xlsx",
    )
