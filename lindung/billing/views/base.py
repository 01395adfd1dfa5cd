from __future__ import annotations

from django.http import HttpRequest

from lindung.accounts.models import User
from lindung.common.params import positive_id
from lindung.programs.models import Program
from lindung.programs.selectors import program_current, program_get


def request_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - require_roles ran first
    return user


def chosen_program(request: HttpRequest, user: User) -> Program | None:
    """The program in ?program= (or the form's), else the one the user works on."""
    pk = request.GET.get("program") or request.POST.get("program")
    if (chosen := positive_id(pk)) is not None:
        return program_get(user=user, pk=chosen)
    return program_current(user=user)
