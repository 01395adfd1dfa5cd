"""Pages of the second factor and the lockout (issue 15 point 1): the code after the
password, the enrolment with its QR code, the lockout page, and the admin's unlock and reset."""

from __future__ import annotations

from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from lindung.accounts import security, selectors
from lindung.accounts.access import require_roles
from lindung.accounts.forms import CodeForm
from lindung.accounts.models import Role, User


@login_not_required
def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): the same page whether or not the
    name typed is an account, so it tells nothing about which accounts exist."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": security.cooloff_minutes(), "failures": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponseBase:
    """The second step of the login: a code from the authenticator app or a recovery code."""
    user: User = request.user  # type: ignore[assignment]
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = security.second_factor_check(user=user, token=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _("Kode salah atau sudah kedaluwarsa. Tunggu sebentar lalu coba kode yang baru."),
        )
    return render(request, "accounts/login_code.html", {"form": form, "next": _next_url(request)})


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponseBase:
    """Enrolment: scan the QR code (or type the secret) into an authenticator app, confirm
    with a code; the recovery codes are shown once on the answer page."""
    user: User = request.user  # type: ignore[assignment]
    if security.has_second_factor(user):
        if not user.is_verified():  # type: ignore[attr-defined]
            return redirect("accounts:login_code")
        return render(request, "accounts/mfa_setup.html", {"active": True})
    device = security.totp_pending(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = security.mfa_enrol(user=user, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            django_otp.login(request, device)
            return render(request, "accounts/mfa_codes.html", {"codes": codes})
        form.add_error("code", _("Kode tidak cocok. Periksa jam ponsel lalu coba kode baru."))
    qr = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(qr.to_string(encoding="unicode")),  # noqa: S308 - our own SVG
            "secret": security.secret_text(device),
            "required": settings.LINDUNG_MFA_REQUIRED,
        },
    )


@require_POST
@require_roles(Role.ADMIN)
def user_unlock(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor: User = request.user  # type: ignore[assignment]
    target = selectors.user_get(user=actor, pk=pk)
    security.user_unlock(actor=actor, user=target)
    messages.success(request, _("Kunci akun %(name)s dibuka.") % {"name": target.username})
    return redirect("accounts:user_edit", pk=target.pk)


@require_POST
@require_roles(Role.ADMIN)
def user_mfa_reset(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor: User = request.user  # type: ignore[assignment]
    target = selectors.user_get(user=actor, pk=pk)
    security.user_mfa_reset(actor=actor, user=target)
    messages.success(
        request,
        _("Verifikasi dua langkah %(name)s direset. Ia mendaftar ulang saat masuk berikutnya.")
        % {"name": target.username},
    )
    return redirect("accounts:user_edit", pk=target.pk)


def on_locked_out(sender: Any, request: HttpRequest, username: str | None, **kwargs: Any) -> None:
    """django-axes' user_locked_out signal: audit the moment of the lockout, once (later
    attempts during it only extend it and are audited as failed logins)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures == settings.AXES_FAILURE_LIMIT:
        security.login_locked_recorded(username=username or "", failures=failures)
