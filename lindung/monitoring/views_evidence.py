"""The audit evidence pack pages: ask for the pack of a period, watch it being made (htmx
polling), download it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.access import request_user, require_roles
from lindung.common.errors_domain import ServiceError
from lindung.monitoring import evidence
from lindung.monitoring.models import EvidencePack
from lindung.programs.choice import program_chosen
from lindung.programs.selectors import program_list


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@require_roles(*evidence.PACK_READERS)
def evidence_packs(request: HttpRequest) -> HttpResponse:
    """The packs asked for so far and the form asking for a new one."""
    user = request_user(request)
    program = program_chosen(request, user)
    if request.method == "POST" and program is not None:
        start, end = _date(request.POST.get("mulai", "")), _date(request.POST.get("sampai", ""))
        if start is None or end is None:
            messages.error(request, _("Isi tanggal awal dan akhir periode."))
        else:
            try:
                pack = evidence.evidence_pack_request(
                    actor=user, program=program, period_start=start, period_end=end
                )
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                return redirect("monitoring:evidence_pack", pk=pack.pk)
    today = timezone.localdate()
    context = {
        "program": program,
        "programs": program_list(user=user),
        "packs": evidence.evidence_packs(user=user)[:20],
        "start": dt.date(program.year, 1, 1) if program else today,
        "end": min(dt.date(program.year, 12, 31), today) if program else today,
    }
    return render(request, "monitoring/evidence_packs.html", context)


def _pack(request: HttpRequest, pk: int) -> EvidencePack:
    return get_object_or_404(evidence.evidence_packs(user=request_user(request)), pk=pk)


@require_roles(*evidence.PACK_READERS)
def evidence_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of a pack being made; polled by htmx until it is ready."""
    pack = _pack(request, pk)
    template = (
        "monitoring/evidence_pack.html#progress"
        if request.htmx
        else "monitoring/evidence_pack.html"
    )
    return render(request, template, {"pack": pack})


@require_roles(*evidence.PACK_READERS)
def evidence_pack_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The finished zip; each download audited."""
    user = request_user(request)
    pack = _pack(request, pk)
    try:
        handle = evidence.evidence_pack_open(actor=user, pack=pack)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("monitoring:evidence_pack", pk=pack.pk)
    if handle is None:
        messages.error(request, _("Paket bukti ini belum siap atau sudah tidak ada."))
        return redirect("monitoring:evidence_pack", pk=pack.pk)
    name = (
        f"paket-bukti-{pack.program.code}-{pack.period_start:%Y%m%d}-{pack.period_end:%Y%m%d}.zip"
    )
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
