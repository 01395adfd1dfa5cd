"""The home page of each role: where they stand and what to do next."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from lindung.accounts.models import Role, User
from lindung.accounts.selectors import active_agency_count, active_user_count, agency_counts
from lindung.billing.paidup import arrears_alerts
from lindung.enrollment.proposals import proposals_awaiting
from lindung.intake.selectors import agency_quota_usage, submission_summary
from lindung.programs.models import Program
from lindung.programs.selectors import (
    occupation_count,
    program_budget_summary,
    program_current,
    program_funding_sources,
    program_list,
    program_occupations,
    program_quota_allotted,
)
from lindung.verification.selectors import verification_waiting
from lindung.workers.selectors import worker_list

# Unpaid contributions are shown to Keuangan and the Disnaker (admin, verifier, Kepala Dinas).
ARREARS_ALERTED = (Role.FINANCE, Role.ADMIN, Role.VERIFIER, Role.APPROVER)


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or user.pemda_id is None:
        return render(request, "home/no_pemda.html", status=403)
    program = program_current(user=user)
    context: dict[str, Any] = {"program": program, "role": user.role}
    if program is not None and user.role in ARREARS_ALERTED:
        context["arrears_alerts"] = arrears_alerts(program=program, as_of=timezone.localdate())
    if user.is_agency_scoped:
        context["agency"] = user.agency
        context["worker_count"] = worker_list(user=user).count()
        context["intake"] = submission_summary(user=user)
        if program is not None:
            context["quota_usage"] = agency_quota_usage(user=user, program=program)
            context["occupations"] = program_occupations(program=program)
        template = "home/operator.html"
    elif user.role == Role.ADMIN:
        context.update(
            agency_counts=agency_counts(user=user),
            user_count=active_user_count(user=user),
            occupation_count=occupation_count(user=user),
            program_count=program_list(user=user).count(),
        )
        context["waiting"] = verification_waiting(user=user)
        context["intake"] = submission_summary(user=user)
        if program is not None:
            context["funding_count"] = program_funding_sources(program=program).count()
            context["quota_allotted"] = program_quota_allotted(program=program)
        template = "home/admin.html"
    else:
        if program is not None:
            context["budget"] = program_budget_summary(program=program)
        context["worker_count"] = worker_list(user=user).count()
        context["intake"] = submission_summary(user=user)
        context["agency_count"] = active_agency_count(user=user)
        if user.role == Role.VERIFIER:
            context["waiting"] = verification_waiting(user=user)
        if user.role == Role.APPROVER:
            context["awaiting"] = list(proposals_awaiting(user=user)[:10])
        template = "home/staff.html"
    return render(request, template, context)


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for the service manager: the app answers and the database is reachable."""
    Program.objects.exists()
    return JsonResponse({"status": "ok"})
