"""Claims pages: the list, reporting an incident of a participant found by NIK or KPJ, and a
claim's page with its cover, itemised entitlement and workflow steps (each asks first)."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from lindung.accounts.access import CLAIM_HANDLERS, request_user, require_roles
from lindung.accounts.selectors import agency_list
from lindung.claims import documents, forms, heirs, selectors, services, views_files
from lindung.claims.models import ClaimKind, ClaimStatus
from lindung.common.errors_domain import ServiceError
from lindung.common.params import positive_id
from lindung.domain.cover import ClaimType
from lindung.domain.entitlement import Transport
from lindung.programs.selectors import program_current

PER_PAGE = 50
PART_LABELS = {
    "lump_sum": _lazy("Santunan sekaligus"),
    "periodic": _lazy("Santunan berkala (dibayar sekaligus)"),
    "funeral": _lazy("Biaya pemakaman"),
    "short_membership": _lazy("Santunan masa iur kurang dari 3 bulan"),
    "full_phase": _lazy("STMB 100% (12 bulan pertama)"),
    "reduced_phase": _lazy("STMB 50% (bulan berikutnya)"),
    "transport_land": _lazy("Transportasi darat"),
    "transport_sea": _lazy("Transportasi laut"),
    "transport_air": _lazy("Transportasi udara"),
}
S = ClaimStatus
STEP_FORMS: dict[str, type[django_forms.Form] | None] = {
    S.DOCUMENTS_COMPLETE: None,
    S.SUBMITTED: None,
    S.PAID: forms.PaidForm,
    S.HANDED_OVER: forms.HandOverForm,
    S.REJECTED: forms.RejectForm,
}


_int = positive_id


@require_roles(*CLAIM_HANDLERS)
@require_http_methods(["GET"])
def claim_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    status = request.GET.get("status", "")
    kind = request.GET.get("jenis", "")
    filters = selectors.ClaimFilters(
        status=status if status in S.values else "",
        kind=kind if kind in ClaimKind.values else "",
        agency_id=_int(request.GET.get("instansi")),
        village=request.GET.get("desa", "").strip()[:13],
    )
    page = Paginator(selectors.claim_list(user=user, filters=filters), PER_PAGE).get_page(
        request.GET.get("hal")
    )
    context = {
        "filters": filters,
        "page": page,
        "claims": page.object_list,
        "statuses": S.choices,
        "kinds": ClaimKind.choices,
        "agencies": agency_list(user=user),
        "villages": selectors.claim_villages(user=user),
    }
    return render(request, "claims/claim_list.html", context)


@require_roles(*CLAIM_HANDLERS)
@sensitive_post_parameters("nomor")
@require_http_methods(["GET", "POST"])
def claim_find(request: HttpRequest) -> HttpResponse:
    """Find the participant by full NIK or KPJ, through POST so a NIK is never in a URL."""
    user = request_user(request)
    program = program_current(user=user)
    found = None
    if request.method == "POST" and program is not None:
        found = selectors.participant_find(
            user=user, program=program, number=request.POST.get("nomor", "")
        )
    context = {"program": program, "found": found}
    return render(request, "claims/claim_find.html", context)


def _incident(data: dict[str, Any]) -> services.Incident:
    transport = Transport(
        land=data.get("transport_land") or 0,
        sea=data.get("transport_sea") or 0,
        air=data.get("transport_air") or 0,
    )
    return services.Incident(
        kind=data["kind"],
        incident_on=data["incident_on"],
        place=data["place"],
        reported_by=data["reported_by"],
        reporter_name=data["reporter_name"],
        description=data.get("description") or "",
        months_off_work=data.get("months_off_work"),
        percent=data.get("percent"),
        transport=transport if transport != Transport() else None,
        children=data.get("children") or 0,
    )


@require_roles(*CLAIM_HANDLERS)
@require_http_methods(["GET", "POST"])
def claim_report(request: HttpRequest, enrolment: int) -> HttpResponseBase:
    user = request_user(request)
    found = selectors.enrolment_for_claim(user=user, pk=enrolment)
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_report(
                actor=user, enrolment=found, incident=_incident(form.cleaned_data)
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Klaim dicatat."))
            return redirect("claims:detail", pk=claim.pk)
    return render(request, "claims/claim_report.html", {"enrolment": found, "form": form})


def _step_forms(status: str) -> list[dict[str, Any]]:
    steps = []
    for to, (sources, _action) in services.STEPS.items():
        if status in sources:
            form_class = STEP_FORMS[to]
            steps.append(
                {"to": to, "label": S(to).label, "form": form_class() if form_class else None}
            )
    return steps


@require_roles(*CLAIM_HANDLERS)
@require_http_methods(["GET"])
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    claim = selectors.claim_get(user=user, pk=pk)
    services.claim_view_record(actor=user, claim=claim)  # need-to-know: who saw heirs, papers
    parts = claim.entitlement.get("parts", {})
    claim_heirs = heirs.heirs_in_order(claim.heirs.all())
    papers = list(claim.documents.select_related("created_by"))
    items = views_files.item_choices(claim)
    context = {
        "claim": claim,
        "steps": _step_forms(claim.status),
        "parts": [(PART_LABELS.get(key, key), rp) for key, rp in parts.items()],
        "late_report": services.reported_late(claim),
        "heirs": claim_heirs,
        "receiver": claim_heirs[0] if claim_heirs else None,
        "is_death": ClaimType(claim.kind).is_death,
        "heir_form": forms.HeirForm() if claim.status in heirs.OPEN else None,
        "checklist": documents.checklist_of(claim, papers),
        "upload_form": (
            forms.DocumentForm(items=items, auto_id="upload_%s")
            if claim.status in heirs.OPEN
            else None
        ),
        "waive_form": (
            forms.WaiveForm(items=items, auto_id="waive_%s") if claim.status == S.REPORTED else None
        ),
    }
    return render(request, "claims/claim_detail.html", context)


@require_roles(*CLAIM_HANDLERS)
@require_POST
def claim_advance(request: HttpRequest, pk: int, to: str) -> HttpResponseBase:
    user = request_user(request)
    claim = selectors.claim_get(user=user, pk=pk)
    if to not in STEP_FORMS:
        raise Http404
    form_class = STEP_FORMS[to]
    details: dict[str, Any] = {}
    if not request.POST.get("confirm"):
        messages.error(request, _("Centang konfirmasi sebelum melanjutkan."))
        return redirect("claims:detail", pk=claim.pk)
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("Periksa isian: semua kolom langkah ini wajib diisi."))
            return redirect("claims:detail", pk=claim.pk)
        details = form.cleaned_data
    try:
        services.claim_advance(actor=user, claim=claim, to=to, **details)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Klaim: %(step)s.") % {"step": S(to).label})
    return redirect("claims:detail", pk=claim.pk)
