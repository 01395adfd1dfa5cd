"""Walk-in workers typed in one by one, checked live as the operator types."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindung.accounts.access import request_user, require_roles
from lindung.accounts.models import Agency, User
from lindung.common.errors_domain import ServiceError
from lindung.common.params import positive_id
from lindung.intake import services
from lindung.intake.forms import RowForm, UploadForm
from lindung.intake.models import RowOutcome
from lindung.intake.views.base import SUBMITTERS


@require_roles(*SUBMITTERS)
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest) -> HttpResponseBase:
    """Walk-in workers typed in one by one, checked live as the operator types. An entry that
    would be rejected stays in the form with its reasons; the operator fixes it, or saves it
    as rejected on purpose (never a second row of a NIK already in the batch)."""
    user = request_user(request)
    upload_form = UploadForm(user=user)
    programs = upload_form.fields["program"].queryset
    chosen = request.POST.get("program") or request.GET.get("program") or ""
    program = _open_program(programs, chosen) if chosen else programs.first()
    form = RowForm(request.POST or None)
    refused: services.EntryRejected | None = None
    if request.method == "POST" and form.is_valid() and program is not None:
        try:
            agency = services.agency_for_upload(user=user, agency=_agency_choice(request, user))
            row = services.entry_add(
                actor=user,
                program=program,
                agency=agency,
                values=form.cleaned_data,
                keep_rejected=request.POST.get("keep_rejected") == "1",
            )
            if row.outcome == RowOutcome.REJECTED:
                messages.warning(
                    request,
                    _("%(name)s tersimpan sebagai ditolak; perbaiki nanti di usulan #%(n)s: %(r)s")
                    % {"name": row.name or row.nik, "n": row.submission_id, "r": row.reasons},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s tersimpan di usulan #%(n)s.")
                    % {"name": row.name, "n": row.submission_id},
                )
            return redirect(f"{reverse('intake:entry')}?program={program.pk}")
        except services.EntryRejected as exc:
            refused = exc
        except ServiceError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "intake/entry.html",
        {
            "form": form,
            "programs": programs,
            "program": program,
            "agencies": None if user.is_agency_scoped else upload_form.fields["agency"].queryset,
            "chosen_agency": request.POST.get("agency", ""),
            "refused": refused,
            "result": refused.result if refused else None,
        },
    )


def _agency_choice(request: HttpRequest, user: User) -> Agency | None:
    pk = positive_id(request.POST.get("agency"))
    return Agency.objects.filter(pk=pk, pemda_id=user.pemda_id).first() if pk else None


def _open_program(programs: Any, raw: str) -> Any:
    """The chosen open program, or None for anything else typed into the parameter."""
    pk = positive_id(raw)
    return programs.filter(pk=pk).first() if pk else None


@require_roles(*SUBMITTERS)
@require_POST
def entry_check(request: HttpRequest) -> HttpResponse:
    """The live check: what the row would get if saved now."""
    user = request_user(request)
    form = RowForm(request.POST)
    form.is_valid()
    upload_form = UploadForm(user=user)
    program = _open_program(upload_form.fields["program"].queryset, request.POST.get("program", ""))
    result = None
    if program is not None:
        try:
            agency: Agency | None = services.agency_for_upload(
                user=user, agency=_agency_choice(request, user)
            )
        except ServiceError:
            agency = None  # an admin who has not chosen the agency yet
        result = services.entry_check(program=program, agency=agency, values=form.cleaned_data)
    return render(request, "intake/entry.html#check", {"result": result})
