"""Documents as PDF, the one way: a template rendered to HTML and drawn by WeasyPrint, with
the system's Pango (loaded on first use: it takes half a second, and most requests never
need it). Berita acara, bills, recaps, claim reports and cards all come through here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string


def pdf_from_html(html: str) -> bytes:
    """The PDF of a whole HTML document (its CSS inline or in <style>)."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: loaded on use

    return bytes(HTML(string=html).write_pdf() or b"")


def pdf_from_template(template: str, context: Mapping[str, Any]) -> bytes:
    """The PDF of `template` rendered with `context`."""
    return pdf_from_html(render_to_string(template, dict(context)))


def letterhead_lines(text: str) -> list[str]:
    """A program's letterhead (one line per line of the kop surat), blank lines dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]
