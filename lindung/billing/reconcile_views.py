"""Reconciliation pages (/iuran/rekonsiliasi/): upload BPJS's bill for a month, the months
reconciled with their counts and totals, and a comparison's lines by outcome with each
difference's resolution (htmx inline, a plain form without JavaScript)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from lindung.accounts.access import request_user, require_roles
from lindung.accounts.models import Role, User
from lindung.billing import reconcile_selectors as reads
from lindung.billing.models import BpjsBillLine, ReconcileOutcome, Resolution
from lindung.billing.reconciliation import (
    RECONCILERS,
    RESOLUTION_NEEDS_DIFFERENCE,
    bpjs_bill_reconcile,
    reconcile_line_resolve,
)
from lindung.common.errors_domain import ServiceError
from lindung.domain.allocation import add_months
from lindung.programs.choice import program_chosen
from lindung.programs.models import Program

VIEWERS = (*RECONCILERS, Role.LEADER)
LINES_PER_PAGE = 50
MONTHS_PER_PAGE = 24


class ReconcileForm(forms.Form):
    month = forms.ChoiceField(label=_("Bulan iuran"))
    file = forms.FileField(
        label=_("File tagihan BPJS"),
        help_text=_(
            "xlsx, xls, ods atau csv dari BPJS Ketenagakerjaan, dengan kolom NIK atau KPJ."
        ),
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first = program.start_month.replace(day=1)
        months = [add_months(first, i) for i in range(program.coverage_months)]
        self.fields["month"].choices = [(m.isoformat(), f"{m:%m-%Y}") for m in months]
        latest = reads.bill_latest_month(program=program)
        if latest is not None:
            self.fields["month"].initial = latest.isoformat()


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(label=_("Penyelesaian"), choices=Resolution.choices)
    note = forms.CharField(label=_("Catatan"), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)


def _months(bills: list[Any]) -> list[dict[str, Any]]:
    """Each comparison with its counts in outcome order; older ones of a month marked."""
    seen: set[Any] = set()
    rows = []
    for bill in bills:
        rows.append(
            {
                "bill": bill,
                "counts": [
                    (o.value, o.label, bill.counts.get(o.value, 0)) for o in ReconcileOutcome
                ],
                "superseded": bill.month in seen,
            }
        )
        seen.add(bill.month)
    return rows


@require_roles(*VIEWERS)
def reconcile_index(request: HttpRequest) -> HttpResponseBase:
    """The upload form (Keuangan, Admin) and the months reconciled."""
    user = request_user(request)
    program = program_chosen(request, user)
    context: dict[str, Any] = {"program": program, "can_reconcile": user.has_role(*RECONCILERS)}
    if program is None:
        return render(request, "billing/reconcile_list.html", context)
    form = ReconcileForm(program=program)
    if request.method == "POST":
        if not context["can_reconcile"]:
            return redirect("billing:reconcile")
        form = ReconcileForm(request.POST, request.FILES, program=program)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                bill = bpjs_bill_reconcile(
                    actor=user, program=program,
                    month=dt.date.fromisoformat(form.cleaned_data["month"]),
                    filename=upload.name, upload=upload,
                )  # fmt: skip
            except ServiceError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("Tagihan BPJS direkonsiliasi."))
                return redirect("billing:reconcile_detail", pk=bill.pk)
    page = Paginator(reads.bpjs_bill_list(user=user, program=program), MONTHS_PER_PAGE).get_page(
        request.GET.get("hal")
    )
    context.update(form=form, page=page, months=_months(list(page)))
    return render(request, "billing/reconcile_list.html", context)


def _tabs(bill: Any, current: str) -> list[dict[str, Any]]:
    return [
        {"value": o.value, "label": o.label, "count": bill.counts.get(o.value, 0),
         "current": o.value == current}
        for o in ReconcileOutcome
    ]  # fmt: skip


def _first_tab(bill: Any) -> str:
    for outcome in RESOLUTION_NEEDS_DIFFERENCE:
        if bill.counts.get(outcome):
            return str(outcome)
    return str(ReconcileOutcome.MATCHED)


def _line_context(
    user: User, line: BpjsBillLine, form: ResolveForm | None = None
) -> dict[str, Any]:
    can_resolve = user.has_role(*RECONCILERS) and line.outcome in RESOLUTION_NEEDS_DIFFERENCE
    if can_resolve and form is None:
        form = ResolveForm(
            initial={"resolution": line.resolution or None, "note": line.resolution_note,
                     "version": line.version},
            auto_id=f"id_%s_{line.pk}",
        )  # fmt: skip
    return {"line": line, "form": form if can_resolve else None}


@require_roles(*VIEWERS)
def reconcile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A comparison's lines of one outcome (a tab each), paginated, NIKs masked."""
    user = request_user(request)
    bill = reads.bpjs_bill_get(user=user, pk=pk)
    outcome = request.GET.get("hasil") or _first_tab(bill)
    if outcome not in ReconcileOutcome.values:
        outcome = _first_tab(bill)
    page = Paginator(reads.bpjs_bill_lines(bill=bill, outcome=outcome), LINES_PER_PAGE).get_page(
        request.GET.get("hal")
    )
    return render(
        request,
        "billing/reconcile_detail.html",
        {
            "bill": bill,
            "tabs": _tabs(bill, outcome),
            "outcome": outcome,
            "page": page,
            "lines": [_line_context(user, line) for line in page],
            "superseded": reads.bpjs_bill_superseded(bill=bill),
            "difference": outcome in RESOLUTION_NEEDS_DIFFERENCE,
        },
    )


@require_roles(*RECONCILERS)
@require_POST
def reconcile_resolve(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Record a difference's resolution; htmx gets the line back, a plain form the page."""
    user = request_user(request)
    line = reads.bpjs_bill_line_get(user=user, pk=pk)
    form = ResolveForm(request.POST, auto_id=f"id_%s_{line.pk}")
    error = ""
    if form.is_valid():
        try:
            line = reconcile_line_resolve(
                actor=user, line=line, resolution=form.cleaned_data["resolution"],
                note=form.cleaned_data["note"], version=form.cleaned_data["version"],
            )  # fmt: skip
            form = None
        except ServiceError as exc:
            error = exc.message
    else:
        error = str(_("Pilih penyelesaian dan isi catatannya."))
    if request.htmx:
        context = _line_context(user, line, form)
        context.update(error=error, saved=not error)
        return render(request, "billing/reconcile_detail.html#line", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Penyelesaian dicatat."))
    back = reverse("billing:reconcile_detail", kwargs={"pk": line.bpjs_bill_id})
    return redirect(f"{back}?hasil={line.outcome}")
