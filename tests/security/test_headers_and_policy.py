"""Point 4 of issue 15, headers: every page (walked from the resolver, so a new page is covered
the day it is added) carries a Content-Security-Policy without 'unsafe-inline' and
`Cache-Control: no-store`, for every kind of user; the templates served as pages hold no
inline script, event handler or style attribute the policy would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from lindung.accounts.models import Role
from tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR) / "lindung"
# WeasyPrint documents: rendered to PDF, never served as a page, so they keep their CSS.
PDF_TEMPLATES = {"documents/base.html", "enrollment/cards.html", "billing/bill_pdf.html"}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


# Pages without path arguments, plus a 404 and a private download.
PAGES = sorted("/" + r for r in _walk(get_resolver().url_patterns) if "<" not in r)
EXTRA = ["/tidak-ada/", "/iuran/laporan/unduh/arrears_xlsx/"]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def assert_policy(response, url: str) -> None:
    header = response.get("Content-Security-Policy", "")
    policy = _directives(header)
    assert "unsafe-inline" not in header, url
    assert "unsafe-eval" not in header, url
    assert policy.get("default-src") == ["'self'"], url
    assert policy.get("script-src") == ["'self'"], url
    assert policy.get("style-src") == ["'self'"], url
    assert policy.get("frame-ancestors") == ["'none'"], url
    assert policy.get("form-action") == ["'self'"], url
    assert policy.get("base-uri") == ["'self'"], url
    assert policy.get("object-src") == ["'none'"], url
    assert "no-store" in response.get("Cache-Control", ""), url


@pytest.fixture
def clients(pemda, agency, program):
    out = [("anonim", Client())]
    for role in (Role.ADMIN, Role.AGENCY_OPERATOR, Role.LEADER):
        user = UserFactory(
            username=f"hdr-{role}",
            pemda=pemda,
            role=role,
            agency=agency if role == Role.AGENCY_OPERATOR else None,
        )
        client = Client()
        client.force_login(user)
        out.append((role, client))
    return out


def test_every_page_and_download_has_a_strict_policy_and_no_store_for_every_user(clients):
    answered = downloads = 0
    for role, client in clients:
        for url in PAGES + EXTRA:
            if url == "/keluar/":
                continue
            response = client.get(url)
            assert_policy(response, f"{url} as {role}")
            answered += response.status_code == 200
            downloads += response.get("Content-Disposition", "").startswith("attachment")
    assert answered > 40  # real pages were checked, not only redirects to the login
    assert downloads >= 1  # and a private download


def test_a_static_file_keeps_its_caching_and_is_not_marked_no_store(client):
    response = client.get("/static/lindung/app.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def _page_templates():
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        name = str(path).split("/templates/", 1)[1]
        if name not in PDF_TEMPLATES and not name.endswith("_pdf.html"):
            yield name, path.read_text()


def test_no_served_template_has_inline_script_handlers_or_styles():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
    style = re.compile(r"<style|\sstyle\s*=", re.IGNORECASE)
    found = [
        f"{name}: {match.group(0).strip()}"
        for name, text in _page_templates()
        for pattern in (inline_script, handler, style)
        for match in pattern.finditer(text)
    ]
    assert found == []
