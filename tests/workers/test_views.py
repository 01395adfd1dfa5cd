"""The workers list (/pekerja/): tenancy, NIK masking and the htmx fragment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.domain.nik import mask_nik
from tests.conftest import client_for
from tests.factories import UserFactory, WorkerFactory

URL = reverse("workers:list")


@pytest.fixture
def bobs_worker(agency):
    return WorkerFactory(
        pemda=agency.pemda, agency=agency, name="Slamet Nelayan", nik="3504011208750001"
    )


@pytest.fixture
def carols_worker(other_agency):
    return WorkerFactory(
        pemda=other_agency.pemda, agency=other_agency, name="Sutini Ojol", nik="3504155501900007"
    )


@pytest.fixture
def daves_worker(other_pemda):
    return WorkerFactory(pemda=other_pemda, name="Darmaji Trenggalek", nik="3503010101800003")


def test_an_agency_operator_sees_only_the_workers_of_their_agency(
    operator, other_operator, bobs_worker, carols_worker
):
    bob_page = client_for(operator).get(URL).content.decode()
    carol_page = client_for(other_operator).get(URL).content.decode()

    assert "Slamet Nelayan" in bob_page
    assert "Sutini Ojol" not in bob_page
    assert "Sutini Ojol" in carol_page
    assert "Slamet Nelayan" not in carol_page


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Sutini"},
        {"q": "sutini ojol"},
        {"q": "350415550"},
        {"instansi": "{other_agency}"},
        {"q": "Sutini", "instansi": "{other_agency}"},
    ],
    ids=["name", "full-name", "nik-prefix", "agency-filter", "name-and-agency"],
)
def test_an_agency_operator_sees_no_worker_of_another_agency_whatever_the_filter(
    params, operator, other_operator, other_agency, carols_worker
):
    query = {k: v.format(other_agency=other_agency.pk) for k, v in params.items()}

    # The search form POSTs (a NIK never in a URL) and the page reads the kept filters.
    carol_page = client_for(other_operator).post(URL, query, follow=True).content.decode()
    bob_page = client_for(operator).post(URL, query, follow=True).content.decode()

    # The same filter finds the worker for her own operator, so the filter itself works.
    assert "Sutini Ojol" in carol_page
    assert "Sutini Ojol" not in bob_page
    assert "Tidak ada pekerja yang cocok" in bob_page


def test_an_admin_sees_every_agency_and_can_filter_by_one(
    admin, agency, bobs_worker, carols_worker
):
    client = client_for(admin)

    everyone = client.get(URL).content.decode()
    perikanan = client.get(URL, {"instansi": agency.pk}).content.decode()

    assert "Slamet Nelayan" in everyone
    assert "Sutini Ojol" in everyone
    assert "Slamet Nelayan" in perikanan
    assert "Sutini Ojol" not in perikanan


@pytest.mark.parametrize("query", ["", "Slamet", "350401"])
def test_an_admin_of_another_pemda_sees_no_worker_of_this_pemda(
    query, foreign_admin, bobs_worker, carols_worker, daves_worker
):
    page = client_for(foreign_admin).get(URL, {"q": query}).content.decode()

    assert "Slamet Nelayan" not in page
    assert "Sutini Ojol" not in page


def test_an_admin_of_another_pemda_sees_the_workers_of_his_own(foreign_admin, daves_worker):
    page = client_for(foreign_admin).get(URL).content.decode()

    assert "Darmaji Trenggalek" in page


def test_the_list_masks_every_nik(admin, bobs_worker, carols_worker):
    page = client_for(admin).get(URL).content.decode()

    for worker in (bobs_worker, carols_worker):
        assert worker.nik not in page
        assert mask_nik(worker.nik) in page
    assert "3504********0001" in page


def test_a_user_without_pemda_may_not_open_the_list(db, bobs_worker):
    drifter = UserFactory(username="erin", pemda=None, role="")

    response = client_for(drifter).get(URL)

    assert response.status_code == 403
    assert "Slamet Nelayan" not in response.content.decode()


def test_the_htmx_request_gets_the_rows_only(admin, bobs_worker):
    response = client_for(admin).get(URL, {"q": "Slamet"}, headers={"HX-Request": "true"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "Slamet Nelayan" in html
    assert "<tbody>" in html
    assert "<html" not in html
    assert "<form" not in html
    assert "<h1>" not in html


def test_the_list_costs_the_same_queries_for_many_workers(
    admin, agency, django_assert_max_num_queries
):
    client = client_for(admin)
    WorkerFactory.create_batch(3, pemda=agency.pemda, agency=agency)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    WorkerFactory.create_batch(40, pemda=agency.pemda, agency=agency)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)

    assert response.content.decode().count("<tr>") >= 41


def test_the_next_page_link_keeps_every_filter(admin, agency):
    WorkerFactory.create_batch(51, pemda=agency.pemda, agency=agency, name="Slamet Nelayan")

    html = client_for(admin).get(URL, {"q": "Slamet", "instansi": agency.pk}).content.decode()

    assert f"?q=Slamet&amp;instansi={agency.pk}&amp;hal=2" in html


def test_the_previous_page_link_keeps_every_filter(admin, agency):
    WorkerFactory.create_batch(51, pemda=agency.pemda, agency=agency, name="Slamet Nelayan")

    html = (
        client_for(admin)
        .get(URL, {"q": "Slamet", "instansi": agency.pk, "hal": 2})
        .content.decode()
    )

    assert f"?q=Slamet&amp;instansi={agency.pk}&amp;hal=1" in html
