"""The monitoring dashboard: who may open it, the district filter, the as-of day, and the
download of each chart's data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lindung.accounts.models import Role
from lindung.monitoring.models import CoverageTarget, Workforce
from tests.conftest import client_for
from tests.factories import EnrolmentFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

BESOLE = "35.04.15.2001"
BANDUNG_VILLAGE = "35.04.17.2001"


@pytest.fixture
def leader(pemda):
    return UserFactory(username="bupati", pemda=pemda, role=Role.LEADER)


@pytest.fixture
def figures(program, pemda, funding_source):
    for village, count in ((BESOLE, 3), (BANDUNG_VILLAGE, 1)):
        for _ in range(count):
            EnrolmentFactory(
                program=program,
                village_id=village,
                funding_source=funding_source,
                started_on=dt.date(2025, 1, 1),
            )
    EnrolmentFactory(program=program, village_id=BESOLE, started_on=dt.date(2025, 5, 1))
    Workforce.objects.create(
        pemda=pemda, year=2025, region_id="35.04.15", working=100, source="BPS"
    )
    Workforce.objects.create(pemda=pemda, year=2025, region_id="35.04.17", working=50, source="BPS")
    CoverageTarget.objects.create(
        pemda=pemda, year=2025, target_rate="3.50", province_rate="33.40", note="RPJMD"
    )
    return program


URL = reverse("monitoring:dashboard")


def test_a_leader_reads_coverage_per_district_as_of_a_past_day(figures, leader):
    page = client_for(leader).get(URL, {"tanggal": "2025-02-01"}).content.decode()

    assert "Besuki" in page
    assert "3,00 %" in page or "3.00 %" in page  # 3 of 100 in Besuki
    assert "2,00 %" in page or "2.00 %" in page  # 1 of 50 in Bandung
    assert "33.40 %" in page or "33,40 %" in page  # the province beside it
    assert 'id="monitoring-data"' in page


def test_filtering_to_one_district_lists_its_villages(figures, leader):
    page = client_for(leader).get(URL, {"kecamatan": "35.04.15", "tanggal": "2025-06-01"})

    text = page.content.decode()
    assert "Besole" in text
    assert "Tanggulwelahan" in text  # a village without participants is listed too
    assert page.context["board"].coverage.active == 4


def test_the_data_behind_a_chart_downloads_as_csv_and_xlsx(figures, leader):
    client = client_for(leader)
    url = reverse("monitoring:download", args=["cakupan", "csv"])

    csv_text = client.get(url, {"tanggal": "2025-02-01"}).content.decode("utf-8-sig")
    rows = [line.split(";") for line in csv_text.splitlines()]
    assert rows[0] == ["Kode", "Kecamatan", "Peserta aktif", "Penduduk bekerja", "Cakupan (%)"]
    assert rows[1] == ["35.04.15", "Besuki", "3", "100", "3,00"]
    assert rows[2] == ["35.04.17", "Bandung", "1", "50", "2,00"]

    xlsx = client.get(reverse("monitoring:download", args=["sumber-dana", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][1] == 4


def test_a_wrong_chart_or_format_is_not_found(figures, leader):
    client = client_for(leader)
    assert client.get(reverse("monitoring:download", args=["peta", "csv"])).status_code == 404
    assert client.get(reverse("monitoring:download", args=["cakupan", "pdf"])).status_code == 404


@pytest.mark.parametrize("day", ["kemarin", "2999-01-01"])
def test_an_unreadable_or_future_day_shows_today(figures, leader, day):
    response = client_for(leader).get(URL, {"tanggal": day})
    assert response.status_code == 200
    assert response.context["board"].as_of == timezone.localdate()


def test_year_on_year_compares_with_the_previous_program_on_the_same_day(figures, leader, pemda):
    before = ProgramFactory(pemda=pemda, code="p-2024", year=2024, start_month=dt.date(2024, 1, 1))
    for _ in range(2):
        EnrolmentFactory(program=before, village_id=BESOLE, started_on=dt.date(2024, 1, 1))

    board = client_for(leader).get(URL, {"tanggal": "2025-02-01"}).context["board"]

    assert [(y.year, y.active) for y in board.years] == [(2024, 2), (2025, 4)]
    assert str(board.years[1].growth) == "100.0"


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMIN, Role.APPROVER, Role.FINANCE])
def test_leaders_and_the_program_owner_may_open_it(figures, pemda, role):
    user = UserFactory(username=f"u-{role}", pemda=pemda, role=role)
    assert client_for(user).get(URL).status_code == 200


def test_an_agency_operator_may_not(figures, operator):
    assert client_for(operator).get(URL).status_code == 403


def test_another_pemdas_program_is_not_found(figures, foreign_admin):
    response = client_for(foreign_admin).get(URL, {"program": figures.pk})
    assert response.status_code == 404


def test_a_new_participant_shows_at_once_though_the_dashboard_is_cached(figures, leader):
    client = client_for(leader)
    first = client.get(URL, {"tanggal": "2025-06-01"}).context["board"].coverage.active
    EnrolmentFactory(program=figures, village_id=BESOLE, started_on=dt.date(2025, 1, 1))

    second = client.get(URL, {"tanggal": "2025-06-01"}).context["board"].coverage.active

    assert (first, second) == (5, 6)


def test_an_audited_change_of_the_figures_shows_at_once_and_others_do_not_recompute(
    figures, leader, pemda, admin
):
    from lindung.audit.services import audit_record
    from lindung.monitoring.dashboard import _fingerprint

    before = _fingerprint(figures)
    audit_record(actor=admin, action="user.login", pemda=pemda)
    assert _fingerprint(figures) == before
    audit_record(actor=admin, action="enrolment.ended", pemda=pemda)
    assert _fingerprint(figures) != before


def test_imported_participants_count_in_their_workers_village_and_agency(figures, leader, agency):
    enrolment = EnrolmentFactory(program=figures, village=None, agency=None, imported=True)
    enrolment.worker.village_id = "35.04.15.2002"
    enrolment.worker.agency = agency
    enrolment.worker.save()

    board = client_for(leader).get(URL, {"kecamatan": "35.04.15"}).context["board"]

    villages = {r.code: r.active for r in board.coverage.regions}
    assert villages["35.04.15.2002"] == 1
    assert [(s.label, s.count) for s in board.agency] == [("—", 4), (agency.name, 1)]
