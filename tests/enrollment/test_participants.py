"""The participants register: who sees whom, search by name, KPJ and NIK (the NIK never in
a URL), the filters, the counts per status and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lindung.workers.models import EnrolmentStatus
from tests.conftest import client_for
from tests.factories import EnrolmentFactory, FundingSourceFactory, WorkerFactory

URL = reverse("enrollment:participant_list")


def _enrol(program, agency, name, nik, **extra):
    worker = WorkerFactory(pemda=program.pemda, name=name, nik=nik, agency=agency)
    return EnrolmentFactory(program=program, worker=worker, agency=agency, **extra)


@pytest.fixture
def people(program, agency, other_agency, funding_source):
    """Three participants of Dinas Perikanan and one of Dinas Perhubungan."""
    return {
        "supri": _enrol(program, agency, "SUPRIYANTO", "3504011208750001", kpj="25000000001",
                        village_id="35.04.15.2001", funding_source=funding_source),
        "suparmi": _enrol(program, agency, "Suparmi", "3504015508800002", kpj="25000000002",
                          village_id="35.04.02.2001", status=EnrolmentStatus.SENT),
        "budi": _enrol(program, agency, "BUDI SANTOSO", "3504010101700003", kpj="25000000003",
                       status=EnrolmentStatus.ENDED, ended_on=dt.date(2025, 6, 30)),
        "ani": _enrol(program, other_agency, "ANI RAHAYU", "3504014101900004", kpj="25000000004"),
    }  # fmt: skip


def _names(response) -> list[str]:
    return [e.worker.name for e in response.context["participants"]]


def test_it_lists_the_pemdas_participants_with_masked_niks(people, admin):
    response = client_for(admin).get(URL)
    assert response.status_code == 200
    assert sorted(_names(response)) == ["ANI RAHAYU", "BUDI SANTOSO", "SUPRIYANTO", "Suparmi"]
    body = response.content.decode()
    assert "3504********0001" in body
    assert "3504011208750001" not in body


def test_an_operator_sees_only_their_agencys_participants(people, operator, other_operator):
    assert sorted(_names(client_for(operator).get(URL))) == [
        "BUDI SANTOSO",
        "SUPRIYANTO",
        "Suparmi",
    ]
    assert _names(client_for(other_operator).get(URL)) == ["ANI RAHAYU"]


def test_a_user_of_another_pemda_sees_none_of_them(people, foreign_admin):
    response = client_for(foreign_admin).get(URL)
    assert response.status_code == 404  # their Pemda has no program


def test_it_searches_a_name_by_its_start_in_any_case(people, admin):
    client = client_for(admin)
    assert _names(client.get(URL, {"q": "sup"})) == ["Suparmi", "SUPRIYANTO"]
    assert _names(client.get(URL, {"q": "SUPR"})) == ["SUPRIYANTO"]
    assert _names(client.get(URL, {"q": "yanto"})) == []


def test_it_finds_a_participant_by_kpj(people, admin):
    assert _names(client_for(admin).get(URL, {"kpj": "25000000004"})) == ["ANI RAHAYU"]


def test_it_finds_a_participant_by_full_nik_only_through_post(people, admin):
    client = client_for(admin)
    response = client.post(URL, {"nik": "3504015508800002"})
    assert _names(response) == ["Suparmi"]
    assert "3504015508800002" not in response.content.decode()
    # A part of a NIK finds nobody, and a NIK in the address is not read at all.
    short = client.post(URL, {"nik": "35040155"})
    assert _names(short) == []
    assert "NIK harus 16 angka." in short.content.decode()
    assert len(_names(client.get(URL, {"nik": "3504015508800002"}))) == 4


def test_an_operator_cannot_find_another_agencys_participant_by_nik(people, operator):
    assert _names(client_for(operator).post(URL, {"nik": "3504014101900004"})) == []


def test_it_filters_by_agency_area_status_and_funding_source(people, admin, agency):
    client = client_for(admin)
    assert len(_names(client.get(URL, {"instansi": agency.pk}))) == 3
    assert _names(client.get(URL, {"wilayah": "35.04.15"})) == ["SUPRIYANTO"]
    assert _names(client.get(URL, {"wilayah": "35.04.02.2001"})) == ["Suparmi"]
    assert _names(client.get(URL, {"status": "ended"})) == ["BUDI SANTOSO"]
    source = people["supri"].funding_source
    assert _names(client.get(URL, {"sumber": source.pk})) == ["SUPRIYANTO"]


def test_it_filters_by_occupation(people, admin, program):
    occupation = program.occupations.first()
    worker = people["ani"].worker
    worker.occupation = occupation
    worker.save()
    assert _names(client_for(admin).get(URL, {"pekerjaan": occupation.pk})) == ["ANI RAHAYU"]


def test_it_counts_participants_per_status_under_the_filters(people, admin, agency):
    response = client_for(admin).get(URL, {"instansi": agency.pk, "status": "active"})
    counts = response.context["counts"].by_status
    assert counts == {"active": 1, "sent": 1, "ended": 1}
    assert response.context["page"].paginator.count == 1


def test_it_pages_fifty_participants_at_a_time(program, agency, admin):
    source = FundingSourceFactory(program=program, code="add")
    for i in range(55):
        _enrol(program, agency, f"PESERTA {i:02d}", f"35040112087{i:05d}", funding_source=source)
    client = client_for(admin)
    first = client.get(URL)
    assert len(_names(first)) == 50
    second = client.get(URL, {"hal": 2})
    assert len(_names(second)) == 5
    assert set(_names(first)).isdisjoint(_names(second))
    assert "Halaman 2 dari 2 (55 data)" in second.content.decode()


def test_a_wrong_filter_value_is_ignored_not_an_error(people, admin):
    response = client_for(admin).get(
        URL, {"instansi": "x", "status": "lost", "wilayah": "'; drop", "hal": "-1"}
    )
    assert response.status_code == 200
    assert len(_names(response)) == 4


def test_counts_under_a_name_search_stop_at_the_cap(people, admin, monkeypatch):
    from lindung.enrollment import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    response = client_for(admin).get(URL, {"q": "SU"})
    counts = response.context["counts"]
    assert (counts.capped, counts.total) == (True, 1)
    assert response.context["page"].paginator.count == 1
    assert "Jumlah dihitung sampai 1;" in response.content.decode()


def test_counts_per_status_stop_at_their_cap(people, admin, program, agency, monkeypatch):
    from lindung.enrollment import selectors

    _enrol(program, agency, "CITRA", "3504014101900005")
    monkeypatch.setattr(selectors, "STATUS_CAP", 2)
    counts = client_for(admin).get(URL).context["counts"]
    # Three active (capped at two), one sent, one ended.
    assert counts.by_status == {"active": 2, "sent": 1, "ended": 1}
    assert counts.capped is True
    assert counts.total == 2


def test_an_anonymous_visitor_is_sent_to_the_login_page(people, client):
    detail = reverse("enrollment:participant_detail", args=[people["supri"].pk])
    card = reverse("enrollment:participant_card", args=[people["supri"].pk])
    for url in (URL, detail, card, reverse("enrollment:participant_cards")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))
