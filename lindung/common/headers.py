"""`Cache-Control: no-store` on every page and download Lindung answers (issue 15, point 4;
ASVS 14.3.2): they carry personal data or a session, and no browser or proxy cache may keep
them. Static files never reach this middleware (whitenoise answers them first), so they keep
their long caching."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True)
        return response
