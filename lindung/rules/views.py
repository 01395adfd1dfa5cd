from __future__ import annotations

from itertools import groupby

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lindung.accounts.access import PEMDA_WIDE, require_roles
from lindung.accounts.models import Role, User
from lindung.common.errors_domain import ServiceError
from lindung.domain.rulebook import RuleError
from lindung.rules import selectors, services
from lindung.rules.forms import RuleVersionForm
from lindung.rules.models import RuleKind
from lindung.rules.presentation import rule_lines


@require_roles(*PEMDA_WIDE)
def rule_list(request: HttpRequest) -> HttpResponse:
    versions = list(selectors.rule_version_list(user=request.user))
    for version in versions:
        version.lines = rule_lines(version.payload)  # type: ignore[attr-defined]
    groups = [
        {"kind": RuleKind(kind), "versions": list(items)}
        for kind, items in groupby(versions, key=lambda v: v.kind)
    ]
    return render(
        request,
        "rules/rule_list.html",
        {
            "groups": groups,
            "can_manage": request.user.role == Role.ADMIN,  # type: ignore[union-attr]
        },
    )


@require_roles(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def rule_version_add(request: HttpRequest, kind: str) -> HttpResponseBase:
    if kind not in RuleKind.values:
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    rulebook = selectors.rulebook_for(pemda_id=user.pemda_id)
    today = timezone.localdate()
    try:
        template = {
            RuleKind.CONTRIBUTION: lambda: rulebook.contribution_for(today),
            RuleKind.RELIEF: lambda: rulebook.reliefs[-1],
            RuleKind.BENEFIT: lambda: rulebook.benefits_for(today),
        }[RuleKind(kind)]()
    except (LookupError, IndexError, RuleError) as exc:
        raise Http404 from exc
    form = RuleVersionForm(request.POST or None, template=template)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_version_add(
                actor=user, pemda=user.pemda, kind=kind, payload=form.payload()
            )
            messages.success(request, _("Versi baru tersimpan dan berlaku sesuai tanggalnya."))
            return redirect("rules:list")
        except (ServiceError, forms.ValidationError) as exc:
            form.add_error(None, getattr(exc, "message", str(exc)))
    return render(
        request,
        "rules/rule_form.html",
        {"form": form, "kind": RuleKind(kind), "template": template},
    )
