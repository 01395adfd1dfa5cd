"""The lockout's two wider rules beside django-axes' own (one account at one address,
LOCKOUT_FAILURES in LOCKOUT_MINUTES; issue 15 point 1, "per account and per address"):

- an **address** that failed LOCKOUT_ADDRESS_FAILURES times over any accounts in the
  cool-off is refused for every account (one machine trying many names);
- an **account** that failed LOCKOUT_ACCOUNT_FAILURES times over any addresses is refused
  from every address (many machines trying one name).

Both limits are well above the pair's, so one office behind one public address is not locked
out by a colleague's typos. Counted from axes' own attempt rows, refused like axes' lockout
(the Indonesian lockout page) and, as every refused login, audited as a failed login."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from lindung.audit.middleware import client_ip


def _failures(**match: str) -> int:
    since = timezone.now() - timedelta(seconds=settings.AXES_COOLOFF_TIME.total_seconds())
    total = AccessAttempt.objects.filter(attempt_time__gte=since, **match).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


def flooded(request: HttpRequest, username: str | None) -> bool:
    """Whether the request's address or the account typed is past its wider limit."""
    address = client_ip(request)
    if address and _failures(ip_address=address) >= settings.LOCKOUT_ADDRESS_FAILURES:
        return True
    name = (username or "")[:150]
    return bool(name) and _failures(username=name) >= settings.LOCKOUT_ACCOUNT_FAILURES


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes ships no types
    """axes' backend (the pair rule) and the two wider rules; first in the backends."""

    def authenticate(
        self,
        request: HttpRequest,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().authenticate(request, username=username, password=password, **kwargs)
        enabled = getattr(settings, "AXES_ENABLED", True)
        if enabled and request is not None and flooded(request, username):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied("address or account past its wider limit")
