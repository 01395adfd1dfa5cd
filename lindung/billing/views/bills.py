"""The bills page: the program's months with their bills per funding source, generating a
month (Keuangan, admin), a bill with its lines, and the bill as PDF or xlsx for BPKAD."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.access import request_user, require_roles
from lindung.billing import selectors
from lindung.billing.documents import XLSX
from lindung.billing.forms import GenerateForm
from lindung.billing.services import bill_export, bill_generate
from lindung.billing.services.bills import BILLERS
from lindung.common.errors_domain import ServiceError
from lindung.programs.choice import program_chosen

LINES_PER_PAGE = 50


@require_roles(*selectors.BILL_READERS)
def bill_index(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    program = program_chosen(request, user)
    context: dict[str, object] = {"program": program}
    if program is not None:
        context.update(
            months=selectors.bill_months(user=user, program=program),
            sources=selectors.program_sources(program=program),
            form=GenerateForm(program=program) if user.has_role(*BILLERS) else None,
        )
    return render(request, "billing/bills.html", context)


@require_roles(*BILLERS)
@require_POST
def bill_generate_view(request: HttpRequest) -> HttpResponseBase:
    user = request_user(request)
    program = program_chosen(request, user)
    if program is None:
        return redirect("billing:bills")
    back = f"{reverse('billing:bills')}?program={program.pk}"
    form = GenerateForm(request.POST, program=program)
    if not form.is_valid():
        messages.error(request, _("Pilih bulan program yang akan ditagihkan."))
        return redirect(back)
    try:
        run = bill_generate(actor=user, program=program, month=form.chosen_month())
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(
        request,
        _("Tagihan %(month)s dibuat: %(n)s peserta, Rp %(total)s.")
        % {
            "month": f"{run.month:%m-%Y}",
            "n": f"{run.participants:,}".replace(",", "."),
            "total": f"{run.total:,}".replace(",", "."),
        },
    )
    if run.unfunded:
        messages.warning(
            request,
            _("%(n)s peserta tanpa sumber dana tidak ditagihkan.") % {"n": run.unfunded},
        )
    return redirect(back)


@require_roles(*selectors.BILL_READERS)
def bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    bill = selectors.bill_get(user=user, pk=pk)
    page = Paginator(selectors.bill_lines(bill=bill), LINES_PER_PAGE).get_page(
        request.GET.get("hal")
    )
    return render(
        request,
        "billing/bill_detail.html",
        {
            "bill": bill,
            "code": selectors.source_code(bill.funding_source),
            "subtotals": selectors.bill_agency_subtotals(bill=bill),
            "page": page,
        },
    )


@require_roles(*selectors.BILL_READERS)
def bill_download(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    """The bill as PDF or xlsx; each download audited."""
    if kind not in ("pdf", "xlsx"):
        raise Http404
    user = request_user(request)
    bill = selectors.bill_get(user=user, pk=pk)
    buffer = io.BytesIO()
    bill_export(actor=user, bill=bill, kind=kind, out=buffer)
    buffer.seek(0)
    code = selectors.source_code(bill.funding_source)
    name = f"tagihan-{bill.program.code}-{bill.month:%Y-%m}-{code}.{kind}"
    content_type = "application/pdf" if kind == "pdf" else XLSX
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=content_type)
