from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from lindung.audit.context import RequestContext, bound, new_request_id


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind a reverse proxy set LINDUNG_TRUSTED_PROXY_COUNT so the
    right X-Forwarded-For hop is used; otherwise the header is ignored (it can be forged)."""
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= hops:
            return parts[-hops]
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Give every request an id (echoed as X-Request-ID) for the audit log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ctx = RequestContext(request_id=new_request_id(), ip_address=client_ip(request))
        request.request_id = ctx.request_id  # type: ignore[attr-defined]
        with bound(ctx):
            response = self.get_response(request)
        response["X-Request-ID"] = ctx.request_id
        return response
