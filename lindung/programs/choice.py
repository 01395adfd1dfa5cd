"""Which program a page is about: the one named in the request, else the user's current one."""

from __future__ import annotations

from django.http import HttpRequest

from lindung.accounts.models import User
from lindung.common.params import positive_id
from lindung.programs.models import Program
from lindung.programs.selectors import program_current, program_get


def program_chosen(request: HttpRequest, user: User) -> Program | None:
    """The program in ?program= (or the form's `program`), scoped to the user (404 outside);
    else the one the user works on (`program_current`); None when there is none."""
    pk = positive_id(request.GET.get("program") or request.POST.get("program"))
    if pk is not None:
        return program_get(user=user, pk=pk)
    return program_current(user=user)
