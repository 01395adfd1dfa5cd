"""The claims pages: list with filters, report from a participant found by NIK through POST,
the claim page with cover and entitlement, and its steps (each asks first)."""

import datetime as dt

import pytest
from django.urls import reverse

from lindung.claims.models import Claim, ClaimStatus
from lindung.workers.models import EnrolmentStatus
from tests.claims.conftest import papers_complete, record_payment
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = (dt.date(2025, m, 1) for m in (1, 2, 3))
REPORT = {
    "kind": "JKM", "incident_on": "2025-03-20", "place": "Desa Sumberdadi",
    "reported_by": "village", "reporter_name": "Kepala Desa", "confirm": "on",
}  # fmt: skip


@pytest.fixture
def paid(participant, funding_source, finance):
    record_payment(funding_source, [JAN, FEB, MAR], paid_on=dt.date(2025, 1, 10), by=finance)
    return participant


def test_a_verifier_finds_the_participant_by_nik_and_reports_a_death(paid, verifier):
    client = client_for(verifier)
    found = client.post(reverse("claims:find"), {"nomor": "3504011208750001"})
    assert found.status_code == 200
    report_url = reverse("claims:report", args=[paid.pk])
    assert report_url in found.content.decode()
    assert "3504011208750001" not in found.content.decode()  # masked
    response = client.post(report_url, REPORT)
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:detail", args=[claim.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Rp 42.000.000" in page
    assert "Santunan sekaligus" in page
    paid.refresh_from_db()
    assert paid.status == EnrolmentStatus.ENDED


def test_the_report_form_shows_a_mistake_not_a_500(paid, verifier):
    response = client_for(verifier).post(
        reverse("claims:report", args=[paid.pk]), {**REPORT, "kind": "JKK-STMB"}
    )
    assert response.status_code == 200
    assert "wajib diisi untuk STMB" in response.content.decode()
    assert not Claim.objects.exists()


def test_a_step_asks_first_and_then_moves_the_claim(paid, verifier):
    client = client_for(verifier)
    client.post(reverse("claims:report", args=[paid.pk]), REPORT)
    claim = Claim.objects.get()
    papers_complete(claim, by=verifier)
    url = reverse("claims:advance", args=[claim.pk, "documents_complete"])
    client.post(url, {})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REPORTED
    client.post(url, {"confirm": "1"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DOCUMENTS_COMPLETE


def test_the_list_filters_by_status_and_masks_nik(paid, verifier):
    client = client_for(verifier)
    client.post(reverse("claims:report", args=[paid.pk]), REPORT)
    page = client.get(reverse("claims:list")).content.decode()
    assert "Sutrisno" in page
    assert "3504011208750001" not in page
    rejected = client.get(reverse("claims:list"), {"status": "rejected"}).content.decode()
    assert "Sutrisno" not in rejected


def test_operators_and_other_pemdas_see_no_claims(paid, verifier, operator, other_pemda):
    from tests.factories import UserFactory

    client_for(verifier).post(reverse("claims:report", args=[paid.pk]), REPORT)
    claim = Claim.objects.get()
    assert client_for(operator).get(reverse("claims:list")).status_code == 403
    stranger = UserFactory(username="x", pemda=other_pemda, role="admin")
    assert client_for(stranger).get(reverse("claims:detail", args=[claim.pk])).status_code == 404
