"""Data-subject rights for the admin (`/privasi/`): the subject-access report by NIK (POST,
never in the address) on the page, as PDF or xlsx; restricting a person's processing and
lifting it. Every page holding personal data is sent with `Cache-Control: no-store`."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lindung.accounts.access import get_scoped_or_404, request_user, require_roles, scope_to_pemda
from lindung.accounts.models import Role
from lindung.common.errors_domain import ServiceError
from lindung.privacy.documents import subject_report_make
from lindung.privacy.forms import LiftForm, RestrictForm, SubjectForm
from lindung.workers.models import Restriction
from lindung.workers.restrictions import restriction_lift, restriction_list, restriction_place


def _index(
    request: HttpRequest,
    subject_form: SubjectForm | None = None,
    restrict_form: RestrictForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    context = {
        "subject_form": subject_form or SubjectForm(),
        "restrict_form": restrict_form or RestrictForm(),
        "restrictions": restriction_list(user=user)[:200],
        "lift_form": LiftForm(),
    }
    return render(request, "privacy/index.html", context, status=status)


@never_cache
@require_roles(Role.ADMIN)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


@never_cache
@require_roles(Role.ADMIN)
@require_POST
def report(request: HttpRequest) -> HttpResponseBase:
    form = SubjectForm(request.POST)
    if not form.is_valid():
        return _index(request, subject_form=form)
    fmt = form.cleaned_data["format"]
    try:
        result, document = subject_report_make(
            actor=request_user(request), nik=form.cleaned_data["nik"], fmt=fmt
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:index")
    if document is not None:
        response = HttpResponse(document.content, content_type=document.content_type)
        response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
        return response
    formats = [("pdf", _("Unduh PDF")), ("xlsx", _("Unduh xlsx"))]
    return render(request, "privacy/report.html", {"report": result, "formats": formats})


@never_cache
@require_roles(Role.ADMIN)
@require_POST
def restrict(request: HttpRequest) -> HttpResponseBase:
    form = RestrictForm(request.POST)
    if not form.is_valid():
        return _index(request, restrict_form=form)
    try:
        restriction_place(
            actor=request_user(request),
            nik=form.cleaned_data["nik"],
            reason=form.cleaned_data["reason"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Pemrosesan data orang ini dibatasi: tidak dialokasikan, tidak diperpanjang dan "
              "tidak dikirim ke BPJS sampai pembatasan dicabut."),
        )  # fmt: skip
    return redirect("privacy:index")


@never_cache
@require_roles(Role.ADMIN)
@require_POST
def lift(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    restriction = get_scoped_or_404(scope_to_pemda(Restriction.objects.all(), user), pk=pk)
    form = LiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan pencabutan pembatasan."))
        return redirect("privacy:index")
    try:
        restriction_lift(actor=user, restriction=restriction, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pembatasan dicabut; data orang ini diproses kembali."))
    return redirect("privacy:index")
