"""Participants' cards as PDF (WeasyPrint): one card, or A4 sheets of ten for an agency or a
village. A card shows the name, KPJ, masked NIK, programs, period and Pemda, and a QR code
that opens the public status check `/cek/` (LINDUNG_PUBLIC_URL). Only active participants
get a card.

The QR code is the same for every card (the check asks for the NIK and name itself; no
personal data goes into a URL), so it is made once per document as a PNG data URI."""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import qrcode  # type: ignore[import-untyped]
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats

from lindung.common.pdf import pdf_from_html
from lindung.domain.nik import mask_nik
from lindung.enrollment.services.public_check import (
    payer_of,
    pemda_government,
    program_last_day,
)
from lindung.workers.models import Enrolment

CARDS_PER_SHEET = 10


@dataclass(frozen=True)
class Card:
    name: str
    kpj: str
    nik: str  # masked
    benefits: str
    period: str
    pemda: str
    payer: str
    agency: str


def public_check_url() -> str:
    return f"{settings.LINDUNG_PUBLIC_URL}/cek/"


def qr_data_uri(text: str) -> str:
    """`text` as a QR code, a PNG in a data URI. A raster image is embedded once in the PDF
    and placed on every card; an SVG would be drawn again, path by path, on each (0,06 s a
    card). Ten pixels a module: about 280 dpi at the card's 24 mm."""
    image = qrcode.make(text, box_size=10, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _date(value: dt.date) -> str:
    return formats.date_format(value, "j E Y")


def card_of(enrolment: Enrolment) -> Card:
    program = enrolment.program
    start = enrolment.started_on or enrolment.start_month or program.start_month
    end = enrolment.ended_on or program_last_day(program)
    return Card(
        name=enrolment.worker.name,
        kpj=enrolment.kpj,
        nik=mask_nik(enrolment.worker.nik),
        benefits=" + ".join(str(b).upper() for b in program.benefits),
        period=f"{_date(start)} – {_date(end)}",
        pemda=pemda_government(program.pemda),
        payer=payer_of(enrolment),
        agency=enrolment.agency.name if enrolment.agency else "",
    )


def _sheets(cards: Sequence[Card]) -> list[Sequence[Card]]:
    return [cards[i : i + CARDS_PER_SHEET] for i in range(0, len(cards), CARDS_PER_SHEET)]


def cards_html(enrolments: Iterable[Enrolment], *, title: str) -> str:
    """The cards' HTML: ten to an A4 sheet, one QR code drawn for all."""
    cards = [card_of(e) for e in enrolments]
    return render_to_string(
        "enrollment/cards.html",
        {
            "sheets": _sheets(cards),
            "qr": qr_data_uri(public_check_url()),
            "check_url": public_check_url(),
            "title": title,
        },
    )


def cards_pdf(enrolments: Iterable[Enrolment], *, title: str) -> bytes:
    """One PDF with a card per enrolment, ten to an A4 sheet."""
    return pdf_from_html(cards_html(enrolments, title=title))
