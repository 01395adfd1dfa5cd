"""Splitting a program's quota (37.500 people) over agencies and districts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.programs.models import Quota
from lindung.programs.services import quota_set
from lindung.regions.models import Region
from tests.conftest import client_for
from tests.factories import AgencyFactory
from tests.programs.helpers import messages_of

BESUKI = "35.04.15"  # a kecamatan of Tulungagung (Kepmendagri 300.2.2-2430/2025)
TRENGGALEK_DISTRICT = "35.03.01"  # a kecamatan of the neighbouring regency


def _set(client, program, **data):
    return client.post(reverse("programs:quota_set", args=[program.pk]), data, follow=True)


def test_admin_sets_an_agency_quota_and_it_is_audited(admin, agency, program):
    response = _set(client_for(admin), program, agency=agency.pk, quota="5000")

    quota = Quota.objects.get(program=program)
    assert (quota.agency, quota.region, quota.quota) == (agency, None, 5_000)
    assert "Kuota tersimpan." in messages_of(response)
    event = AuditEvent.objects.get(action="quota.set")
    assert event.changes == {"quota": [None, 5_000]}


def test_setting_an_agency_quota_again_replaces_it(admin, agency, program):
    client = client_for(admin)
    _set(client, program, agency=agency.pk, quota="5000")

    _set(client, program, agency=agency.pk, quota="6000")

    assert list(Quota.objects.values_list("quota", flat=True)) == [6_000]
    changes = [e.changes for e in AuditEvent.objects.filter(action="quota.set").order_by("pk")]
    assert changes == [{"quota": [None, 5_000]}, {"quota": [5_000, 6_000]}]


@pytest.mark.parametrize(
    ("first", "second", "accepted"),
    [
        # 30.000 + 7.500 = 37.500: exactly the program's quota.
        (30_000, 7_500, True),
        # 30.000 + 7.501 = 37.501: one person over.
        (30_000, 7_501, False),
    ],
)
def test_agency_quotas_may_not_add_up_to_more_than_the_program(
    admin, agency, other_agency, program, first, second, accepted
):
    client = client_for(admin)
    _set(client, program, agency=agency.pk, quota=str(first))

    response = _set(client, program, agency=other_agency.pk, quota=str(second))

    assert Quota.objects.filter(agency=other_agency).exists() is accepted
    if not accepted:
        assert messages_of(response) == ["Jumlah kuota (37.501) melebihi kuota program (37.500)."]


def test_raising_an_agency_quota_counts_its_old_value_once(admin, agency, program):
    client = client_for(admin)
    _set(client, program, agency=agency.pk, quota="30000")

    _set(client, program, agency=agency.pk, quota="37500")

    assert Quota.objects.get(agency=agency).quota == 37_500


def test_district_quotas_are_a_second_split_of_the_same_quota(admin, agency, program):
    client = client_for(admin)
    _set(client, program, agency=agency.pk, quota="37500")

    response = _set(client, program, region_code=BESUKI, quota="37500")

    assert "Kuota tersimpan." in messages_of(response)
    assert Quota.objects.get(region_id=BESUKI).quota == 37_500


def test_a_district_quota_outside_the_pemda_is_refused(admin, program):
    response = _set(client_for(admin), program, region_code=TRENGGALEK_DISTRICT, quota="100")

    assert messages_of(response) == [
        "Kuota belum tersimpan: Kecamatan/desa tidak ditemukan di Pemda ini."
    ]
    assert not Quota.objects.exists()


def test_the_service_refuses_a_region_outside_the_pemda_too(admin, program):
    with pytest.raises(ServiceError, match="Wilayah harus berada di dalam Pemda ini"):
        quota_set(
            actor=admin,
            program=program,
            region=Region.objects.get(code=TRENGGALEK_DISTRICT),
            quota=100,
        )

    assert not Quota.objects.exists()


def test_a_quota_for_both_an_agency_and_a_district_is_refused(admin, agency, program):
    response = _set(client_for(admin), program, agency=agency.pk, region_code=BESUKI, quota="1")

    assert messages_of(response) == [
        "Kuota belum tersimpan: Pilih salah satu: instansi atau wilayah."
    ]
    assert not Quota.objects.exists()


def test_an_agency_of_another_pemda_cannot_get_a_quota(admin, other_pemda, program):
    stranger = AgencyFactory(pemda=other_pemda, code="perikanan-trenggalek")

    _set(client_for(admin), program, agency=stranger.pk, quota="100")

    assert not Quota.objects.exists()
    with pytest.raises(ServiceError, match="Instansi tidak ditemukan di Pemda ini"):
        quota_set(actor=admin, program=program, agency=stranger, quota=100)


def test_an_operator_sees_only_the_quota_of_their_agency(
    admin, operator, agency, other_agency, program
):
    quota_set(actor=admin, program=program, agency=agency, quota=5_000)
    quota_set(actor=admin, program=program, agency=other_agency, quota=6_000)

    html = client_for(operator).get(reverse("programs:detail", args=[program.pk])).content
    html = html.decode()

    assert "Dinas Perikanan" in html
    assert "5.000" in html
    assert "Dinas Perhubungan" not in html
    assert "6.000" not in html
