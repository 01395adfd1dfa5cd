"""Search filters kept out of URLs (issue 15, point 3).

A NIK typed into a search box must not reach a GET query string: it would land in the access
log, the browser history and the Referer header. A page's filter form is POSTed; its values
are kept in the session and the page redirects to `?cari=1` (pagination keeps that marker).
A `q` in a URL is still read for names and row numbers, never when it holds a run of seven or
more digits (a NIK or a telling part of one)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect

from lindung.common.params import text_param

KEPT = "cari"
_LONG_DIGITS = re.compile(r"[0-9]{7,}")


def kept_filters(request: HttpRequest, key: str, names: Iterable[str]) -> dict[str, str]:
    """The page's filter values: the ones just POSTed (and kept), the kept ones on `?cari=1`,
    else those in the URL — without a digit run a NIK could hide in."""
    session_key = f"filters:{key}"
    names = tuple(names)
    if request.method == "POST":
        values = {n: text_param(request.POST.get(n)) for n in names}
        request.session[session_key] = values
        return values
    if request.GET.get(KEPT) == "1":
        kept = request.session.get(session_key) or {}
        return {n: str(kept.get(n, "")) for n in names}
    values = {n: text_param(request.GET.get(n)) for n in names}
    return {n: "" if _LONG_DIGITS.search(v) else v for n, v in values.items()}


def kept_redirect(
    request: HttpRequest, filters: dict[str, str], shown: Iterable[str] = ()
) -> HttpResponseRedirect:
    """After a POSTed search: the same page, its filters read from the session (303). The
    `shown` ones (choices such as an outcome, never free text) stay visible in the URL, so
    htmx's hx-push-url (which pushes the redirected URL) keeps them in the history."""
    params = {KEPT: "1", **{n: filters[n] for n in shown if filters.get(n)}}
    response = HttpResponseRedirect(f"{request.path}?{urlencode(params)}")
    response.status_code = 303
    return response
