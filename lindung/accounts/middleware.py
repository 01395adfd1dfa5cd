from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "lindung_session_started"


class SessionLifetimeMiddleware:
    """Ends a session SESSION_ABSOLUTE_SECONDS after login, however active (ASVS 7.3.2).

    The idle timeout is the session cookie age itself, renewed on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Sesi Anda berakhir. Silakan masuk kembali."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


# Pages a signed-in user still owing the second factor may reach.
SECOND_FACTOR_OPEN = frozenset({"accounts:login_code", "accounts:logout"})
ENROLMENT_OPEN = frozenset({"accounts:mfa_setup", "accounts:logout"})
NO_FACTOR_KEY = "lindung_no_second_factor"


class SecondFactorMiddleware:
    """After the password, nothing but the code page until the second factor is given.

    A user with a confirmed TOTP device always owes the code. With LINDUNG_MFA_REQUIRED,
    a user without one reaches only the enrolment page. Without it (development, tests),
    a user without a device is let through; that is checked once per session, at login
    (`note_second_factor`) or on the first request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], *args: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        if user.is_verified():  # type: ignore[union-attr]
            return None
        required = settings.LINDUNG_MFA_REQUIRED
        if not required and request.session.get(NO_FACTOR_KEY) == user.pk:
            return None
        from lindung.accounts.security import has_second_factor

        name = request.resolver_match.view_name if request.resolver_match else ""
        if has_second_factor(user):  # type: ignore[arg-type]
            request.session.pop(NO_FACTOR_KEY, None)
            if name in SECOND_FACTOR_OPEN:
                return None
            return redirect(_with_next("accounts:login_code", request))
        if not required:
            request.session[NO_FACTOR_KEY] = user.pk
            return None
        if name in ENROLMENT_OPEN:
            return None
        return redirect(_with_next("accounts:mfa_setup", request))


def _with_next(url_name: str, request: HttpRequest) -> str:
    path = request.get_full_path() if request.method == "GET" else "/"
    return f"{reverse(url_name)}?{urlencode({'next': path})}"


def note_second_factor(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """user_logged_in: remember in the session that this user has no second factor, so the
    middleware need not look for a device on every request while MFA is not required."""
    if settings.LINDUNG_MFA_REQUIRED or request is None or not hasattr(request, "session"):
        return
    from lindung.accounts.security import has_second_factor

    if not has_second_factor(user):
        request.session[NO_FACTOR_KEY] = user.pk
