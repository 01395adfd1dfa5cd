from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from lindung.audit.context import RequestContext, bound, new_request_id
from lindung.audit.services import audit_record
from lindung.domain.nik import mask_nik_runs

DENIED_STATUSES = frozenset({403, 404})


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind a reverse proxy set LINDUNG_TRUSTED_PROXY_COUNT so the
    right X-Forwarded-For hop is used; otherwise the header is ignored (it can be forged)."""
    hops = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if hops and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= hops:
            return parts[-hops]
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


class RequestContextMiddleware:
    """Give every request an id (echoed as X-Request-ID) for the audit log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ctx = RequestContext(request_id=new_request_id(), ip_address=client_ip(request))
        request.request_id = ctx.request_id  # type: ignore[attr-defined]
        with bound(ctx):
            response = self.get_response(request)
            if response.status_code in DENIED_STATUSES:
                audit_denied(request, response.status_code)
        response["X-Request-ID"] = ctx.request_id
        return response


def audit_denied(request: HttpRequest, status: int) -> None:
    """A signed-in user refused an object URL (403, or 404 from the scope rule): one audit
    row with who, the path (never the query string, NIK-shaped runs masked) and the status.
    Unresolved paths (typos, scanners) and anonymous requests are not recorded."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if not getattr(user, "is_authenticated", False) or match is None or not match.kwargs:
        return
    audit_record(
        actor=user,
        action="access.denied",
        changes={"path": mask_nik_runs(request.path)[:300], "status": status},
        label=f"{status} {match.view_name}"[:200],
    )
