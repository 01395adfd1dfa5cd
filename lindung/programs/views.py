from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindung.accounts.access import PEMDA_WIDE, get_scoped_or_404, require_roles
from lindung.accounts.models import Role, User
from lindung.common.errors_domain import ServiceError
from lindung.programs import selectors, services
from lindung.programs.forms import FundingSourceForm, OccupationForm, ProgramForm, QuotaForm

ALL_STAFF = (*PEMDA_WIDE, Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR)


@require_roles(*ALL_STAFF)
def program_list(request: HttpRequest) -> HttpResponse:
    programs = selectors.program_list(user=request.user)
    return render(request, "programs/program_list.html", {"programs": programs})


@require_roles(*ALL_STAFF)
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    program = selectors.program_get(user=user, pk=pk)
    context = {
        "program": program,
        "quotas": selectors.program_quotas(program=program, user=user),
        "occupations": program.occupations.all(),
        "can_manage": user.role == Role.ADMIN,
    }
    if not user.is_agency_scoped:
        context["budget"] = selectors.program_budget_summary(program=program)
        context["funding_sources"] = selectors.program_funding_sources(program=program)
    if user.role == Role.ADMIN:
        context["funding_form"] = FundingSourceForm(pemda=user.pemda)
        context["quota_form"] = QuotaForm(pemda=user.pemda)
    return render(request, "programs/program_detail.html", context)


@require_roles(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def program_form(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    program = selectors.program_get(user=user, pk=pk) if pk else None
    form = ProgramForm(request.POST or None, instance=program, pemda=user.pemda)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        occupations = list(fields.pop("occupations"))
        try:
            if program is None:
                program = services.program_create(
                    actor=user, pemda=user.pemda, occupations=occupations, **fields
                )
                messages.success(request, _("Program dibuat. Lengkapi sumber dana dan kuota."))
            else:
                program = services.program_update(
                    actor=user,
                    program=program,
                    version=form.cleaned_data["version"] or 0,
                    occupations=occupations,
                    **fields,
                )
                messages.success(request, _("Perubahan program tersimpan."))
            return redirect("programs:detail", pk=program.pk)
        except ServiceError as exc:
            form.add_error(None, exc.message)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


@require_roles(Role.ADMIN)
@require_POST
def funding_source_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    program = selectors.program_get(user=user, pk=pk)
    form = FundingSourceForm(request.POST, pemda=user.pemda)
    if form.is_valid():
        try:
            services.funding_source_add(actor=user, program=program, **form.cleaned_data)
            messages.success(request, _("Sumber dana ditambahkan."))
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(
            request, _("Sumber dana belum tersimpan: %(errors)s") % {"errors": _form_errors(form)}
        )
    return redirect("programs:detail", pk=program.pk)


@require_roles(Role.ADMIN)
@require_POST
def funding_source_remove(request: HttpRequest, pk: int, source_pk: int) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    program = selectors.program_get(user=user, pk=pk)
    source = get_scoped_or_404(selectors.program_funding_sources(program=program), pk=source_pk)
    services.funding_source_remove(actor=user, source=source)
    messages.success(request, _("Sumber dana dihapus."))
    return redirect("programs:detail", pk=program.pk)


@require_roles(Role.ADMIN)
@require_POST
def quota_set(request: HttpRequest, pk: int) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    program = selectors.program_get(user=user, pk=pk)
    form = QuotaForm(request.POST, pemda=user.pemda)
    if form.is_valid():
        try:
            services.quota_set(
                actor=user,
                program=program,
                quota=form.cleaned_data["quota"],
                agency=form.cleaned_data["agency"],
                region=form.cleaned_data["region"],
            )
            messages.success(request, _("Kuota tersimpan."))
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(
            request, _("Kuota belum tersimpan: %(errors)s") % {"errors": _form_errors(form)}
        )
    return redirect("programs:detail", pk=program.pk)


@require_roles(Role.ADMIN)
@require_POST
def quota_remove(request: HttpRequest, pk: int, quota_pk: int) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    program = selectors.program_get(user=user, pk=pk)
    quota = get_scoped_or_404(selectors.program_quotas(program=program, user=user), pk=quota_pk)
    services.quota_remove(actor=user, quota=quota)
    messages.success(request, _("Kuota dihapus."))
    return redirect("programs:detail", pk=program.pk)


def _form_errors(form: object) -> str:
    errors = getattr(form, "errors", {})
    return "; ".join(str(message) for messages_ in errors.values() for message in messages_)


@require_roles(*PEMDA_WIDE)
def occupation_list(request: HttpRequest) -> HttpResponse:
    occupations = selectors.occupation_list(user=request.user)
    return render(request, "programs/occupation_list.html", {"occupations": occupations})


@require_roles(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def occupation_form(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    occupation = selectors.occupation_get(user=user, pk=pk) if pk else None
    form = OccupationForm(request.POST or None, instance=occupation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            if occupation is None:
                services.occupation_create(actor=user, pemda=user.pemda, **data)
                messages.success(request, _("Jenis pekerjaan ditambahkan."))
            else:
                services.occupation_update(
                    actor=user, occupation=occupation, version=version, **data
                )
                messages.success(request, _("Perubahan jenis pekerjaan tersimpan."))
            return redirect("programs:occupation_list")
        except ServiceError as exc:
            form.add_error(None, exc.message)
    return render(
        request, "programs/occupation_form.html", {"form": form, "occupation": occupation}
    )
