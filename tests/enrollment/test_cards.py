"""Participants' cards: what a card shows, the QR code to the public check, A4 sheets of
ten, only active participants, scoped and audited downloads."""

from __future__ import annotations

import re
import zlib

import pytest
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.enrollment.cards import cards_html, qr_data_uri
from lindung.workers.models import EnrolmentStatus
from tests.conftest import client_for
from tests.factories import EnrolmentFactory, WorkerFactory


def _enrol(program, agency, i, **extra):
    worker = WorkerFactory(pemda=program.pemda, name=f"PESERTA {i:02d}", nik=f"350401120875{i:04d}")
    return EnrolmentFactory(
        program=program, worker=worker, agency=agency, kpj=f"2500000{i:04d}", **extra
    )


@pytest.fixture
def supri(program, agency, funding_source):
    worker = WorkerFactory(pemda=program.pemda, name="SUPRIYANTO", nik="3504011208750001")
    return EnrolmentFactory(
        program=program, worker=worker, agency=agency, kpj="25012345678",
        funding_source=funding_source,
    )  # fmt: skip


def _pages(pdf: bytes) -> int:
    """Page objects, looked for in the PDF and in its compressed object streams."""
    text = pdf
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            text += zlib.decompress(stream)
        except zlib.error:
            continue
    return len(re.findall(rb"/Type\s*/Page\b", text))


def test_a_card_shows_name_kpj_masked_nik_programs_period_and_pemda(supri, settings):
    settings.LINDUNG_PUBLIC_URL = "https://lindung.tulungagung.go.id"
    html = cards_html([supri], title="Kartu")
    for text in (
        "SUPRIYANTO",
        "25012345678",
        "3504********0001",
        "JKK + JKM",
        "1 Januari 2025 – 31 Desember 2025",
        "Pemerintah Kabupaten Tulungagung",
        "https://lindung.tulungagung.go.id/cek/",
    ):
        assert text in html, text
    assert "3504011208750001" not in html
    assert qr_data_uri("https://lindung.tulungagung.go.id/cek/") in html


def test_the_qr_code_is_an_image_that_changes_with_the_address():
    first = qr_data_uri("https://lindung.tulungagung.go.id/cek/")
    assert first.startswith("data:image/png;base64,")
    assert first != qr_data_uri("http://127.0.0.1:8000/cek/")


def test_a_participant_downloads_one_card_and_the_download_is_audited(supri, operator):
    url = reverse("enrollment:participant_card", args=[supri.pk])
    response = client_for(operator).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert _pages(response.content) == 1
    event = AuditEvent.objects.get(action="participant.cards_downloaded")
    assert event.object_id == str(supri.pk)
    assert event.changes["count"] == 1
    assert event.actor == operator


@pytest.mark.parametrize("status", ["approved", "sent", "ended", "rejected"])
def test_only_active_participants_get_a_card(supri, admin, status):
    supri.status = status
    supri.save()
    url = reverse("enrollment:participant_card", args=[supri.pk])
    assert client_for(admin).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="participant.cards_downloaded").exists()


def test_a_card_of_another_agency_is_not_found(supri, other_operator):
    url = reverse("enrollment:participant_card", args=[supri.pk])
    assert client_for(other_operator).get(url).status_code == 404


def test_an_agencys_cards_come_ten_to_a_sheet_active_ones_only(program, agency, admin):
    for i in range(12):
        _enrol(program, agency, i)
    _enrol(program, agency, 50, status=EnrolmentStatus.SENT)
    response = client_for(admin).get(
        reverse("enrollment:participant_cards"), {"instansi": agency.pk}
    )
    assert response.status_code == 200
    assert _pages(response.content) == 2  # 12 cards: 10 + 2
    event = AuditEvent.objects.get(action="participant.cards_downloaded")
    assert event.changes["count"] == 12
    assert event.changes["agency"] == agency.code


def test_a_villages_cards_hold_only_that_villages_participants(program, agency, admin):
    _enrol(program, agency, 1, village_id="35.04.15.2001")
    _enrol(program, agency, 2, village_id="35.04.02.2001")
    response = client_for(admin).get(
        reverse("enrollment:participant_cards"), {"wilayah": "35.04.15.2001"}
    )
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="participant.cards_downloaded").changes["count"] == 1


def test_an_operator_gets_their_own_agencys_cards_whatever_they_ask(
    program, agency, other_agency, operator
):
    _enrol(program, agency, 1)
    _enrol(program, other_agency, 2)
    response = client_for(operator).get(
        reverse("enrollment:participant_cards"), {"instansi": other_agency.pk}
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="participant.cards_downloaded")
    assert event.changes == {"count": 1, "program": program.code, "agency": agency.code,
                             "region": ""}  # fmt: skip


def test_bulk_cards_need_an_agency_or_an_area(program, admin):
    assert client_for(admin).get(reverse("enrollment:participant_cards")).status_code == 404
