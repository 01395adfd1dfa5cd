"""The public status check `/cek/`: no login, phone-first, POST only (the NIK is never in a
URL), limited per client address (the real one, behind TRUSTED_PROXY_COUNT proxies)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from lindung.audit.middleware import client_ip
from lindung.enrollment.services.public_check import (
    PublicAnswer,
    name_letters_enough,
    public_check,
    public_check_allow,
)

TEMPLATE = "enrollment/public_check.html"


@login_not_required
@never_cache
@sensitive_post_parameters("nik", "nama")
@require_http_methods(["GET", "POST"])
def public_check_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, TEMPLATE, {})
    if not public_check_allow(client=client_ip(request) or "unknown"):
        message = _(
            "Terlalu banyak permintaan dari alamat ini. Silakan coba lagi beberapa menit lagi "
            "(paling banyak 20 kali per menit dan 100 kali per hari)."
        )
        return render(request, TEMPLATE, {"limited": message}, status=429)
    nik = request.POST.get("nik", "").strip().replace(" ", "")[:32]
    name = request.POST.get("nama", "")[:100]
    errors = []
    if not (len(nik) == 16 and nik.isdigit()):
        errors.append(_("NIK harus 16 angka, sesuai KTP."))
    if not name_letters_enough(name):
        errors.append(_("Isi paling sedikit tiga huruf pertama nama Anda."))
    if errors:
        # The typed name is shown back, never the NIK.
        return render(request, TEMPLATE, {"errors": errors, "name": name}, status=400)
    answer: PublicAnswer = public_check(nik=nik, name=name)
    return render(request, TEMPLATE, {"answer": answer})
