"""The payments page: Keuangan records an SP2D (a correction is a new entry); everyone
allowed sees billed against paid per funding source and month, and the payments."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lindung.accounts.access import request_user, require_roles
from lindung.billing import selectors
from lindung.billing.forms import PaymentForm
from lindung.billing.services import payment_proof_open, payment_record
from lindung.billing.services.payments import PAYERS
from lindung.common.errors_domain import ServiceError
from lindung.programs.choice import program_chosen

PAYMENTS_PER_PAGE = 25


@require_roles(*selectors.PAYMENT_READERS)
def payment_index(request: HttpRequest) -> HttpResponse:
    """GET: the lists (and the form for Keuangan); POST (Keuangan): record a payment."""
    user = request_user(request)
    program = program_chosen(request, user)
    if program is None:
        return render(request, "billing/payments.html", {"program": None})
    may_pay = user.has_role(*PAYERS)
    form = PaymentForm(program=program) if may_pay else None
    if request.method == "POST" and may_pay:
        form = PaymentForm(request.POST, request.FILES, program=program)
        if form.is_valid():
            data = form.cleaned_data
            try:
                payment = payment_record(
                    actor=user,
                    program=program,
                    funding_source=data["funding_source"],
                    sp2d_number=data["sp2d_number"],
                    paid_on=data["paid_on"],
                    amount=data["amount"],
                    months=data["months"],
                    proof=data.get("proof"),
                    note=data.get("note") or "",
                    corrects=data.get("corrects"),
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("SP2D %(n)s dicatat.") % {"n": payment.sp2d_number})
                return redirect(f"{reverse('billing:payments')}?program={program.pk}")
    elif request.method == "POST":
        return HttpResponse(status=403)
    page = Paginator(
        selectors.payment_list(user=user, program=program), PAYMENTS_PER_PAGE
    ).get_page(request.GET.get("hal"))
    return render(
        request,
        "billing/payments.html",
        {
            "program": program,
            "form": form,
            "rows": selectors.billed_vs_paid(user=user, program=program),
            "page": page,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_roles(*selectors.PAYMENT_READERS)
def payment_proof(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    payment = selectors.payment_get(user=user, pk=pk)
    handle = payment_proof_open(actor=user, payment=payment)
    if handle is None:
        messages.error(request, _("Pembayaran ini tidak punya file bukti."))
        return redirect(f"{reverse('billing:payments')}?program={payment.program_id}")
    return FileResponse(handle, as_attachment=True, filename=payment.proof_name or "bukti")
