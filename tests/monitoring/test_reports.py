"""The monitoring reports: participants per agency and village, the coverage recap, budget
realisation and benefits paid, as xlsx and as PDF on the letterhead; aggregates only, every
download audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.monitoring.models import CoverageTarget, Workforce
from lindung.monitoring.reports import (
    budget_table,
    coverage_table,
    monitoring_report_download,
    participants_table,
)
from lindung.workers.models import Worker
from tests.billing.money_rows import pay
from tests.conftest import client_for
from tests.factories import EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db

BESOLE = "35.04.15.2001"
BANDUNG_VILLAGE = "35.04.17.2001"
AS_OF = dt.date(2025, 6, 30)


@pytest.fixture
def leader(pemda):
    return UserFactory(username="bupati", pemda=pemda, role=Role.LEADER)


@pytest.fixture
def figures(program, pemda, agency, funding_source):
    for village, count in ((BESOLE, 3), (BANDUNG_VILLAGE, 1)):
        for _ in range(count):
            EnrolmentFactory(
                program=program, agency=agency, village_id=village,
                funding_source=funding_source, started_on=dt.date(2025, 1, 1),
            )  # fmt: skip
    # Started after the day: not counted.
    EnrolmentFactory(
        program=program, agency=agency, village_id=BESOLE, started_on=dt.date(2025, 7, 1)
    )
    Workforce.objects.create(
        pemda=pemda, year=2025, region_id="35.04.15", working=100, source="BPS"
    )
    Workforce.objects.create(pemda=pemda, year=2025, region_id="35.04.17", working=50, source="BPS")
    CoverageTarget.objects.create(pemda=pemda, year=2025, target_rate="3.50", province_rate="33.40")
    return program


def test_participants_are_counted_per_agency_and_village_with_a_total(figures):
    table = participants_table(figures, AS_OF)

    assert table.rows == [
        ["Dinas Perikanan", BESOLE, "Besole", 3],
        ["Dinas Perikanan", BANDUNG_VILLAGE, table.rows[1][2], 1],
        ["Jumlah", "", "", 4],
    ]


def test_the_coverage_recap_gives_each_district_its_rate_and_the_target(figures):
    rows = {row[0]: row for row in coverage_table(figures, AS_OF).rows}

    assert rows["35.04.15"][2:] == [3, 100, "3,00", "3,50"]  # 3 of 100
    assert rows["35.04.17"][2:] == [1, 50, "2,00", "3,50"]  # 1 of 50
    assert rows[""][2:] == [4, 150, "2,67", "3,50"]  # 4 of 150 = 2,666… %


def test_budget_realisation_shows_the_share_paid_per_source(figures, funding_source):
    funding_source.amount = 1_000_000
    funding_source.save()
    pay(funding_source, [dt.date(2025, 1, 1)], paid_on=dt.date(2025, 2, 10), amount=250_000)

    apbd, total = budget_table(figures, AS_OF).rows

    assert apbd[0] == "apbd"
    assert (apbd[1], apbd[4], apbd[5], apbd[6]) == (1_000_000, 250_000, 750_000, "25,00")
    assert total[0] == "Jumlah"
    assert total[6] == "25,00"


def test_a_leader_downloads_the_coverage_recap_as_xlsx_and_it_is_audited(figures, leader):
    url = reverse("monitoring:report", args=["cakupan", "xlsx"])
    response = client_for(leader).get(url, {"tanggal": AS_OF.isoformat()})

    assert response.status_code == 200
    assert "rekap-cakupan-pekerja-rentan-2025-20250630.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[2][:5] == (
        "Kode",
        "Kecamatan",
        "Peserta aktif",
        "Penduduk bekerja",
        "Cakupan (%)",
    )
    event = AuditEvent.objects.get(action="monitoring.report_downloaded")
    assert event.changes["kind"] == "cakupan"
    assert event.changes["format"] == "xlsx"


def test_every_report_comes_as_a_pdf_on_the_letterhead(figures, leader):
    figures.letterhead = "PEMERINTAH KABUPATEN TULUNGAGUNG\nDINAS TENAGA KERJA"
    figures.save()
    for kind in ("peserta", "cakupan", "anggaran", "manfaat"):
        document = monitoring_report_download(
            actor=leader, program=figures, kind=kind, fmt="pdf", as_of=AS_OF
        )
        assert document.content.startswith(b"%PDF")
        assert document.content_type == "application/pdf"
    assert AuditEvent.objects.filter(action="monitoring.report_downloaded").count() == 4


def test_the_reports_carry_no_nik(figures, leader):
    document = monitoring_report_download(
        actor=leader, program=figures, kind="peserta", fmt="xlsx", as_of=AS_OF
    )
    sheet = load_workbook(io.BytesIO(document.content)).active
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
    niks = set(Worker.objects.values_list("nik", flat=True))
    assert len(niks) == 5
    assert not cells & niks


def test_a_verifier_may_not_download_a_report(figures, pemda):
    verifier = UserFactory(pemda=pemda, role=Role.VERIFIER)

    with pytest.raises(ServiceError):
        monitoring_report_download(
            actor=verifier, program=figures, kind="cakupan", fmt="xlsx", as_of=AS_OF
        )


def test_an_unknown_report_kind_is_refused_without_an_error_page(figures, leader):
    response = client_for(leader).get(reverse("monitoring:report", args=["gaji", "xlsx"]))

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="monitoring.report_downloaded").exists()


def test_the_dashboard_links_to_the_reports(figures, leader):
    page = client_for(leader).get(reverse("monitoring:dashboard")).content.decode()

    assert reverse("monitoring:report", args=["anggaran", "pdf"]) in page
    assert reverse("monitoring:evidence_packs") in page


def test_every_pdf_report_prints_the_programs_letterhead_and_its_table(figures, leader):
    from unittest import mock

    from django.template.loader import render_to_string

    figures.letterhead = "PEMERINTAH KABUPATEN TULUNGAGUNG\nDINAS TENAGA KERJA"
    figures.save()
    pages: list[str] = []

    def _rendered(template, context):
        pages.append(render_to_string(template, context))
        return b"%PDF-"

    with mock.patch("lindung.monitoring.reports.pdf_from_template", _rendered):
        for kind in ("peserta", "cakupan", "anggaran", "manfaat"):
            monitoring_report_download(
                actor=leader, program=figures, kind=kind, fmt="pdf", as_of=AS_OF
            )

    assert len(pages) == 4
    for page in pages:
        assert "PEMERINTAH KABUPATEN TULUNGAGUNG" in page
        assert "DINAS TENAGA KERJA" in page
        assert "<table" in page
