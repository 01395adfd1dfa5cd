"""A claim's heirs and papers (claim handlers only): add/remove an heir, upload a paper per
checklist item, note an item is not needed, remove a mistake, download (audited). Each POST
comes back to the claim's page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lindung.accounts.access import CLAIM_HANDLERS, request_user, require_roles
from lindung.claims import documents, forms, heirs, selectors
from lindung.claims.checklist import items_for
from lindung.claims.models import Claim
from lindung.common.errors_domain import ServiceError


def item_choices(claim: Claim) -> list[tuple[str, str]]:
    return [(item.code, str(item.label)) for item in items_for(claim.kind)]


def _back(claim: Claim) -> HttpResponseBase:
    return redirect(f"{reverse('claims:detail', args=[claim.pk])}#berkas")


def _form_error(request: HttpRequest) -> None:
    messages.error(request, _("Periksa isian: kolom yang wajib belum diisi dengan benar."))


def _done(
    request: HttpRequest, claim: Claim, action: Callable[[], object], success: str
) -> HttpResponseBase:
    """Run one service call; say how it went; back to the claim's papers."""
    try:
        action()
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return _back(claim)


@require_roles(*CLAIM_HANDLERS)
@require_POST
def heir_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    claim = selectors.claim_get(user=user, pk=pk)
    form = forms.HeirForm(request.POST)
    if not form.is_valid():
        _form_error(request)
        return _back(claim)
    return _done(
        request,
        claim,
        lambda: heirs.heir_add(actor=user, claim=claim, **form.cleaned_data),
        _("Ahli waris dicatat."),
    )


@require_roles(*CLAIM_HANDLERS)
@require_POST
def heir_remove(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    heir = selectors.heir_get(user=user, pk=pk)
    return _done(
        request,
        heir.claim,
        lambda: heirs.heir_remove(actor=user, heir=heir),
        _("Ahli waris dihapus."),
    )


@require_roles(*CLAIM_HANDLERS)
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    claim = selectors.claim_get(user=user, pk=pk)
    form = forms.DocumentForm(request.POST, request.FILES, items=item_choices(claim))
    if not form.is_valid():
        _form_error(request)
        return _back(claim)
    upload = form.cleaned_data["file"]
    return _done(
        request,
        claim,
        lambda: documents.claim_document_upload(
            actor=user,
            claim=claim,
            item=form.cleaned_data["item"],
            upload=upload,
            filename=upload.name or "",
        ),
        _("Dokumen diunggah."),
    )


@require_roles(*CLAIM_HANDLERS)
@require_POST
def document_waive(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    claim = selectors.claim_get(user=user, pk=pk)
    form = forms.WaiveForm(request.POST, items=item_choices(claim))
    if not form.is_valid():
        _form_error(request)
        return _back(claim)
    return _done(
        request,
        claim,
        lambda: documents.claim_document_waive(actor=user, claim=claim, **form.cleaned_data),
        _("Dokumen dicatat tidak diperlukan."),
    )


@require_roles(*CLAIM_HANDLERS)
@require_POST
def document_remove(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    document = selectors.claim_document_get(user=user, pk=pk)
    return _done(
        request,
        document.claim,
        lambda: documents.claim_document_remove(actor=user, document=document),
        _("Dokumen dihapus."),
    )


@require_roles(*CLAIM_HANDLERS)
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    document = selectors.claim_document_get(user=user, pk=pk)
    handle = documents.claim_document_open(actor=user, document=document)
    if handle is None:
        messages.error(request, _("Dokumen ini tidak punya file."))
        return _back(document.claim)
    return FileResponse(handle, as_attachment=True, filename=document.name or "dokumen")
