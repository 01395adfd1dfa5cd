"""Uploading a worker list: the upload form, the screen that confirms which column holds
what, a corrected feedback file replacing the rows still rejected, and the empty template."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindung.accounts.access import request_user, require_roles
from lindung.common.errors_domain import ServiceError
from lindung.common.tabular.headers import column_letter
from lindung.intake import selectors, services
from lindung.intake.exports import template_workbook
from lindung.intake.forms import FIELD_CHOICES, ReplaceForm, UploadForm
from lindung.intake.recognise import FIELD_LABELS
from lindung.intake.views.base import READERS, SUBMITTERS, XLSX
from lindung.intake.views.jobs import to_job
from lindung.programs.models import Occupation
from lindung.programs.selectors import program_get
from lindung.regions.models import Region, RegionLevel


@require_roles(*SUBMITTERS)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponseBase:
    user = request_user(request)
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
        if outcome.again:
            messages.info(
                request, _("File yang sama sudah pernah diunggah dan sedang atau sudah diproses.")
            )
        return to_job(outcome.job)
    return redirect("intake:mapping", pk=outcome.uploaded.pk)


@require_roles(*SUBMITTERS)
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Confirm which column holds what, on a preview of the first rows; choose the sheets."""
    user = request_user(request)
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
                return to_job(job)
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
                "letter": column_letter(index),
                "header": header,
                "field": columns_by_index.get(index, ""),
                "samples": values[:samples],
            }
        )
    return rows


@require_roles(*SUBMITTERS)
@require_POST
def replace_upload(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A corrected feedback file: its rows replace only the rows still rejected."""
    user = request_user(request)
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
        return to_job(job)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("intake:detail", pk=submission.pk)


@require_roles(*READERS)
def template_download(request: HttpRequest, program_pk: int) -> HttpResponseBase:
    user = request_user(request)
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
