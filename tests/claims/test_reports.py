"""Benefits paid per year — count and rupiah by claim type, in the year BPJS paid — on a page
leaders read, as xlsx and PDF, every download audited; the list filters by village too."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.claims.models import Claim, ClaimStatus
from lindung.claims.reports import benefits_paid, benefits_report_download
from lindung.common.errors_domain import ServiceError
from lindung.regions.models import Region, RegionLevel
from tests.conftest import client_for
from tests.factories import EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def claim(program, kind, status, paid_amount=None, paid_on=None, village=None, name="Warga"):
    enrolment = EnrolmentFactory(program=program, village=village, worker__name=name)
    return Claim.objects.create(
        pemda=program.pemda, program=program, enrolment=enrolment, kind=kind,
        incident_on=dt.date(2025, 1, 5), place="Desa", reported_by="family",
        reporter_name="Keluarga", status=status, paid_amount=paid_amount, paid_on=paid_on,
    )  # fmt: skip


@pytest.fixture
def claims(program):
    P, H = ClaimStatus.PAID, ClaimStatus.HANDED_OVER
    claim(program, "JKM", P, 42_000_000, dt.date(2025, 4, 2))
    claim(program, "JKM", H, 10_000_000, dt.date(2025, 9, 30))
    claim(program, "JKK-DEATH", H, 70_000_000, dt.date(2025, 12, 31))
    claim(program, "JKM", H, 42_000_000, dt.date(2026, 1, 1))
    claim(program, "JKM", ClaimStatus.SUBMITTED)  # not paid yet: not counted
    claim(program, "JKM", ClaimStatus.REJECTED)


@pytest.fixture
def leader(pemda):
    return UserFactory(username="bupati", pemda=pemda, role=Role.LEADER)


def test_benefits_are_counted_in_the_year_bpjs_paid_them_by_type(claims, verifier):
    years = benefits_paid(user=verifier)
    assert [y.year for y in years] == [2026, 2025]
    y2026, y2025 = years
    assert (y2026.count, y2026.rupiah) == (1, 42_000_000)
    assert [(k.kind, k.count, k.rupiah) for k in y2025.kinds] == [
        ("JKK-DEATH", 1, 70_000_000),
        ("JKM", 2, 52_000_000),
    ]
    assert (y2025.count, y2025.rupiah) == (3, 122_000_000)


def test_another_pemdas_claims_are_not_counted(claims, other_pemda):
    stranger = UserFactory(username="lain", pemda=other_pemda, role=Role.ADMIN)
    assert benefits_paid(user=stranger) == []


def test_the_xlsx_holds_each_type_and_the_years_total_and_its_download_is_audited(claims, leader):
    document = benefits_report_download(actor=leader, kind="xlsx")
    assert document.filename.endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(document.content)).active.values)
    assert rows[0] == ("Tahun", "Kode jenis", "Jenis klaim", "Jumlah klaim",
                       "Manfaat dibayar (Rp)")  # fmt: skip
    assert rows[1] == (2026, "JKM", "JKM: meninggal bukan karena kecelakaan kerja", 1, 42_000_000)
    assert rows[-1] == (2025, None, "Jumlah", 3, 122_000_000)
    places = list(load_workbook(io.BytesIO(document.content))["Per instansi dan desa"].values)
    assert places[0][:3] == ("Tahun", "Instansi", "Desa/kelurahan")
    assert sum(row[3] for row in places[1:]) == 4
    assert sum(row[4] for row in places[1:]) == 164_000_000
    event = AuditEvent.objects.get(action="claims.report_downloaded")
    assert event.actor_id == leader.pk
    assert event.changes["kind"] == "xlsx"


def test_the_pdf_is_made_on_the_letterhead_and_audited(claims, approver):
    document = benefits_report_download(actor=approver, kind="pdf")
    assert document.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="claims.report_downloaded").count() == 1


def test_an_operator_and_an_unknown_format_are_refused(claims, operator, verifier):
    with pytest.raises(ServiceError):
        benefits_report_download(actor=operator, kind="xlsx")
    with pytest.raises(ServiceError):
        benefits_report_download(actor=verifier, kind="csv")
    assert not AuditEvent.objects.filter(action="claims.report_downloaded").exists()


def test_the_report_page_shows_the_figure_leaders_quote(claims, leader, operator):
    page = client_for(leader).get(reverse("claims:benefits"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rp 122.000.000" in text
    assert "Rp 164.000.000" in text  # 4 claims paid in all: 122 + 42 juta
    assert "Warga" not in text  # aggregates only, no names
    assert client_for(operator).get(reverse("claims:benefits")).status_code in (302, 403)
    download = client_for(leader).get(reverse("claims:benefits_download", args=["xlsx"]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    unknown = client_for(leader).get(reverse("claims:benefits_download", args=["csv"]))
    assert unknown.status_code == 302


def test_the_claims_list_filters_by_village(program, verifier):
    regency = Region.objects.filter(level=RegionLevel.REGENCY).first() or Region.objects.create(
        code="35.04", name="Tulungagung", level=RegionLevel.REGENCY, search_key="tulungagung"
    )
    one, two = (
        Region.objects.create(
            code=f"35.04.01.200{n}",
            name=name,
            level=RegionLevel.VILLAGE,
            parent=regency,
            search_key=name.lower(),
        )
        for n, name in ((8, "Sumberdadi"), (9, "Ngantru"))
    )
    claim(program, "JKM", ClaimStatus.REPORTED, village=one, name="Warga Sumberdadi")
    claim(program, "JKM", ClaimStatus.REPORTED, village=two, name="Warga Ngantru")
    client = client_for(verifier)
    page = client.get(reverse("claims:list"), {"desa": one.code}).content.decode()
    assert "Warga Sumberdadi" in page
    assert "Warga Ngantru" not in page
    assert f'<option value="{two.code}"' in page
