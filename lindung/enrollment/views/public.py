"""The public status check `/cek/`: no login, phone-first, POST only (the NIK is never in a
URL), limited per client address (the real one, behind TRUSTED_PROXY_COUNT proxies), a
picture CAPTCHA after 5 misses a day, closed for everyone while the breaker is open."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from lindung.audit.middleware import client_ip
from lindung.common import captcha
from lindung.enrollment.services.public_check import (
    PublicAnswer,
    Verdict,
    breaker_open,
    captcha_needed,
    name_letters_enough,
    public_check,
    public_check_allow,
    public_check_missed,
)

TEMPLATE = "enrollment/public_check.html"


def _page(
    request: HttpRequest, client: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    if captcha_needed(client=client):
        captcha.challenge_new(request.session)
        context["captcha"] = True
    return render(request, TEMPLATE, context, status=status)


@login_not_required
@never_cache
@sensitive_post_parameters("nik", "nama")
@require_http_methods(["GET", "POST"])
def public_check_view(request: HttpRequest) -> HttpResponse:
    client = client_ip(request) or "unknown"
    if request.method != "POST":
        return _page(request, client, {})
    if not public_check_allow(client=client):
        message = _(
            "Terlalu banyak permintaan dari alamat ini. Silakan coba lagi beberapa menit lagi "
            "(paling banyak 20 kali per menit dan 100 kali per hari)."
        )
        return render(request, TEMPLATE, {"limited": message}, status=429)
    if breaker_open():
        message = _(
            "Layanan cek status sedang dibatasi sementara karena banyak permintaan yang tidak "
            "ditemukan. Silakan coba lagi nanti atau hubungi Dinas Tenaga Kerja."
        )
        return render(request, TEMPLATE, {"limited": message}, status=503)
    nik = request.POST.get("nik", "").strip().replace(" ", "")[:32]
    name = request.POST.get("nama", "")[:100]
    errors = []
    if captcha_needed(client=client) and not captcha.challenge_solved(
        request.session, request.POST.get("kode", "")[:20]
    ):
        errors.append(_("Ketik angka yang tampil pada gambar dengan benar."))
    if not (len(nik) == 16 and nik.isdigit()):
        errors.append(_("NIK harus 16 angka, sesuai KTP."))
    if not name_letters_enough(name):
        errors.append(_("Isi paling sedikit tiga huruf pertama nama Anda."))
    if errors:
        # The typed name is shown back, never the NIK.
        return _page(request, client, {"errors": errors, "name": name}, status=400)
    answer: PublicAnswer = public_check(nik=nik, name=name)
    if answer.verdict is Verdict.NOT_FOUND:
        public_check_missed(client=client)
    return _page(request, client, {"answer": answer})


@login_not_required
@never_cache
@require_http_methods(["GET"])
def captcha_image(request: HttpRequest) -> HttpResponse:
    """The picture of this visitor's CAPTCHA digits."""
    return HttpResponse(captcha.challenge_png(request.session), content_type="image/png")
