"""Requests no page can read, refused before any view: a NUL character in the path, the query
string or a form field. No one types one; PostgreSQL refuses it in text (a 500), SQLite would
store it. Answered 400 with the Indonesian page (issue 15, point 9)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lindung.common.views import bad_request

NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    parts = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        parts.append(request.POST)
    return any(NUL in value for part in parts for values in part.lists() for value in values[1])


class NulRefusedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return bad_request(request)
        return self.get_response(request)
