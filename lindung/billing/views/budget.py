"""The budget page (realisation per funding source, burn-down chart and table, revisions),
the arrears list, and the money reports' downloads."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lindung.accounts.access import get_scoped_or_404, request_user, require_roles, scope_to_pemda
from lindung.billing import budget as budget_service
from lindung.billing import paidup, reports
from lindung.common.errors_domain import ServiceError
from lindung.common.params import whole_number
from lindung.programs.choice import program_chosen
from lindung.programs.models import FundingSource
from lindung.programs.selectors import program_list

PER_PAGE = 25


def _month(raw: str) -> dt.date | None:
    """A `YYYY-MM` query value as the first of that month (None when it is not one)."""
    try:
        return dt.date.fromisoformat(f"{raw}-01") if len(raw) == 7 else None
    except ValueError:
        return None


def _as_of(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("tanggal", ""))
    except ValueError:
        return timezone.localdate()


class RevisionForm(forms.Form):
    amount = forms.CharField(label=gettext_lazy("Pagu baru (Rp)"), max_length=24)
    effective_on = forms.DateField(
        label=gettext_lazy("Berlaku sejak"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=gettext_lazy("Dasar perubahan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Mis. Perda APBD-Perubahan 2025 Nomor …"),
    )

    def clean_amount(self) -> int:
        text = re.sub(r"[\s.]|^Rp", "", self.cleaned_data["amount"].strip(), flags=re.I)
        amount = whole_number(text, maximum=10**15)
        if amount is None:
            raise forms.ValidationError(_("Tulis pagu dalam rupiah, mis. 1.700.000.000."))
        return amount


@require_roles(*budget_service.BUDGET_READERS)
def budget_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    program = program_chosen(request, user)
    context: dict[str, object] = {"program": program, "programs": program_list(user=user)}
    if program is not None:
        try:
            budget = budget_service.budget_of(program, timezone.localdate())
        except ServiceError as exc:
            messages.error(request, exc.message)
            budget = None
        revisions = budget_service.budget_revisions(user=user, program=program)
        context.update(
            budget=budget,
            chart=budget_service.budget_chart(budget) if budget else None,
            revisions=Paginator(revisions, PER_PAGE).get_page(request.GET.get("hal")),
            may_revise=user.has_role(*budget_service.BUDGET_REVISERS),
            rows=[
                (s, RevisionForm(auto_id=f"pagu{s.source.pk}_%s"))
                for s in (budget.sources if budget else [])
            ],
            recap_months=reports.recap_months(program),
        )
    return render(request, "billing/budget.html", context)


@require_roles(*budget_service.BUDGET_REVISERS)
@require_POST
def budget_revise(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    source = get_scoped_or_404(
        scope_to_pemda(FundingSource.objects.select_related("program"), user), pk=pk
    )
    back = f"{reverse('billing:budget')}?program={source.program_id}"
    form = RevisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect(back)
    try:
        budget_service.budget_revise(
            actor=user,
            funding_source=source,
            amount=form.cleaned_data["amount"],
            effective_on=form.cleaned_data["effective_on"],
            note=form.cleaned_data["note"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(
        request, _("Pagu %(source)s diubah; pagu lama disimpan di riwayat.") % {"source": source}
    )
    return redirect(back)


@require_roles(*reports.ARREARS_READERS)
def arrears_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    program = program_chosen(request, user)
    as_of = _as_of(request)
    context: dict[str, object] = {"program": program, "as_of": as_of}
    if program is not None:
        try:
            context["arrears"] = paidup.arrears_of(program, as_of)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(request, "billing/arrears.html", context)


@require_roles(*reports.ARREARS_READERS)
def report_download(request: HttpRequest, kind: str) -> HttpResponseBase:
    user = request_user(request)
    program = program_chosen(request, user)
    if program is None:
        messages.error(request, _("Belum ada program."))
        return redirect("home")
    month = _month(request.GET.get("bulan", ""))
    if month is None and kind != "arrears_xlsx":
        months = reports.recap_months(program)
        month = months[0] if months else None
    try:
        document = reports.report_download(
            actor=user, program=program, kind=kind, month=month, as_of=_as_of(request)
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        target = "billing:budget"
        if kind == "arrears_xlsx" or not user.has_role(*budget_service.BUDGET_READERS):
            target = "billing:arrears"
        return redirect(f"{reverse(target)}?program={program.pk}")
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response
