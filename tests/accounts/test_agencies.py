"""The admin's agency pages: OPDs and villages, version conflicts, and the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.accounts.models import Agency, AgencyKind
from lindung.audit.models import AuditEvent
from tests.conftest import client_for

CREATE = reverse("accounts:agency_create")


def agency_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "satpolpp",
        "name": "Satpol PP",
        "kind": AgencyKind.OPD,
        "sector": "Ketertiban",
        "is_active": "on",
        "village_code": "",
    }
    data.update(overrides)
    return data


def test_an_admin_creates_an_opd_and_the_audit_records_its_values(admin, pemda):
    response = client_for(admin).post(CREATE, agency_data())

    assert response.status_code == 302
    agency = Agency.objects.get(pemda=pemda, code="satpolpp")
    assert (agency.name, agency.kind, agency.village) == ("Satpol PP", "opd", None)
    event = AuditEvent.objects.get(action="agency.created")
    assert event.actor == admin
    assert event.pemda == pemda
    assert event.object_id == str(agency.pk)
    assert event.changes["name"] == [None, "Satpol PP"]
    assert event.changes["code"] == [None, "satpolpp"]


def test_an_admin_creates_a_village_agency_inside_the_regency(admin, pemda):
    response = client_for(admin).post(
        CREATE,
        agency_data(
            code="besole", name="Desa Besole", kind=AgencyKind.VILLAGE, village_code="35.04.15.2001"
        ),
    )

    assert response.status_code == 302
    agency = Agency.objects.get(pemda=pemda, code="besole")
    assert agency.village_id == "35.04.15.2001"
    assert AuditEvent.objects.get(action="agency.created").changes["village"] == [
        None,
        "35.04.15.2001",
    ]


@pytest.mark.parametrize(
    ("village_code", "message"),
    [
        ("35.03.01.2001", "Kode desa tidak ditemukan di wilayah Pemda ini"),  # Trenggalek
        ("35.04.15", "Kode desa tidak ditemukan di wilayah Pemda ini"),  # a district
        ("35.04.15.9999", "Kode desa tidak ditemukan di wilayah Pemda ini"),
        ("", "Wajib diisi untuk jenis Desa/Kelurahan"),
    ],
    ids=["other-regency", "district", "unknown", "missing"],
)
def test_a_village_agency_needs_a_village_of_the_pemdas_own_regency(
    village_code, message, admin, pemda
):
    response = client_for(admin).post(
        CREATE,
        agency_data(
            code="desa-x", name="Desa X", kind=AgencyKind.VILLAGE, village_code=village_code
        ),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Agency.objects.filter(code="desa-x").exists()
    assert not AuditEvent.objects.filter(action="agency.created").exists()


def test_an_agency_code_is_unique_within_the_pemda(admin, agency):
    response = client_for(admin).post(CREATE, agency_data(code=agency.code))

    assert response.status_code == 200
    assert "sudah dipakai" in response.content.decode()
    assert Agency.objects.filter(code=agency.code).count() == 1


def test_an_edit_records_the_old_and_new_values(admin, agency):
    url = reverse("accounts:agency_edit", args=[agency.pk])

    response = client_for(admin).post(
        url,
        agency_data(code=agency.code, name="Dinas Kelautan dan Perikanan", version=agency.version),
    )

    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.name == "Dinas Kelautan dan Perikanan"
    assert agency.version == 2
    event = AuditEvent.objects.get(action="agency.updated")
    assert event.changes["name"] == ["Dinas Perikanan", "Dinas Kelautan dan Perikanan"]
    assert event.changes["sector"] == ["", "Ketertiban"]
    assert "code" not in event.changes


def test_an_edit_from_a_stale_form_is_refused_and_changes_nothing(admin, agency):
    url = reverse("accounts:agency_edit", args=[agency.pk])
    stale_version = agency.version
    client = client_for(admin)
    client.post(url, agency_data(code=agency.code, name="Dinas Perikanan Baru", version=1))

    response = client.post(
        url, agency_data(code=agency.code, name="Dinas Nelayan", version=stale_version)
    )

    assert response.status_code == 200
    assert "baru saja diubah oleh pengguna lain" in response.content.decode()
    agency.refresh_from_db()
    assert agency.name == "Dinas Perikanan Baru"
    assert agency.version == 2
    assert AuditEvent.objects.filter(action="agency.updated").count() == 1
