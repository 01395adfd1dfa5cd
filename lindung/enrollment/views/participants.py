"""The participants register, one participant's history, and their cards."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from lindung.accounts.access import (
    PEMDA_WIDE,
    get_scoped_or_404,
    request_user,
    require_roles,
    sees_full_nik,
)
from lindung.accounts.disclosure import full_niks_shown
from lindung.accounts.models import Agency, Role, User
from lindung.accounts.selectors import agency_list
from lindung.audit.presentation import action_phrase
from lindung.common.params import positive_id, text_param
from lindung.enrollment import selectors
from lindung.enrollment.cards import cards_pdf
from lindung.enrollment.services.participants import participant_cards_downloaded
from lindung.programs.models import Program
from lindung.programs.selectors import occupation_list, program_current, program_funding_sources
from lindung.workers.models import EnrolmentStatus

READERS = (*PEMDA_WIDE, Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR)
PER_PAGE = 50
PDF = "application/pdf"


def _program(user: User) -> Program:
    program = program_current(user=user)
    if program is None:
        raise Http404
    return program


_int = positive_id


def _filters(query: QueryDict, nik: str = "") -> selectors.ParticipantFilters:
    area = text_param(query.get("wilayah"), limit=13)
    return selectors.ParticipantFilters(
        name=text_param(query.get("q")),
        kpj=text_param(query.get("kpj"), limit=20),
        nik=nik,
        agency_id=_int(query.get("instansi")),
        area=area if re.fullmatch(r"[0-9.]+", area) else "",
        occupation_id=_int(query.get("pekerjaan")),
        status=query.get("status", "") if query.get("status") in EnrolmentStatus.values else "",
        funding_source_id=_int(query.get("sumber")),
    )


def _end_url(pk: int) -> str | None:
    """The 'end this enrolment' page, when the lifecycle part is installed."""
    try:
        return reverse("enrollment:enrolment_end", args=[pk])
    except NoReverseMatch:
        return None


@require_roles(*READERS)
@sensitive_post_parameters("nik")
@require_http_methods(["GET", "POST"])
def participant_list(request: HttpRequest) -> HttpResponse:
    """GET filters by name prefix, KPJ, agency, area, occupation, status and funding source;
    a NIK is searched only through POST, so it never appears in a URL (ASVS 14.2.1)."""
    user = request_user(request)
    program = _program(user)
    nik = ""
    if request.method == "POST":
        nik = "".join(request.POST.get("nik", "").split())[:16]
        nik = nik if len(nik) == 16 and nik.isdigit() else "0" * 17  # matches nobody
    filters = _filters(request.GET, nik)
    counts = selectors.participant_counts(user=user, program=program, filters=filters)
    total = counts.by_status.get(filters.status, 0) if filters.status else counts.total
    total = min(total, counts.cap) if counts.capped else total
    rows = selectors.ParticipantRows(
        selectors.participant_list(user=user, program=program, filters=filters), total
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("hal"))
    context = {
        "program": program,
        "filters": filters,
        "nik_searched": request.method == "POST",
        "nik_invalid": request.method == "POST" and len(nik) != 16,
        "counts": counts,
        "page": page,
        "participants": page.object_list,
        "agencies": agency_list(user=user) if not user.is_agency_scoped else None,
        "districts": selectors.program_districts(program=program),
        "occupations": occupation_list(user=user),
        "sources": program_funding_sources(program=program),
        "statuses": EnrolmentStatus.choices,
    }
    return render(request, "enrollment/participant_list.html", context)


@require_roles(*READERS)
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    enrolment = selectors.participant_get(user=user, pk=pk)
    history = selectors.participant_history(user=user, enrolment=enrolment)
    context = {
        "e": enrolment,
        "worker": enrolment.worker,
        "history": history,
        "events": [(ev, action_phrase(ev.action)) for ev in history.events],
        "full_nik": sees_full_nik(user, agency_id=enrolment.agency_id),
        "end_url": _end_url(enrolment.pk) if user.role in PEMDA_WIDE else None,
        "is_active": enrolment.status == EnrolmentStatus.ACTIVE,
    }
    if context["full_nik"]:
        full_niks_shown(actor=user, obj=enrolment, count=1, where="participant_detail")
    return render(request, "enrollment/participant_detail.html", context)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_roles(*READERS)
def participant_card(request: HttpRequest, pk: int) -> HttpResponse:
    """One participant's card (active participants only)."""
    user = request_user(request)
    enrolment = selectors.participant_get(user=user, pk=pk)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise Http404
    content = cards_pdf([enrolment], title=f"Kartu {enrolment.kpj}")
    participant_cards_downloaded(
        actor=user, program=enrolment.program, count=1, enrolment=enrolment
    )
    return _pdf(content, f"kartu-{enrolment.kpj or enrolment.pk}.pdf")


@require_roles(*READERS)
def participant_cards(request: HttpRequest) -> HttpResponse:
    """Cards of every active participant of an agency or an area (district or village), ten
    to an A4 sheet. Operators get their own agency's."""
    user = request_user(request)
    program = _program(user)
    agency: Agency | None = None
    agency_id = user.agency_id if user.is_agency_scoped else _int(request.GET.get("instansi"))
    if agency_id:
        agency = get_scoped_or_404(agency_list(user=user), pk=agency_id)
    area = _filters(request.GET).area
    if agency is None and not area:
        raise Http404
    enrolments = list(
        selectors.active_participants(
            user=user, program=program, agency_id=agency.pk if agency else None, area=area
        ).select_related("program__pemda")
    )
    content = cards_pdf(enrolments, title="Kartu peserta")
    participant_cards_downloaded(
        actor=user, program=program, count=len(enrolments), agency=agency, area=area
    )
    name = agency.code if agency else area.replace(".", "")
    return _pdf(content, f"kartu-peserta-{name}.pdf")
