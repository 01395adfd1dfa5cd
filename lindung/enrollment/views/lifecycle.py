"""Ending an enrolment: a form with the reason and date, confirmed before it is done."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lindung.accounts.access import VERIFIERS, require_roles
from lindung.accounts.models import User
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.bpjs import selectors
from lindung.enrollment.bpjs.forms import EndForm
from lindung.enrollment.lifecycle import CAN_END
from lindung.enrollment.lifecycle import enrolment_end as end_service


@require_roles(*VERIFIERS)
@require_http_methods(["GET", "POST"])
def enrolment_end(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - require_roles ran first
    enrolment = selectors.enrolment_get(user=user, pk=pk)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    can_end = enrolment.status in CAN_END
    form = EndForm(request.POST or None)
    if request.method == "POST" and can_end and form.is_valid():
        try:
            end_service(
                actor=user,
                enrolment=enrolment,
                reason=form.cleaned_data["reason"],
                date=form.cleaned_data["date"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Kepesertaan %(name)s diakhiri.") % {"name": enrolment.worker.name}
            )
            return redirect(back or request.path)
    context = {"enrolment": enrolment, "form": form, "can_end": can_end, "next": back}
    return render(request, "enrollment/enrolment_end.html", context)
