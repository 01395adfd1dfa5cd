"""The maker–checker pages: the list of allocation proposals, one proposal (summary, lines,
the Kepala Dinas's approve and return), and the documents of an approved one."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.access import VERIFIERS, request_user, require_roles
from lindung.accounts.models import Role, User
from lindung.common.errors_domain import ServiceError
from lindung.common.params import whole_number
from lindung.enrollment import approval, proposals
from lindung.enrollment.models import Allocation, AllocationStatus, LineOutcome
from lindung.programs.selectors import program_current, program_get
from lindung.workers.restrictions import HELD_REASON

PER_PAGE = 25


def _version(request: HttpRequest) -> int:
    """The version the page was drawn from; a missing or malformed one is a ValueError."""
    version = whole_number(request.POST.get("version"), maximum=2**31 - 1)
    if version is None:
        raise ValueError("version")
    return version


def _may_decide(user: User, allocation: Allocation) -> bool:
    return (
        user.role == Role.APPROVER
        and allocation.status == AllocationStatus.PROPOSED
        and allocation.proposed_by_id != user.pk
    )


@require_roles(*approval.PROPOSAL_READERS)
def proposal_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    page = Paginator(proposals.proposal_list(user=user), PER_PAGE).get_page(request.GET.get("hal"))
    program = program_current(user=user) if user.has_role(*VERIFIERS) else None
    return render(request, "enrollment/proposal_list.html", {"page": page, "program": program})


@require_roles(*VERIFIERS)
@require_POST
def refill_propose(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Offer freed places to the waiting list: a refill proposal from next month."""
    user = request_user(request)
    program = program_get(user=user, pk=pk)
    try:
        refill = approval.allocation_refill_propose(
            actor=user, program=program, as_of=timezone.localdate()
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("enrollment:proposal_list")
    messages.success(
        request,
        _("Usulan pengisian slot dibuat untuk %(n)s orang; menunggu persetujuan Kepala Dinas.")
        % {"n": refill.allocated},
    )
    return redirect("enrollment:allocation_detail", pk=refill.pk)


@require_roles(*approval.PROPOSAL_READERS)
def allocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    allocation = proposals.proposal_get(user=user, pk=pk)
    tab = LineOutcome.WAITING if request.GET.get("tab") == "waiting" else LineOutcome.ALLOCATED
    lines = proposals.proposal_lines(allocation=allocation, outcome=tab)
    page = Paginator(lines, PER_PAGE).get_page(request.GET.get("hal"))
    return render(
        request,
        "enrollment/allocation_detail.html",
        {
            "allocation": allocation,
            "summary": proposals.proposal_summary(allocation=allocation),
            "tab": tab,
            "page": page,
            "may_decide": _may_decide(user, allocation),
            "own": allocation.proposed_by_id == user.pk,
        },
    )


@require_roles(Role.APPROVER)
def allocation_approve(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Ask first (how many people, what it costs); approve on the confirmed POST, for the
    version the Kepala Dinas saw."""
    user = request_user(request)
    allocation = proposals.proposal_get(user=user, pk=pk)
    if request.method != "POST":
        return render(
            request,
            "enrollment/approve_confirm.html",
            {
                "allocation": allocation,
                "summary": proposals.proposal_summary(allocation=allocation),
            },
        )
    try:
        allocation.version = _version(request)
        result = approval.allocation_approve(actor=user, allocation=allocation)
    except ValueError:
        messages.error(request, _("Formulir tidak lengkap; muat ulang halaman."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        text = _("Usulan disetujui: %(n)s orang ditetapkan sebagai peserta.") % {
            "n": result.approved
        }
        if result.skipped:
            text += " " + _("%(n)s orang dilewati karena sudah terdaftar di program ini.") % {
                "n": result.skipped
            }
        if result.held_restricted:
            text += " " + _("%(n)s orang tidak ditetapkan: %(reason)s.") % {
                "n": result.held_restricted,
                "reason": HELD_REASON,
            }
        messages.success(request, text)
    return redirect("enrollment:allocation_detail", pk=allocation.pk)


@require_roles(Role.APPROVER)
@require_POST
def allocation_return(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    allocation = proposals.proposal_get(user=user, pk=pk)
    try:
        allocation.version = _version(request)
        approval.allocation_return(
            actor=user, allocation=allocation, note=request.POST.get("note", "")
        )
    except ValueError:
        messages.error(request, _("Formulir tidak lengkap; muat ulang halaman."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Usulan dikembalikan ke verifikator dengan catatan."))
    return redirect("enrollment:allocation_detail", pk=allocation.pk)


@require_roles(*approval.PROPOSAL_READERS)
def allocation_download(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    user = request_user(request)
    allocation = proposals.proposal_get(user=user, pk=pk)
    try:
        document = approval.allocation_document(actor=user, allocation=allocation, kind=kind)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("enrollment:allocation_detail", pk=allocation.pk)
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response
