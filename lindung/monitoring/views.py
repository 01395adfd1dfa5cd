"""The monitoring dashboard and the downloads of each chart's data (aggregates)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from lindung.accounts.access import request_user, require_roles
from lindung.common.errors_domain import ServiceError
from lindung.monitoring import exports, reports
from lindung.monitoring.dashboard import (
    MONITORING_READERS,
    Dashboard,
    dashboard_cached,
    district_choices,
    district_get,
)
from lindung.monitoring.evidence import PACK_READERS
from lindung.monitoring.workforce import WORKFORCE_LOADERS
from lindung.programs.choice import program_chosen
from lindung.programs.models import Program
from lindung.programs.selectors import program_list

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

REPORT_LINKS = (
    ("peserta", _("Peserta per instansi dan desa")),
    ("cakupan", _("Rekap cakupan per kecamatan")),
    ("anggaran", _("Realisasi anggaran")),
    ("manfaat", _("Manfaat klaim dibayar")),
)

SLICE_CHARTS = ("pekerjaan", "instansi", "sumber-dana", "jenis-kelamin", "usia")


def _as_of(request: HttpRequest) -> dt.date:
    """The "as of" day asked for; today when absent, unreadable or in the future."""
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(request.GET.get("tanggal", ""))
    except ValueError:
        return today
    return min(day, today)


def _dashboard(request: HttpRequest) -> tuple[Program | None, Dashboard | None]:
    user = request_user(request)
    program = program_chosen(request, user)
    if program is None:
        return None, None
    district = district_get(program, request.GET.get("kecamatan", ""))
    return program, dashboard_cached(
        user=user, program=program, as_of=_as_of(request), district=district
    )


@require_roles(*MONITORING_READERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    program, board = _dashboard(request)
    context: dict[str, object] = {
        "program": program,
        "programs": program_list(user=request_user(request)),
        "board": board,
        "can_load_workforce": request_user(request).has_role(*WORKFORCE_LOADERS),
    }
    if program is not None and board is not None:
        tables = exports.tables(board)
        context.update(
            districts=district_choices(program),
            tables=tables,
            sections=[(name, tables[name]) for name in SLICE_CHARTS],
            charts=exports.charts(board),
            query=request.GET.urlencode(),
            reports=REPORT_LINKS,
            can_pack=request_user(request).has_role(*PACK_READERS),
        )
    return render(request, "monitoring/dashboard.html", context)


@require_roles(*MONITORING_READERS)
def chart_download(request: HttpRequest, chart: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    program, board = _dashboard(request)
    if program is None or board is None:
        raise Http404
    table = exports.tables(board).get(chart)
    if table is None:
        raise Http404
    content = exports.as_csv(table) if fmt == "csv" else exports.as_xlsx(table)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    place = f"-{board.coverage.district.code}" if board.coverage.district else ""
    name = f"{chart}-{program.code}{place}-{board.as_of:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_roles(*MONITORING_READERS)
@require_GET
def report_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    user = request_user(request)
    program = program_chosen(request, user)
    if program is None:
        raise Http404
    try:
        document = reports.monitoring_report_download(
            actor=user, program=program, kind=kind, fmt=fmt, as_of=_as_of(request)
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("monitoring:dashboard")
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response
