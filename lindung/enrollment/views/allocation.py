"""The allocation page (current capacity and a what-if simulation; the verifier proposes
from it), renewal of last year's participants, and a proposal's read-only page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from lindung.accounts.access import VERIFIERS, request_user, require_roles
from lindung.accounts.models import Role
from lindung.common.errors_domain import ServiceError
from lindung.domain.allocation import add_months
from lindung.enrollment import allocation as reads
from lindung.enrollment.models import WaitReason
from lindung.enrollment.services import allocation_propose, renewal_candidates_create
from lindung.enrollment.services.renewal import previous_program
from lindung.programs.choice import program_chosen
from lindung.programs.models import Program
from lindung.workers.restrictions import HELD_REASON

VIEWERS = (*VERIFIERS, Role.APPROVER)
FIRST_LINES = 50
BENEFITS = {"jkk_jkm": ["JKK", "JKM"], "jht": ["JKK", "JKM", "JHT"]}


class WhatIfForm(forms.Form):
    quota = forms.IntegerField(label=_("Kuota"), min_value=0, required=False)
    budget = forms.IntegerField(label=_("Anggaran (Rp)"), min_value=0, required=False)
    start = forms.ChoiceField(label=_("Bulan mulai"), required=False)
    benefits = forms.ChoiceField(
        label=_("Program jaminan"),
        choices=[("jkk_jkm", _("JKK + JKM")), ("jht", _("JKK + JKM + JHT"))],
        required=False,
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first = program.start_month.replace(day=1)
        months = [add_months(first, i) for i in range(program.coverage_months)]
        self.fields["start"].choices = [("", _("Bulan depan"))] + [
            (f"{m:%Y-%m}", f"{m:%m-%Y}") for m in months
        ]

    def start_month(self) -> dt.date | None:
        value = self.cleaned_data.get("start") if self.is_valid() else None
        return dt.date.fromisoformat(f"{value}-01") if value else None


def _reason(value: str | None) -> str:
    return str(WaitReason(value).label) if value else ""


def _reasons(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(label, count) of the wait reasons, in the order the allocation checks them."""
    return [(str(r.label), counts[r.value]) for r in WaitReason if counts.get(r.value)]


@require_roles(*VIEWERS)
def simulation(request: HttpRequest) -> HttpResponse:
    """Capacity now and what the candidates come to, with the what-ifs asked; nothing is
    written."""
    user = request_user(request)
    program = program_chosen(request, user)
    context: dict[str, Any] = {"program": program, "can_propose": user.has_role(*VERIFIERS)}
    if program is None:
        return render(request, "enrollment/allocation.html", context)
    form = WhatIfForm(request.GET or None, program=program)
    what_if = reads.WhatIf()
    if form.is_valid():
        data = form.cleaned_data
        what_if = reads.WhatIf(
            quota=data.get("quota"),
            budget=data.get("budget"),
            benefits=BENEFITS.get(data.get("benefits") or "") or None,
        )
    try:
        sim = reads.simulate(
            program=program,
            as_of=timezone.localdate(),
            start_month=form.start_month(),
            what_if=what_if,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        sim = None
    if sim is not None:
        names = dict(zip(sim.frame["row_id"], sim.frame["name"], strict=True))
        niks = dict(zip(sim.frame["row_id"], sim.frame["nik"], strict=True))
        sources = {s.source.pk: s.source.name for s in sim.sources}
        context["first_lines"] = [
            {
                "rank": p.rank,
                "name": names[p.key],
                "nik": niks[p.key],
                "reason": _reason(p.wait_reason),
                "source": sources.get(p.funding_source_id or 0, ""),
            }
            for p in sim.result.placements[:FIRST_LINES]
        ]
        context["reasons"] = _reasons(sim.result.waiting_by_reason())
    context.update(
        form=form,
        sim=sim,
        open_proposal=reads.allocation_open(program=program),
        previous=previous_program(program) if user.has_role(*VERIFIERS) else None,
    )
    return render(request, "enrollment/allocation.html", context)


@require_roles(*VERIFIERS)
@require_POST
def propose(request: HttpRequest) -> HttpResponseBase:
    """Record a proposal with the program's real quota and money (from the chosen month)."""
    user = request_user(request)
    program = program_chosen(request, user)
    if program is None:
        return redirect("enrollment:allocation")
    form = WhatIfForm(request.POST, program=program)
    try:
        proposal = allocation_propose(
            actor=user, program=program, as_of=timezone.localdate(), start_month=form.start_month()
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('enrollment:allocation')}?program={program.pk}")
    for warning in proposal.warnings:
        messages.warning(request, warning)
    assert proposal.allocation is not None  # noqa: S101 - recorded (not a dry run)
    return redirect("enrollment:allocation_detail", pk=proposal.allocation.pk)


@require_roles(*VERIFIERS)
@require_POST
def renewal(request: HttpRequest) -> HttpResponseBase:
    user = request_user(request)
    program = program_chosen(request, user)
    if program is None:
        return redirect("enrollment:allocation")
    try:
        outcome = renewal_candidates_create(actor=user, program=program)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "%(n)s peserta tahun lalu diserahkan sebagai usulan perpanjangan; jalankan "
                "verifikasi untuk memeriksanya."
            )
            % {"n": outcome.created},
        )
        if outcome.skipped_restricted:
            messages.warning(
                request,
                _("%(n)s orang tidak diusulkan: %(reason)s.")
                % {"n": outcome.skipped_restricted, "reason": HELD_REASON},
            )
    return redirect(f"{reverse('enrollment:allocation')}?program={program.pk}")
