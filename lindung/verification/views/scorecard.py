"""The data-quality scorecard, for verifiers, leaders and the agencies' own operators."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lindung.accounts.access import request_user, require_roles
from lindung.accounts.models import User
from lindung.common.params import positive_id
from lindung.programs.models import Program
from lindung.programs.selectors import program_current, program_list
from lindung.verification.scorecard import scorecard as scorecard_of
from lindung.verification.views.common import SCORECARD_READERS


def _program_choice(request: HttpRequest, user: User) -> Program | None:
    programs = program_list(user=user)
    pk = positive_id(request.GET.get("program"))
    if pk is not None:
        chosen = programs.filter(pk=pk).first()
        if chosen is not None:
            return chosen
    return program_current(user=user)


@require_roles(*SCORECARD_READERS)
def scorecard(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    program = _program_choice(request, user)
    card = scorecard_of(user=user, program=program) if program is not None else None
    return render(
        request,
        "verification/scorecard.html",
        {
            "program": program,
            "programs": program_list(user=user).order_by("-year", "name"),
            "scorecard": card,
        },
    )
