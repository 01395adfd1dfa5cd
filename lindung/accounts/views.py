from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from lindung.accounts import selectors, services
from lindung.accounts.access import PEMDA_WIDE, require_roles
from lindung.accounts.forms import AgencyForm, UserForm
from lindung.accounts.models import Role, User
from lindung.accounts.security import has_second_factor, user_is_locked
from lindung.audit.presentation import ACTION_PHRASES, change_lines, event_summary
from lindung.audit.selectors import audit_events_for_user
from lindung.common.errors_domain import ServiceError


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.login_recorded(user=form.get_user())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        if _missing_credentials(form):
            # Nothing was tried: ask for what is missing instead of calling it wrong.
            return self.render_to_response(
                self.get_context_data(form=form, missing=_missing_credentials(form))
            )
        services.login_failed_recorded(username=form.data.get("username") or "")
        return super().form_invalid(form)


def _missing_credentials(form: Any) -> str:
    """What the login form was sent without, in words; empty when both were filled in."""
    username = (form.data.get("username") or "").strip()
    password = form.data.get("password") or ""
    if not username and not password:
        return _("Isi nama pengguna dan kata sandi.")
    if not username:
        return _("Isi nama pengguna.")
    if not password:
        return _("Isi kata sandi.")
    return ""


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            services.logout_recorded(user=request.user)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed_recorded(user=self.request.user)
        messages.success(self.request, _("Kata sandi berhasil diganti."))
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        services.password_reset_requested(email=form.cleaned_data["email"])
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_reset_recorded(user=form.user)
        messages.success(self.request, _("Kata sandi baru tersimpan. Silakan masuk."))
        return response


# --- Agencies -------------------------------------------------------------------------


@require_roles(*PEMDA_WIDE, Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR)
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = selectors.agency_list(user=request.user)
    return render(request, "accounts/agency_list.html", {"agencies": agencies})


@require_roles(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def agency_form(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    agency = selectors.agency_get(user=user, pk=pk) if pk else None
    form = AgencyForm(request.POST or None, instance=agency, pemda=user.pemda)
    if request.method == "POST" and form.is_valid():
        try:
            if agency is None:
                services.agency_create(actor=user, pemda=user.pemda, **form.service_fields())
                messages.success(request, _("Instansi ditambahkan."))
            else:
                services.agency_update(
                    actor=user,
                    agency=agency,
                    version=form.cleaned_data["version"] or 0,
                    **form.service_fields(),
                )
                messages.success(request, _("Perubahan instansi tersimpan."))
            return redirect("accounts:agency_list")
        except ServiceError as exc:
            form.add_error(None, exc.message)
    return render(request, "accounts/agency_form.html", {"form": form, "agency": agency})


# --- Users ----------------------------------------------------------------------------


@require_roles(Role.ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.user_list(user=request.user), 50).get_page(request.GET.get("hal"))
    return render(request, "accounts/user_list.html", {"page": page, "users": page.object_list})


@sensitive_post_parameters("password")
@require_roles(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def user_form(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    actor: User = request.user  # type: ignore[assignment]
    target = selectors.user_get(user=actor, pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=target, pemda=actor.pemda)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if target is None:
                services.user_create(actor=actor, pemda=actor.pemda, **data)
                messages.success(request, _("Pengguna ditambahkan."))
            else:
                data.pop("username", None)
                if target.pk == actor.pk and (
                    data.get("role") != Role.ADMIN or not data.get("is_active")
                ):
                    raise ServiceError(_("Anda tidak dapat mencabut peran admin Anda sendiri."))
                services.user_update(actor=actor, user=target, **data)
                messages.success(request, _("Perubahan pengguna tersimpan."))
            return redirect("accounts:user_list")
        except ServiceError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:  # a password rule from validate_password
            form.add_error("password", exc)
    security_state = (
        {"locked": user_is_locked(user=target), "has_mfa": has_second_factor(target)}
        if target is not None
        else {}
    )
    return render(
        request, "accounts/user_form.html", {"form": form, "target": target, **security_state}
    )


# --- Audit log ------------------------------------------------------------------------


@require_roles(Role.ADMIN)
def audit_list(request: HttpRequest) -> HttpResponse:
    events = audit_events_for_user(user=request.user)
    action = request.GET.get("aksi", "").strip()[:80]
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("hal"))
    for event in page.object_list:
        event.summary = event_summary(event.action, event.changes or {})
        event.lines = change_lines(event.action, event.changes or {})
    return render(
        request,
        "audit/audit_list.html",
        {
            "page": page,
            "events": page.object_list,
            "action": action,
            "actions": sorted(
                ((code, str(phrase)) for code, phrase in ACTION_PHRASES.items()),
                key=lambda item: item[1],
            ),
        },
    )
