"""The benefits-paid report page (`/klaim/laporan/`) and its xlsx/PDF downloads (audited).
Aggregates only: leaders, the Kepala Dinas and Keuangan read it too."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from lindung.accounts.access import request_user, require_roles
from lindung.claims import reports
from lindung.common.errors_domain import ServiceError


@require_roles(*reports.REPORT_READERS)
@require_GET
def benefits_report(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    years = reports.benefits_paid(user=user)
    context = {
        "years": years,
        "total_count": sum(y.count for y in years),
        "total_rupiah": sum(y.rupiah for y in years),
    }
    return render(request, "claims/benefits_report.html", context)


@require_roles(*reports.REPORT_READERS)
@require_GET
def benefits_report_download(request: HttpRequest, kind: str) -> HttpResponseBase:
    try:
        document = reports.benefits_report_download(actor=request_user(request), kind=kind)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("claims:benefits")
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response
