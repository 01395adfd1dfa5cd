"""The workforce page: upload a statistics office's table of the working population (preview
first, then load: a second load of the year replaces it), and set the Pemda's coverage
target and the province's rate — what `lindung workforce load` / `target` do."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.access import request_user, require_roles
from lindung.accounts.models import Pemda
from lindung.common.errors_domain import ServiceError
from lindung.common.uploads import upload_path
from lindung.monitoring.models import CoverageTarget
from lindung.monitoring.workforce import (
    WORKFORCE_LOADERS,
    WorkforcePreview,
    coverage_target_set,
    workforce_discard,
    workforce_load,
    workforce_preview,
    workforce_years,
)

PENDING = "monitoring_workforce_pending"  # the previewed file, in the session


def _year(value: str) -> int | None:
    try:
        return int(value.strip())
    except ValueError:
        return None


def _percent(value: str) -> Decimal | None:
    """ "33,4" or "33.4" (or "33,4 %"); None when empty; raises ValueError when unreadable."""
    text = value.strip().rstrip("% ").replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(value) from exc


def _pemda(request: HttpRequest) -> Pemda:
    pemda = request_user(request).pemda
    if pemda is None:  # require_roles lets only a Pemda's staff in
        raise ServiceError(_("Akun ini tidak terhubung ke Pemda."))
    return pemda


def _preview(request: HttpRequest, pemda: Pemda) -> WorkforcePreview | None:
    upload = request.FILES.get("berkas")
    year = _year(request.POST.get("tahun", ""))
    source = request.POST.get("sumber", "")
    if upload is None:
        messages.error(request, _("Pilih file tabel jumlah pekerja."))
        return None
    if year is None:
        messages.error(request, _("Tahun harus berupa angka, mis. 2026."))
        return None
    try:
        preview = workforce_preview(
            actor=request_user(request), pemda=pemda, stream=upload,
            filename=upload.name or "", year=year, source=source,
        )  # fmt: skip
    except ServiceError as exc:
        messages.error(request, exc.message)
        return None
    earlier = request.session.get(PENDING)
    if isinstance(earlier, dict):
        workforce_discard(str(earlier.get("stored", "")))
    request.session[PENDING] = {
        "stored": preview.stored, "filename": preview.filename, "year": year, "source": source,
    }  # fmt: skip
    return preview


def _load(request: HttpRequest, pemda: Pemda) -> HttpResponseBase:
    pending = request.session.pop(PENDING, None)
    if not isinstance(pending, dict):
        messages.error(request, _("Tidak ada file yang menunggu dimuat; unggah lagi."))
        return redirect("monitoring:workforce")
    stored = str(pending["stored"])
    try:
        result = workforce_load(
            actor=request_user(request), pemda=pemda, path=upload_path(stored),
            filename=str(pending["filename"]), year=int(pending["year"]),
            source=str(pending["source"]),
        )  # fmt: skip
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("monitoring:workforce")
    finally:
        workforce_discard(stored)
    text = _("Jumlah pekerja %(year)s dimuat: %(rows)s wilayah.") % {
        "year": result.year,
        "rows": result.rows,
    }
    if result.replaced:
        text += " " + _("Data tahun itu sebelumnya (%(n)s baris) diganti.") % {"n": result.replaced}
    messages.success(request, text)
    return redirect("monitoring:workforce")


@require_roles(*WORKFORCE_LOADERS)
def workforce(request: HttpRequest) -> HttpResponseBase:
    """The loaded years, the upload form (preview, then load) and the coverage targets."""
    pemda = _pemda(request)
    preview = None
    if request.method == "POST":
        if request.POST.get("langkah") == "muat":
            return _load(request, pemda)
        preview = _preview(request, pemda)
    today = timezone.localdate()
    context = {
        "preview": preview,
        "pending": request.session.get(PENDING) if preview else None,
        "years": workforce_years(pemda=pemda),
        "targets": CoverageTarget.objects.filter(pemda=pemda).order_by("-year"),
        "year": _year(request.POST.get("tahun", "")) or today.year,
        "source": request.POST.get("sumber", ""),
    }
    return render(request, "monitoring/workforce.html", context)


@require_roles(*WORKFORCE_LOADERS)
@require_POST
def target_set(request: HttpRequest) -> HttpResponse | HttpResponseBase:
    """Set the coverage target and the province's rate of one year."""
    pemda = _pemda(request)
    year = _year(request.POST.get("tahun", ""))
    try:
        target = _percent(request.POST.get("target", ""))
        province = _percent(request.POST.get("provinsi", ""))
    except ValueError:
        messages.error(request, _("Persen harus berupa angka, mis. 45 atau 33,4."))
        return redirect("monitoring:workforce")
    if year is None or not 2000 <= year <= timezone.localdate().year + 5:
        messages.error(request, _("Tahun harus berupa angka, mis. 2026."))
        return redirect("monitoring:workforce")
    try:
        coverage_target_set(
            actor=request_user(request), pemda=pemda, year=year, target_rate=target,
            province_rate=province, note=request.POST.get("catatan", ""),
        )  # fmt: skip
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Target cakupan %(year)s disimpan.") % {"year": year})
    return redirect("monitoring:workforce")
