"""The Pemda's matching thresholds."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lindung.accounts.access import request_user, require_roles
from lindung.accounts.models import Role
from lindung.common.errors_domain import ServiceError
from lindung.verification import services
from lindung.verification.forms import PolicyForm
from lindung.verification.models import MatchPolicy
from lindung.verification.verify import match_settings


@require_roles(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponseBase:
    user = request_user(request)
    assert user.pemda is not None  # noqa: S101 - require_roles refuses users with no Pemda
    current = match_settings(user.pemda.pk)
    initial = {
        "link_accept": current.link_accept,
        "link_review": current.link_review,
        "duplicate_accept": current.duplicate_accept,
        "duplicate_review": current.duplicate_review,
        "learn_weights": current.learn_weights,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=user, pemda=user.pemda, **form.cleaned_data)
            messages.success(
                request, _("Ambang pencocokan tersimpan; berlaku mulai verifikasi berikutnya.")
            )
            return redirect("verification:policy")
        except ServiceError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "verification/policy.html",
        {
            "form": form,
            "saved": MatchPolicy.objects.filter(pemda=user.pemda)
            .select_related("updated_by")
            .first(),
        },
    )
