"""The home page of each role: where they stand and what to do next."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from lindung.accounts.models import Agency, Role, User
from lindung.intake.models import SubmissionStatus
from lindung.intake.selectors import agency_quota_usage, submission_list
from lindung.programs.models import Occupation, Program, ProgramStatus
from lindung.programs.selectors import program_budget_summary, program_list
from lindung.verification.selectors import verification_waiting
from lindung.workers.selectors import worker_list


def _current_program(user: User) -> Program | None:
    programs = program_list(user=user)
    return (
        programs.filter(status=ProgramStatus.OPEN).order_by("-year").first()
        or programs.order_by("-year").first()
    )


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or user.pemda_id is None:
        return render(request, "home/no_pemda.html", status=403)
    program = _current_program(user)
    context: dict[str, Any] = {"program": program, "role": user.role}
    if user.is_agency_scoped:
        context["agency"] = user.agency
        context["worker_count"] = worker_list(user=user).count()
        context["intake"] = _intake_summary(user)
        if program is not None:
            context["quota_usage"] = agency_quota_usage(user=user, program=program)
            context["occupations"] = program.occupations.order_by("name")
        template = "home/operator.html"
    elif user.role == Role.ADMIN:
        pemda_agencies = Agency.objects.filter(pemda_id=user.pemda_id)
        context.update(
            agency_counts=dict(
                pemda_agencies.values_list("kind").annotate(n=Count("pk")).order_by()
            ),
            user_count=User.objects.filter(pemda_id=user.pemda_id, is_active=True).count(),
            occupation_count=Occupation.objects.filter(
                pemda_id=user.pemda_id, is_active=True
            ).count(),
            program_count=program_list(user=user).count(),
        )
        context["waiting"] = verification_waiting(user=user)
        context["intake"] = _intake_summary(user)
        if program is not None:
            context["funding_count"] = program.funding_sources.count()
            context["quota_allotted"] = (
                program.quotas.filter(region__isnull=True).aggregate(t=Sum("quota"))["t"] or 0
            )
        template = "home/admin.html"
    else:
        if program is not None:
            context["budget"] = program_budget_summary(program=program)
        context["worker_count"] = worker_list(user=user).count()
        context["intake"] = _intake_summary(user)
        context["agency_count"] = Agency.objects.filter(
            pemda_id=user.pemda_id, is_active=True
        ).count()
        if user.role == Role.VERIFIER:
            context["waiting"] = verification_waiting(user=user)
        template = "home/staff.html"
    return render(request, template, context)


def _intake_summary(user: User) -> dict[str, int]:
    """Submissions the user may see, by state, and rows still rejected in drafts."""
    submissions = submission_list(user=user)
    by_status = dict(submissions.values_list("status").annotate(n=Count("pk")).order_by())
    drafts = submissions.filter(status=SubmissionStatus.DRAFT)
    return {
        "draft": by_status.get(SubmissionStatus.DRAFT, 0),
        "submitted": by_status.get(SubmissionStatus.SUBMITTED, 0),
        "in_verification": by_status.get(SubmissionStatus.IN_VERIFICATION, 0),
        "rejected_in_drafts": drafts.aggregate(n=Sum("rejected"))["n"] or 0,
    }


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for the service manager: the app answers and the database is reachable."""
    Program.objects.exists()
    return JsonResponse({"status": "ok"})
